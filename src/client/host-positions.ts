import type { WorkflowHandle } from '@temporalio/client';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow';
import type { HostJobCheckpoint } from '../spec/host-job';

/** Where a running host is: the action its activity last reported in a heartbeat. */
export interface HostPosition {
  host: string;
  step: string;
  action: string;
}

/**
 * The hosts of a run that are inside an action now, read from their activities' heartbeat
 * details: live progress without a history event per action. Heartbeats reach the server every
 * couple of seconds, so a quick action may never show.
 */
export async function readHostPositions(handle: WorkflowHandle): Promise<HostPosition[]> {
  const { raw } = await handle.describe();
  const positions: HostPosition[] = [];
  for (const activity of raw.pendingActivities ?? []) {
    const payloads = activity.heartbeatDetails?.payloads;
    if (!payloads?.length) continue;
    const checkpoint = await decodeFromPayloadsAtIndex<HostJobCheckpoint>(handle.client.options.loadedDataConverter, 0, payloads).catch(() => undefined);
    if (checkpoint?.host && checkpoint.step && checkpoint.action) positions.push({ host: checkpoint.host, step: checkpoint.step, action: checkpoint.action });
  }
  return positions;
}
