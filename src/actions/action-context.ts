import type { HostLog } from '../activities/host-log';
import type { HostSpec, RegistrySpec } from '../spec/run-spec';
import type { HostShell } from './host-shell';

/** What an action handler may use: where it runs, the job's variables, and the local side. */
export interface ActionContext {
  shell: HostShell;
  /** The job's variables on this host, HADES_* included. */
  env: Record<string, string>;
  log: HostLog;
  /** Local files (copy sources, templates, artifacts) are read from here when the action runs. */
  configDir: string;
  /** The job's artifacts: name to path, `${VAR}` already expanded. */
  artifacts: Record<string, string>;
  registries: Record<string, RegistrySpec>;
  host: HostSpec;
  target: string;
  /** Where rendered templates are kept for inspection. */
  renderDir: string;
  signal?: AbortSignal;
}

/** What one action did; `failed` carries a command's exit, or a message when there was none. */
export interface ActionOutcome {
  status: 'succeeded' | 'failed';
  /** One line for progress and logs: "copied 1.2 KB", "unchanged, skipped". */
  detail?: string;
  /** What to do about a failure without an exit code. */
  hint?: string;
  command?: string;
  exitCode?: number | null;
  exitSignal?: string;
  stdoutTail: string[];
  stderrTail: string[];
}

export function succeeded(detail: string): ActionOutcome {
  return { status: 'succeeded', detail, stdoutTail: [], stderrTail: [] };
}
