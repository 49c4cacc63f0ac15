import { findLockOwners } from './find-lock-owners';
import { createRunHostJob, type ActivityOptions } from './run-host-job';

export type { ActivityOptions } from './run-host-job';

/** The activities a worker registers; the workflow sees their types only. */
export function createActivities(options: ActivityOptions) {
  return { runHostJob: createRunHostJob(options), findLockOwners };
}

export type Activities = ReturnType<typeof createActivities>;
