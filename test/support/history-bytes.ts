import type { Client } from '@temporalio/client';

/**
 * Every byte of a run's history as the server stores it, read by a client without Hades' codec:
 * payload data, metadata and plain strings, so a test can look for a value anywhere in it.
 */
export async function historyBytes(client: Client, runId: string): Promise<Buffer> {
  const history = await client.workflow.getHandle(runId).fetchHistory();
  const parts: Buffer[] = [];
  const walk = (value: unknown): void => {
    if (value instanceof Uint8Array) parts.push(Buffer.from(value));
    else if (typeof value === 'string') parts.push(Buffer.from(value));
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(history);
  return Buffer.concat(parts);
}
