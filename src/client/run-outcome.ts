import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { CANCELLED_PROGRESS_MEMO, RUN_FAILURE } from '../workflows/definitions';
import type { RunProgress } from '../workflows/progress';
import { isServerUnreachable } from './server-unreachable';

export interface RunOutcome {
  progress?: RunProgress;
  /** Set when the run did not succeed. */
  error?: { type: string; message: string };
}

export interface AwaitOptions {
  /** Called once when the Temporal server stops answering; the wait goes on. */
  onUnreachable?: (error: Error) => void;
  /** How long to keep waiting for an unreachable server before giving up; 5 minutes by default. */
  unreachableMs?: number;
}

/** How long {@link awaitOutcome} keeps waiting for a server that does not answer, by default. */
export const UNREACHABLE_MS = 5 * 60_000;

/**
 * Waits for a run to end and reads its final progress from the result or the failure's details.
 * A server that is down or restarting is waited for (the run lives on in it), up to a limit.
 */
export async function awaitOutcome(handle: WorkflowHandle, options: AwaitOptions = {}): Promise<RunOutcome> {
  let downSince: number | undefined;
  for (;;) {
    try {
      return await readOutcome(handle);
    } catch (error) {
      if (!isServerUnreachable(error)) throw error;
      if (downSince === undefined) options.onUnreachable?.(error as Error);
      downSince ??= Date.now();
      if (Date.now() - downSince > (options.unreachableMs ?? UNREACHABLE_MS)) throw error;
      await sleep(1_000);
    }
  }
}

async function readOutcome(handle: WorkflowHandle): Promise<RunOutcome> {
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
