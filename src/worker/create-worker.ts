import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createActivities } from '../activities';
import { HEARTBEAT_THROTTLE_MS } from '../activities/run-host-job';
import { hadesDataConverter } from '../codec/data-converter';
import type { TemporalSettings } from '../client/temporal-settings';

export interface HadesWorkerOptions {
  settings: TemporalSettings;
  /** Folder of per-host log files. */
  logDir: string;
  /** How many hosts this worker runs at once; Temporal's default is 100. */
  maxConcurrentActivities?: number;
}

/** A worker for Hades runs on the settings' task queue: the plan workflow and the host activities. */
export async function createWorker(options: HadesWorkerOptions): Promise<{ worker: Worker; connection: NativeConnection }> {
  const { settings } = options;
  const connection = await NativeConnection.connect({ address: settings.address });
  const worker = await Worker.create({
    connection,
    namespace: settings.namespace,
    taskQueue: settings.taskQueue,
    // The same codec as the client's: every payload the server stores is encrypted when a key is set.
    ...hadesDataConverter(),
    activities: createActivities({ logDir: options.logDir }),
    ...workflowSource(),
    // Heartbeats carry a cancel back to the activity: send them often enough that a cancelled run
    // stops its commands within a few seconds, not at 80% of the heartbeat timeout.
    maxHeartbeatThrottleInterval: HEARTBEAT_THROTTLE_MS,
    ...(options.maxConcurrentActivities ? { maxConcurrentActivityTaskExecutions: options.maxConcurrentActivities } : {}),
  });
  return { worker, connection };
}

/**
 * The built bundle when running from dist (no webpack at start-up), the sources otherwise, so a
 * test never runs a stale bundle.
 */
function workflowSource(): { workflowBundle: { codePath: string } } | { workflowsPath: string } {
  const bundle = join(__dirname, '..', '..', 'workflow-bundle.js');
  if (!__filename.endsWith('.ts') && existsSync(bundle)) return { workflowBundle: { codePath: bundle } };
  return { workflowsPath: require.resolve('../workflows') };
}
