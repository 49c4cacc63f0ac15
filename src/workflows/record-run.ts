import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { upsertMemo, upsertSearchAttributes } from '@temporalio/workflow';
import type { RunOptions } from './definitions';
import { truncateBytes } from '../util/truncate-bytes';
import { RUN_ATTRIBUTES, type RunMemo } from './run-attributes';

/** Temporal refuses a keyword search attribute longer than 2,048 bytes. */
const MAX_KEYWORD_BYTES = 1_024;

/** Keeps a run's search attributes and memo in step with where it is, for `hades list`. */
export interface RunRecorder {
  stepStarted(step: string): void;
  gateOpened(): void;
  gateClosed(): void;
  runFailed(failure: string, failedHost?: string): void;
}

/**
 * A recorder that upserts only the search attributes the server registered (an unregistered one
 * would fail every workflow task), and nothing at all for a run started without options.
 */
export function makeRunRecorder(options: RunOptions | undefined): RunRecorder {
  const registered = new Set(options?.searchAttributes ?? []);
  const upsert = (updates: SearchAttributeUpdatePair[]): void => {
    // A keyword over 2 KB fails the workflow task: long step and host names are cut short.
    const known = updates
      .filter((update) => registered.has(update.key.name))
      .map((update) => (typeof update.value === 'string' ? { ...update, value: truncateBytes(update.value, MAX_KEYWORD_BYTES) } : update)) as SearchAttributeUpdatePair[];
    if (known.length > 0) upsertSearchAttributes(known);
  };

  return {
    stepStarted: (step) => upsert([{ key: RUN_ATTRIBUTES.step, value: step }]),
    gateOpened: () => upsert([{ key: RUN_ATTRIBUTES.gateOpen, value: true }]),
    gateClosed: () => upsert([{ key: RUN_ATTRIBUTES.gateOpen, value: false }]),
    runFailed: (failure, failedHost) => {
      const updates: SearchAttributeUpdatePair[] = [{ key: RUN_ATTRIBUTES.failure, value: failure }];
      if (failedHost) updates.push({ key: RUN_ATTRIBUTES.failedHost, value: failedHost });
      upsert(updates);
      if (options === undefined) return;
      const memo: RunMemo = { failure, ...(failedHost ? { failedHost } : {}) };
      upsertMemo({ ...memo });
    },
  };
}
