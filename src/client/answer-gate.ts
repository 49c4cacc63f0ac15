import type { WorkflowHandle } from '@temporalio/client';
import { approveSignal, progressQuery, rejectSignal } from '../workflows/definitions';
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

/** Sends approve or reject to the gate a run waits at, or says why there is none. */
export async function answerGate(handle: WorkflowHandle, input: GateAnswerInput): Promise<GateProgress> {
  const description = await handle.describe();
  if (description.status.name !== 'RUNNING') {
    throw new UserError(`run ${handle.workflowId} is ${description.status.name.toLowerCase()}: it has no gate to ${input.decision}`, `see what happened with: hades status ${handle.workflowId}`);
  }

  const progress = await handle.query(progressQuery);
  const gate = progress.gate;
  if (!gate || (input.gate !== undefined && gate.id !== input.gate)) {
    throw new UserError(`run ${handle.workflowId} is not waiting at a gate`, `gates open once per batch when a job reaches its wait action; see where the run is with: hades status ${handle.workflowId}`);
  }

  if (input.decision === 'approve') {
    await handle.signal(approveSignal, { gate: gate.id, by: input.by, ...(input.text ? { comment: input.text } : {}) });
  } else {
    await handle.signal(rejectSignal, { gate: gate.id, by: input.by, ...(input.text ? { reason: input.text } : {}) });
  }
  return gate;
}
