import { Context } from '@temporalio/activity';
import { LOCK_OWNER_MEMO } from '../spec/host-locks';

/**
 * The run id that holds each host lock, read from the lock's memo; undefined for a lock that has
 * ended since (or carries no owner). A workflow cannot describe another workflow: this activity can.
 */
export async function findLockOwners(lockIds: string[]): Promise<Record<string, string | undefined>> {
  const { client } = Context.current();
  const owners: Record<string, string | undefined> = {};
  for (const id of lockIds) {
    try {
      const description = await client.workflow.getHandle(id).describe();
      const owner = description.memo?.[LOCK_OWNER_MEMO];
      owners[id] = description.status.name === 'RUNNING' && typeof owner === 'string' ? owner : undefined;
    } catch {
      owners[id] = undefined;
    }
  }
  return owners;
}
