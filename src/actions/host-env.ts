import { builtinEnv } from '../env/builtin-env';
import type { HostSpec } from '../spec/run-spec';
import { shellQuote } from '../util/shell-quote';

export interface HostEnvContext {
  plan: string;
  runId: string;
  step: string;
  target: string;
  host: HostSpec;
  /** The step's resolved job variables. */
  env: Readonly<Record<string, string>>;
}

/** Everything a job sees on one host: its declared variables and the read-only HADES_* ones. */
export function hostEnv(context: HostEnvContext): Record<string, string> {
  const builtins = builtinEnv({
    plan: context.plan,
    runId: context.runId,
    step: context.step,
    target: context.target,
    hostName: context.host.name,
    hostAddr: context.host.addr,
  });
  return { ...context.env, ...builtins };
}

/** The script a host runs for one command: the job's variables exported, then the command. */
export function commandScript(command: string, env: Readonly<Record<string, string>>): string {
  const exports = Object.entries(env).map(([name, value]) => `${name}=${shellQuote(value)}`);
  return exports.length === 0 ? command : `export ${exports.join(' ')}\n${command}`;
}
