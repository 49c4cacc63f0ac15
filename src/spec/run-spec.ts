import type { Parallelism } from '../rollout/parallelism';

/**
 * A plan resolved for one run: plain data, the workflow's only input. The workflow never reads
 * the config again, so a run does exactly what was validated when it started.
 */
export interface RunSpec {
  runId: string;
  plan: string;
  /** Absolute path of the config directory; local files are read from it when an action runs. */
  configDir: string;
  /** known_hosts file that host keys are checked against; the user's own when absent. */
  knownHostsFile?: string;
  /** How long an SSH handshake may take; the activity's default when absent. */
  connectTimeoutMs?: number;
  /** Every host that any step uses, once, by name: steps refer to hosts by name. */
  hosts: Record<string, HostSpec>;
  steps: StepSpec[];
}

export interface HostSpec {
  name: string;
  addr: string;
  port: number;
  user: string;
  /** A path only: key material never enters workflow inputs or history. */
  identityFile?: string;
}

export interface StepSpec {
  name: string;
  job: string;
  targets: string[];
  /** Host names in rollout order, after `limit`; each with the target it came from. */
  hosts: StepHost[];
  parallelism: Parallelism;
  limit?: number;
  /** The job's declared variables with their values after precedence; `HADES_*` are added per host. */
  env: Record<string, string>;
  actions: ActionSpec[];
}

export interface StepHost {
  name: string;
  target: string;
}

export type ActionSpec = RunActionSpec | WaitActionSpec;

interface ActionBase {
  /** Position of the action in its job, from 0. */
  index: number;
  name?: string;
}

export interface RunActionSpec extends ActionBase {
  kind: 'run';
  /** The command as written; `${VAR}` is expanded per host with the same function as dry-run. */
  command: string;
}

export interface WaitActionSpec extends ActionBase {
  kind: 'wait';
  message?: string;
  /** Absent: the gate waits until it is answered. */
  timeoutMs?: number;
}

export type ActionKind = ActionSpec['kind'];
