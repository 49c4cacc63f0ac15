import type { EnvDeclaration } from '../config/schema';

export interface EnvLayers {
  cli: Readonly<Record<string, string>>;
  step: Readonly<Record<string, string>>;
  plan: Readonly<Record<string, string>>;
}

export interface ResolvedEnv {
  values: Record<string, string>;
  /** Required variables that no layer sets. */
  missing: string[];
}

/**
 * A job's variables: exactly the ones it declares, each from the first layer that sets it,
 * CLI, then step, then plan, then the job's default. Keys a job does not declare are dropped.
 */
export function resolveJobEnv(declared: Readonly<Record<string, EnvDeclaration>>, layers: EnvLayers): ResolvedEnv {
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const [name, declaration] of Object.entries(declared)) {
    const value = own(layers.cli, name) ?? own(layers.step, name) ?? own(layers.plan, name) ?? declaration.default;
    if (value === undefined) missing.push(name);
    else values[name] = value;
  }
  return { values, missing };
}

/** A key's own value; a variable named like `constructor` must not find Object's prototype. */
function own(values: Readonly<Record<string, string>>, name: string): string | undefined {
  return Object.hasOwn(values, name) ? values[name] : undefined;
}
