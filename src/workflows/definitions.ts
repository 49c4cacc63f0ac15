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
}

export const approveSignal = defineSignal<[ApproveInput?]>('approve');
export const rejectSignal = defineSignal<[RejectInput?]>('reject');
export const progressQuery = defineQuery<RunProgress>('progress');

/** Failure types of a run, as ApplicationFailure types; the CLI maps them to exit messages. */
export const RUN_FAILURE = {
  hostFailed: 'HOST_FAILED',
  gateRejected: 'GATE_REJECTED',
  gateTimedOut: 'GATE_TIMED_OUT',
} as const;

export const PLAN_WORKFLOW = 'planWorkflow';
