import type { HostSpec, RunSpec } from './run-spec';

/**
 * A run holds one lock per host it changes, as a child workflow that lives while the run does; a
 * workflow may have at most 2,000 pending children, so a run locks this many hosts at most, and a
 * larger run must be started with `--allow-concurrent`.
 */
export const MAX_LOCKED_HOSTS = 1_000;

/** Memo key of a host lock: the run id that holds it. */
export const LOCK_OWNER_MEMO = 'owner';

export interface HostLock {
  /** The lock's workflow id: one per address and port in a namespace, whatever the host's name. */
  id: string;
  /** The hosts of the run behind this address and port. */
  hosts: HostSpec[];
}

/** The workflow id of the lock on `addr:port`. */
export function hostLockId(host: Pick<HostSpec, 'addr' | 'port'>): string {
  return `hades-host-lock:${host.addr}:${host.port}`;
}

/**
 * The locks a run takes: the hosts of every step that runs over SSH (a local job changes no host),
 * one lock per address and port, in the order the run first uses them.
 */
export function hostLocksOf(spec: RunSpec): HostLock[] {
  const locks = new Map<string, HostLock>();
  for (const step of spec.steps) {
    if (step.local) continue;
    for (const { name } of step.hosts) {
      const host = spec.hosts[name];
      const id = hostLockId(host);
      const lock = locks.get(id);
      if (!lock) locks.set(id, { id, hosts: [host] });
      else if (!lock.hosts.some((known) => known.name === name)) lock.hosts.push(host);
    }
  }
  return [...locks.values()];
}

/** Why a run can't lock its hosts, or undefined when it can. */
export function tooManyLocks(locks: HostLock[]): string | undefined {
  if (locks.length <= MAX_LOCKED_HOSTS) return undefined;
  return `the run changes ${locks.length} hosts; a run locks at most ${MAX_LOCKED_HOSTS} hosts against concurrent runs`;
}
