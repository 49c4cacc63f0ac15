import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
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
    return { error: { type: cause?.name ?? 'FAILED', message: cause?.message ?? error.message } };
  }
}
