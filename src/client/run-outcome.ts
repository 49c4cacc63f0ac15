import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { CANCELLED_PROGRESS_MEMO, RUN_FAILURE } from '../workflows/definitions';
import type { RunProgress } from '../workflows/progress';

export interface RunOutcome {
  progress?: RunProgress;
  /** Set when the run did not succeed. */
  error?: { type: string; message: string };
}

/** Waits for a run to end and reads its final progress from the result or the failure's details. */
export async function awaitOutcome(handle: WorkflowHandle): Promise<RunOutcome> {
  try {
    return { progress: (await handle.result()) as RunProgress };
  } catch (error) {
    if (!(error instanceof WorkflowFailedError)) throw error;
    const cause = error.cause;
    if (cause instanceof ApplicationFailure) {
      const progress = cause.details?.[0] as RunProgress | undefined;
      return { progress, error: { type: cause.type ?? 'FAILED', message: cause.message } };
    }
    if (cause instanceof CancelledFailure) return readCancelled(handle);
    return { error: { type: cause?.name ?? 'FAILED', message: cause?.message ?? error.message } };
  }
}

/** A cancelled run keeps its final progress in its memo, as cancelling carries no details. */
async function readCancelled(handle: WorkflowHandle): Promise<RunOutcome> {
  const { memo } = await handle.describe();
  const progress = memo?.[CANCELLED_PROGRESS_MEMO] as RunProgress | undefined;
  const message = progress?.failure?.message ?? 'run cancelled before it recorded how it ended';
  return { ...(progress ? { progress } : {}), error: { type: RUN_FAILURE.cancelled, message } };
}
