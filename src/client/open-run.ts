import type { Client, WorkflowExecutionDescription, WorkflowHandle } from '@temporalio/client';
import { connectClient, describeMissingRun } from './temporal-client';
import { readTemporalSettings, type TemporalFlags, type TemporalSettings } from './temporal-settings';
import { UserError } from './user-error';

/** The run id a command was given, or a usage error that says where run ids come from. */
export function requireRunId(command: string, positionals: string[]): string {
  const runId = positionals[0];
  if (!runId) throw new UserError(`hades ${command} needs a run id`, 'the run id is printed when a run starts; recent runs: hades list', 2);
  return runId;
}

export interface OpenRun {
  runId: string;
  settings: TemporalSettings;
  client: Client;
  handle: WorkflowHandle;
  description: WorkflowExecutionDescription;
}

/** Connects, finds the run (a clear error when there is none), hands it to `use`, then disconnects. */
export async function withRun<T>(runId: string, flags: TemporalFlags, use: (run: OpenRun) => Promise<T>): Promise<T> {
  const settings = readTemporalSettings(flags);
  const { client, connection } = await connectClient(settings);
  try {
    const handle = client.workflow.getHandle(runId);
    const description = await handle.describe().catch((error) => {
      throw describeMissingRun(error, runId, settings);
    });
    return await use({ runId, settings, client, handle, description });
  } finally {
    await connection.close();
  }
}
