import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { RunProgress } from './progress';

/** Payload of `approve`; every field is optional so a bare signal from the Web UI works. */
export interface ApproveInput {
  /** The gate meant; a signal naming another gate than the open one is ignored. */
  gate?: string;
  by?: string;
  comment?: string;
}

export interface RejectInput {
  gate?: string;
  by?: string;
  reason?: string;
}

/**
 * The workflow's second argument: how the client that started the run found the server. Absent for
 * a run started before it existed; such a run upserts nothing, so its replay stays the same.
 */
export interface RunOptions {
  /** Names of Hades' search attributes that the server has registered; only these are upserted. */
  searchAttributes: string[];
  /** Skip the host locks: run even while another run changes the same hosts. */
  allowConcurrent?: boolean;
}

/** Payload of `cancel-reason`, sent by `hades cancel` just before it cancels the run. */
export interface CancelInput {
  by?: string;
  reason?: string;
}

export const approveSignal = defineSignal<[ApproveInput?]>('approve');
export const rejectSignal = defineSignal<[RejectInput?]>('reject');
export const cancelReasonSignal = defineSignal<[CancelInput?]>('cancel-reason');
export const progressQuery = defineQuery<RunProgress>('progress');

/**
 * Memo key of a cancelled run's final progress: a cancelled workflow returns nothing and carries
 * no failure details, so this is where `hades run`, `watch` and `status` read how it ended.
 */
export const CANCELLED_PROGRESS_MEMO = 'cancelledProgress';

/** Failure types of a run, as ApplicationFailure types; the CLI maps them to exit messages. */
export const RUN_FAILURE = {
  hostFailed: 'HOST_FAILED',
  gateRejected: 'GATE_REJECTED',
  gateTimedOut: 'GATE_TIMED_OUT',
  cancelled: 'RUN_CANCELLED',
  hostsLocked: 'HOSTS_LOCKED',
} as const;

export const PLAN_WORKFLOW = 'planWorkflow';

/** Temporal's limit on activity and timer summaries, in bytes. */
export const SUMMARY_BYTES = 200;
