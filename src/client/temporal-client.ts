import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { hadesDataConverter } from '../codec/data-converter';
import { UserError } from './user-error';
import type { TemporalSettings } from './temporal-settings';

/** A client of the settings' server, or a UserError that says how to get one. */
export async function connectClient(settings: TemporalSettings): Promise<{ client: Client; connection: Connection }> {
  let connection: Connection;
  try {
    connection = await Connection.connect({ address: settings.address, connectTimeout: 5_000 });
  } catch (error) {
    throw new UserError(
      `no Temporal server answers at ${settings.address} (${firstLine((error as Error).message)})`,
      'start the local one with `hades dev` (or `npm run demo`), or point TEMPORAL_ADDRESS / --address at yours',
    );
  }
  return { client: new Client({ connection, namespace: settings.namespace, ...hadesDataConverter() }), connection };
}

/** Turns "workflow not found" into an error that names the run and where it was looked for. */
export function describeMissingRun(error: unknown, runId: string, settings: TemporalSettings): unknown {
  if (error instanceof WorkflowNotFoundError || /not found/i.test((error as Error)?.message ?? '')) {
    return new UserError(`no run ${runId} in namespace ${settings.namespace} at ${settings.address}`, 'see recent runs with `hades list`, or check --address and --namespace');
  }
  return error;
}

function firstLine(text: string): string {
  return text.split('\n')[0];
}
