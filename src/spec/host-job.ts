import type { ActionSpec, HostSpec, RegistrySpec } from './run-spec';

/** What one activity does: a run of a job's actions on one host, up to the next gate. */
export interface HostJobInput {
  runId: string;
  plan: string;
  step: string;
  stepIndex: number;
  batchIndex: number;
  host: HostSpec;
  target: string;
  /** The step's resolved job variables; HADES_* are added by the activity. */
  env: Record<string, string>;
  /** Names of the secret variables of `env`: masked in logs, results and failures. */
  secrets?: string[];
  /** Consecutive non-gate actions of the job. */
  actions: ActionSpec[];
  configDir: string;
  knownHostsFile?: string;
  connectTimeoutMs?: number;
  /** `accept-new` records an unknown host key in knownHostsFile instead of refusing it. */
  hostKeyPolicy?: 'strict' | 'accept-new';
  /** The job's guard; sent with the first segment of a job only. */
  guard?: string;
  /** Run on the worker's machine in the config directory instead of over SSH. */
  local?: boolean;
  artifacts?: Record<string, string>;
  registries: Record<string, RegistrySpec>;
  /** False: an action interrupted by a lost worker fails instead of running again. */
  rerunInterrupted?: false;
  /** How many more times a failed `run` action is run on this host. */
  retries?: number;
}

export type ActionStatus = 'succeeded' | 'failed';

/** The outcome of one action: small on purpose, since it is stored in the run's history. */
export interface ActionResult {
  index: number;
  kind: string;
  label?: string;
  /** What the action does, in a few words, for progress lines. */
  summary?: string;
  status: ActionStatus;
  /** What happened: "wrote /etc/app.conf (1.2 KB, mode 0644)", "unchanged, skipped". */
  detail?: string;
  hint?: string;
  /** The command as the host ran it, for run actions. */
  command?: string;
  exitCode?: number | null;
  exitSignal?: string;
  durationMs: number;
  stdoutTail: string[];
  stderrTail: string[];
  /** Set when this action was interrupted by a lost worker and run again. */
  rerun?: boolean;
  /** How many times a `run` action ran, when more than once (its retries). */
  attempts?: number;
}

export interface HostJobResult {
  host: string;
  actions: ActionResult[];
  /** Set when the job's guard said no: nothing else ran on this host. */
  skipped?: { guard: string; exitCode: number | null };
}

/** Details of a failed host, carried by the activity's ApplicationFailure. */
export interface HostFailure {
  /** Stable error code: ACTION_FAILED or an SSH code such as CONNECT_REFUSED. */
  code: string;
  message: string;
  hint?: string;
  /** The action that failed; absent when the host was never reached. */
  action?: ActionResult;
  /** Every action that finished before it. */
  completed: ActionResult[];
  /** How many times Temporal tried to reach the host, when more than once. */
  attempts?: number;
}

/** Heartbeat details: where a host is, so an attempt after a lost worker resumes there. */
export interface HostJobCheckpoint {
  /** Index into HostJobInput.actions of the action in progress. */
  position: number;
  completed: ActionResult[];
  /** Where the host is, for live progress: its name, the step and `[1] run "migrate"`. */
  host?: string;
  step?: string;
  action?: string;
}
