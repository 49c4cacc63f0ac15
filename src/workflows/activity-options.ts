import { ActivityCancellationType, type ActivityOptions } from '@temporalio/workflow';

/**
 * The one place retries are set. Only errors raised before a command ran (connection refused,
 * timed out, unreachable) are retryable; a command that ran and failed is a non-retryable
 * ApplicationFailure from the activity itself. A lost worker shows as a missed heartbeat, and the
 * next attempt resumes where the last one stopped.
 */
export const HOST_JOB_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '24h',
  // The activity heartbeats every second; the SDK sends one at most every 80% of this, so a lost
  // worker is noticed within about 10s and its host resumes at once (after initialInterval).
  heartbeatTimeout: '10s',
  // A cancelled run ends only once its activities have stopped their commands on the hosts.
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  retry: {
    initialInterval: '2s',
    backoffCoefficient: 2,
    maximumInterval: '20s',
    maximumAttempts: 4,
  },
};
