/** Read-only variables that every job sees; nobody may define a `HADES_*` variable. */
export const BUILTIN_VARIABLES = [
  'HADES_PLAN',
  'HADES_RUN_ID',
  'HADES_STEP',
  'HADES_TARGET',
  'HADES_HOST_NAME',
  'HADES_HOST_ADDR',
] as const;

export type BuiltinVariable = (typeof BUILTIN_VARIABLES)[number];

export const RESERVED_PREFIX = 'HADES_';

export function isBuiltinVariable(name: string): name is BuiltinVariable {
  return (BUILTIN_VARIABLES as readonly string[]).includes(name);
}

export interface BuiltinContext {
  plan: string;
  runId: string;
  step: string;
  target: string;
  hostName: string;
  hostAddr: string;
}

export function builtinEnv(context: BuiltinContext): Record<BuiltinVariable, string> {
  return {
    HADES_PLAN: context.plan,
    HADES_RUN_ID: context.runId,
    HADES_STEP: context.step,
    HADES_TARGET: context.target,
    HADES_HOST_NAME: context.hostName,
    HADES_HOST_ADDR: context.hostAddr,
  };
}
