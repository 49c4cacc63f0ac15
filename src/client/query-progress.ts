import type { WorkflowHandle } from '@temporalio/client';
import { progressQuery } from '../workflows/definitions';
import type { RunProgress } from '../workflows/progress';

/** How long a running run's worker may take to answer: with no worker, a query waits long. */
const QUERY_TIMEOUT_MS = 5_000;

/** A running run's progress; rejects within a few seconds when no worker answers. */
export function queryProgress(handle: WorkflowHandle): Promise<RunProgress> {
  return handle.client.withDeadline(Date.now() + QUERY_TIMEOUT_MS, () => handle.query(progressQuery));
}
