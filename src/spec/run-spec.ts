import type { ActionConfig, ActionKindName, ActionOf } from '../config/action-schema';
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
  /** `accept-new` records the key of a host that known_hosts does not know yet; strict when absent. */
  hostKeyPolicy?: 'strict' | 'accept-new';
  /** Registries for push and pull, by name; paths absolute. */
  registries: Record<string, RegistrySpec>;
  /** Every host that any step uses, once, by name: steps refer to hosts by name. */
  hosts: Record<string, HostSpec>;
  steps: StepSpec[];
}

export interface RegistrySpec {
  type: 'filesystem';
  /** Folder on the worker's machine that holds `<name>/<tag>` entries. */
  path: string;
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
  /** Names of the job's secret variables: their values are masked wherever Hades writes text. */
  secrets?: string[];
  actions: ActionSpec[];
  /** The job runs on the worker's machine in the config directory, once per selected host. */
  local?: boolean;
  /** A command run on each host first; a non-zero exit skips the job on that host. */
  guard?: string;
  /** The job's artifacts: name to a path relative to the config directory (may hold `${VAR}`). */
  artifacts?: Record<string, string>;
  /** Set when the job says `rerun_interrupted: false`: an action cut off by a lost worker fails. */
  rerunInterrupted?: false;
  /** How many more times a failed `run` action is run; absent means never. */
  retries?: number;
}

export interface StepHost {
  name: string;
  target: string;
}

/** An action of a job as the config wrote it, with its position in the job (from 0). */
export type ActionSpec = ActionConfig & { index: number };

export type ActionSpecOf<K extends ActionKindName> = ActionOf<K> & { index: number };
export type RunActionSpec = ActionSpecOf<'run'>;
export type WaitActionSpec = ActionSpecOf<'wait'>;

export type ActionKind = ActionSpec['kind'];
