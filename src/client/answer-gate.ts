import type { WorkflowHandle } from '@temporalio/client';
import { approveSignal, rejectSignal } from '../workflows/definitions';
import { queryProgress } from './query-progress';
import type { GateProgress } from '../workflows/progress';
import { UserError } from './user-error';

export interface GateAnswerInput {
  decision: 'approve' | 'reject';
  by: string;
  /** A comment with approve, the reason with reject. */
  text?: string;
  /** The gate the person saw; when it is no longer open the answer is refused. */
  gate?: string;
}

/** What was answered: the gate as the run reported it, or undefined when no worker could say. */
export interface GateAnswered {
  gate?: GateProgress;
}


/**
 * Sends approve or reject to the gate a run waits at, or says why there is none. With no worker
 * to answer the progress query, the signal still goes out unaddressed: Temporal keeps it, and the
 * run applies it to the gate it waits at when a worker resumes it (a run at no gate ignores it).
 */
export async function answerGate(handle: WorkflowHandle, input: GateAnswerInput): Promise<GateAnswered> {
  const description = await handle.describe();
  if (description.status.name !== 'RUNNING') {
    throw new UserError(`run ${handle.workflowId} is ${description.status.name.toLowerCase()}: it has no gate to ${input.decision}`, `see what happened with: hades status ${handle.workflowId}`);
  }

  const progress = await queryProgress(handle).catch(() => undefined);
  if (progress === undefined) {
    await sendAnswer(handle, input, undefined);
    return {};
  }

  const gate = progress.gate;
  if (!gate || (input.gate !== undefined && gate.id !== input.gate)) {
    throw new UserError(`run ${handle.workflowId} is not waiting at a gate`, `gates open once per batch when a job reaches its wait action; see where the run is with: hades status ${handle.workflowId}`);
  }

  await sendAnswer(handle, input, gate.id);
  return { gate };
}

async function sendAnswer(handle: WorkflowHandle, input: GateAnswerInput, gate: string | undefined): Promise<void> {
  const addressed = gate === undefined ? {} : { gate };
  if (input.decision === 'approve') {
    await handle.signal(approveSignal, { ...addressed, by: input.by, ...(input.text ? { comment: input.text } : {}) });
  } else {
    await handle.signal(rejectSignal, { ...addressed, by: input.by, ...(input.text ? { reason: input.text } : {}) });
  }
}
