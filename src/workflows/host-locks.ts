import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { CancellationScope, condition, defineSignal, ParentClosePolicy, proxyActivities, setHandler, startChild, type ChildWorkflowHandle } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { hostLocksOf, LOCK_OWNER_MEMO, tooManyLocks, type HostLock } from '../spec/host-locks';
import type { RunSpec } from '../spec/run-spec';
import { truncateBytes } from '../util/truncate-bytes';

export interface HostLockInput {
  /** The run id that holds the lock. */
  owner: string;
  /** The run's hosts behind the lock's address and port. */
  hosts: string[];
}

export const releaseLockSignal = defineSignal('release');

/**
 * A host's lock: a child workflow whose id is the host's address and port, so a second run's
 * start of it fails while it runs. It ends when its run releases it, or, however that run ends,
 * when the server terminates it with its parent.
 */
export async function hostLockWorkflow(_input: HostLockInput): Promise<void> {
  let released = false;
  setHandler(releaseLockSignal, () => void (released = true), { description: 'Releases the lock; its run sends it as it ends.' });
  await condition(() => released);
}

const { findLockOwners } = proxyActivities<Activities>({ startToCloseTimeout: '30s', retry: { maximumAttempts: 3 } });

export interface HostLocks {
  /** Why the run may not start: hosts another run holds, or too many hosts to lock. */
  refused?: string;
  /** Ends every lock the run holds and waits until they are gone, so a next run finds them free. */
  release(): Promise<void>;
}

/** Takes a lock per host of the run, all at once; on any host held by another run, none. */
export async function lockHosts(spec: RunSpec): Promise<HostLocks> {
  const locks = hostLocksOf(spec);
  const tooMany = tooManyLocks(locks);
  if (tooMany) return { refused: `${tooMany}; start it with --allow-concurrent`, release: async () => undefined };

  const started = await Promise.allSettled(locks.map((lock) => startLock(spec.runId, lock)));
  const handles = started.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const release = () => releaseLocks(handles);
  const failures = started.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
  const unexpected = failures.find((reason) => !(reason instanceof WorkflowExecutionAlreadyStartedError));
  if (unexpected !== undefined) {
    await release();
    throw unexpected;
  }
  if (failures.length === 0) return { release };

  const taken = locks.filter((_, index) => started[index].status === 'rejected');
  const owners = await findLockOwners(taken.map((lock) => lock.id));
  await release();
  return { refused: describeTaken(taken, owners), release: async () => undefined };
}

function startLock(runId: string, lock: HostLock): Promise<ChildWorkflowHandle<typeof hostLockWorkflow>> {
  const where = `${lock.hosts[0].addr}:${lock.hosts[0].port}`;
  return startChild(hostLockWorkflow, {
    workflowId: lock.id,
    args: [{ owner: runId, hosts: lock.hosts.map((host) => host.name) }],
    memo: { [LOCK_OWNER_MEMO]: runId },
    // The lock must never outlive its run, even a terminated one.
    parentClosePolicy: ParentClosePolicy.TERMINATE,
    staticSummary: truncateBytes(`lock on ${where} (${lock.hosts.map((host) => host.name).join(', ')}) held by run ${runId}`, 200),
  });
}

function releaseLocks(handles: ChildWorkflowHandle<typeof hostLockWorkflow>[]): Promise<void> {
  // Also when the run is being cancelled: a cancelled run must free its hosts too.
  return CancellationScope.nonCancellable(async () => {
    await Promise.allSettled(
      handles.map(async (handle) => {
        await handle.signal(releaseLockSignal);
        await handle.result();
      }),
    );
  });
}

/** `host-01 (127.0.1.1:22) is being changed by run X`, grouped by the run that holds them. */
function describeTaken(taken: HostLock[], owners: Record<string, string | undefined>): string {
  const byOwner = new Map<string, string[]>();
  for (const lock of taken) {
    const owner = owners[lock.id] ?? 'that has just ended (start this run again)';
    const names = lock.hosts.map((host) => `${host.name} (${host.addr}:${host.port})`);
    byOwner.set(owner, [...(byOwner.get(owner) ?? []), ...names]);
  }
  const parts = [...byOwner].map(([owner, names]) => {
    const shown = names.length > 10 ? `${names.slice(0, 10).join(', ')} and ${names.length - 10} more` : names.join(', ');
    return `${names.length === 1 ? 'host' : 'hosts'} ${shown} ${names.length === 1 ? 'is' : 'are'} being changed by run ${owner}`;
  });
  return `${parts.join('; ')}; wait for that run to end, or start this one with --allow-concurrent`;
}
