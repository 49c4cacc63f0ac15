import { condition, setCurrentDetails, setHandler } from '@temporalio/workflow';
import type { WaitActionSpec } from '../spec/run-spec';
import { formatDuration } from '../util/duration';
import { truncateBytes } from '../util/truncate-bytes';
import { approveSignal, rejectSignal, RUN_FAILURE, SUMMARY_BYTES } from './definitions';
import { describeCurrent } from './describe-current';
import type { GateProgress, HostProgress, RunProgress, StepProgress } from './progress';
import type { RunRecorder } from './record-run';
import { RunStop } from './run-stop';


export interface PendingAnswer {
  decision: 'approved' | 'rejected';
  by?: string;
  comment?: string;
}

/** Waits for the open gate's answer; undefined when its timeout came first. */
export type WaitForAnswer = (gate: GateProgress, batchLabel: string) => Promise<PendingAnswer | undefined>;

/**
 * Registers `approve` and `reject`. A signal counts only while a gate is open and, when it names
 * a gate, only for that one; the first answer wins.
 */
export function installGateHandlers(progress: RunProgress): WaitForAnswer {
  let answer: PendingAnswer | undefined;
  setHandler(
    approveSignal,
    (input) => {
      if (gateMatches(progress.gate, input?.gate)) answer ??= { decision: 'approved', by: input?.by, comment: input?.comment };
    },
    { description: 'Opens the gate the run waits at. Input (optional): {"by": "name", "comment": "why"}.' },
  );
  setHandler(
    rejectSignal,
    (input) => {
      if (gateMatches(progress.gate, input?.gate)) answer ??= { decision: 'rejected', by: input?.by, comment: input?.reason };
    },
    { description: 'Fails the run at the gate it waits at. Input (optional): {"by": "name", "reason": "why"}.' },
  );

  return async (gate, batchLabel) => {
    answer = undefined;
    const answered = () => answer !== undefined;
    if (gate.timeoutMs === undefined) {
      await condition(answered);
      return answer;
    }
    const summary = `gate · ${gate.step} · ${batchLabel}: ${gate.message} (times out after ${formatDuration(gate.timeoutMs)})`;
    return (await condition(answered, gate.timeoutMs, { summary: truncateBytes(summary, SUMMARY_BYTES) })) ? answer : undefined;
  };
}

interface GateContext {
  state: StepProgress;
  batch: number;
  hosts: HostProgress[];
  progress: RunProgress;
  recorder: RunRecorder;
  waitForAnswer: WaitForAnswer;
}

/** Opens a gate for a batch and waits: approve returns, reject or a timeout stops the run. */
export async function passGate(gate: WaitActionSpec, { state, batch, hosts, progress, recorder, waitForAnswer }: GateContext): Promise<void> {
  const open: GateProgress = {
    id: `${state.name}#${batch + 1}@${gate.index}`,
    step: state.name,
    stepIndex: state.index,
    batch,
    action: gate.index,
    message: gate.message ?? `continue step "${state.name}"?`,
    openedAt: Date.now(),
    ...(gate.timeoutMs !== undefined ? { timeoutMs: gate.timeoutMs, deadline: Date.now() + gate.timeoutMs } : {}),
  };
  progress.gate = open;
  for (const host of hosts) {
    host.action = gate.index;
    host.status = 'waiting';
    host.startedAt ??= Date.now();
  }
  setCurrentDetails(describeCurrent(progress));
  recorder.gateOpened();

  const answer = await waitForAnswer(open, `batch ${batch + 1}/${state.batches.length}`);
  progress.gate = undefined;
  recorder.gateClosed();
  const where = `step "${state.name}" batch ${batch + 1}/${state.batches.length}`;
  const record = { gate: open.id, step: state.name, batch, message: open.message, ...(open.timeoutMs ? { timeoutMs: open.timeoutMs } : {}), at: Date.now() };

  if (answer === undefined) {
    progress.answers.push({ ...record, decision: 'timed-out' });
    state.status = 'failed';
    throw new RunStop(RUN_FAILURE.gateTimedOut, `gate "${open.message}" at ${where} timed out after ${formatDuration(gate.timeoutMs ?? 0)}`);
  }
  progress.answers.push({ ...record, decision: answer.decision, ...(answer.by ? { by: answer.by } : {}), ...(answer.comment ? { comment: answer.comment } : {}) });
  for (const host of hosts) host.actionsDone++;
  if (answer.decision === 'rejected') {
    state.status = 'failed';
    const by = answer.by ? ` by ${answer.by}` : '';
    throw new RunStop(RUN_FAILURE.gateRejected, `gate "${open.message}" at ${where} was rejected${by}${answer.comment ? `: ${answer.comment}` : ''}`);
  }
}

function gateMatches(open: GateProgress | undefined, requested: string | undefined): boolean {
  return open !== undefined && (requested === undefined || requested === '' || requested === open.id);
}
