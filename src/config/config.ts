import type { SourceLocation } from './config-error';
import type { HostConfig, JobConfig, PlanConfig, RegistryConfig } from './schema';

/** What to do with a host key that known_hosts does not hold: refuse it, or record it. */
export type HostKeyPolicy = 'strict' | 'accept-new';
import type { DocPath, SourceFile } from './source-map';

/** Where an entry was defined, so later checks can point at it. */
export interface Origin {
  source: SourceFile;
  path: DocPath;
}

export interface Entry<T> {
  name: string;
  value: T;
  origin: Origin;
}

/** All files of a config directory merged; maps keep the order in which names were declared. */
export interface Config {
  dir: string;
  files: string[];
  jobs: Map<string, Entry<JobConfig>>;
  plans: Map<string, Entry<PlanConfig>>;
  hosts: Map<string, Entry<HostConfig>>;
  targets: Map<string, Entry<string[]>>;
  registries: Map<string, Entry<RegistryConfig>>;
  ssh: { knownHosts?: string; connectTimeoutMs?: number; hostKeyPolicy?: HostKeyPolicy };
}

export function locate(origin: Origin, ...subpath: DocPath): SourceLocation {
  return origin.source.locate([...origin.path, ...subpath]);
}

export function locateKey(origin: Origin, ...subpath: DocPath): SourceLocation {
  return origin.source.locate([...origin.path, ...subpath], true);
}
