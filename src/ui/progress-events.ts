import type { GateAnswer, HostProgress, RunProgress, StepProgress } from '../workflows/progress';

/** A gate as the events show it: open now, or already answered by the time we looked. */
export interface GateView {
  id: string;
  message: string;
  batch: number;
  timeoutMs?: number;
}

/** What changed between two looks at a run, in the order a person should read it. */
export type ProgressEvent =
  | { kind: 'step-started'; step: StepProgress; total: number }
  | { kind: 'batch-started'; step: StepProgress; batch: number }
  | { kind: 'host-started'; step: StepProgress; host: HostProgress }
  | { kind: 'host-succeeded'; step: StepProgress; host: HostProgress }
  | { kind: 'host-failed'; step: StepProgress; host: HostProgress }
  | { kind: 'host-skipped'; step: StepProgress; host: HostProgress }
  | { kind: 'host-interrupted'; step: StepProgress; host: HostProgress }
  | { kind: 'gate-opened'; gate: GateView; step: StepProgress }
  | { kind: 'gate-answered'; answer: GateAnswer };

/**
 * The events between `before` (undefined: nothing seen yet) and `after`. Attaching to a run in the
 * middle replays what already happened, so every view of a run reads the same. Within a batch:
 * hosts start, fail, the gate opens and is answered, then hosts succeed.
 */
export function progressEvents(before: RunProgress | undefined, after: RunProgress): ProgressEvent[] {
  const events: ProgressEvent[] = [];
  for (const step of after.steps) {
    if (step.startedAt === undefined) continue;
    const old = before?.steps[step.index];
    if (old?.startedAt === undefined) events.push({ kind: 'step-started', step, total: after.steps.length });
    for (let batch = 0; batch <= (step.currentBatch ?? -1); batch++) {
      if (batch > (old?.currentBatch ?? -1)) events.push({ kind: 'batch-started', step, batch });
      events.push(...batchEvents({ before, after, step, old, batch }));
    }
  }
  return events;
}

interface BatchLook {
  before: RunProgress | undefined;
  after: RunProgress;
  step: StepProgress;
  old: StepProgress | undefined;
  batch: number;
}

function batchEvents({ before, after, step, old, batch }: BatchLook): ProgressEvent[] {
  const pairs = step.hosts.filter((host) => host.batch === batch).map((host) => ({ host, was: old?.hosts.find((candidate) => candidate.name === host.name) }));
  const events: ProgressEvent[] = [];
  for (const { host, was } of pairs) if (host.startedAt !== undefined && was?.startedAt === undefined) events.push({ kind: 'host-started', step, host });
  for (const { host, was } of pairs) if (host.status === 'failed' && was?.status !== 'failed') events.push({ kind: 'host-failed', step, host });
  for (const { host, was } of pairs) if (host.status === 'skipped' && was?.status !== 'skipped') events.push({ kind: 'host-skipped', step, host });
  for (const { host, was } of pairs) if (host.status === 'interrupted' && was?.status !== 'interrupted') events.push({ kind: 'host-interrupted', step, host });

  const seen = new Set(before?.answers.map(answerKey) ?? []);
  for (const answer of after.answers.filter((candidate) => candidate.step === step.name && candidate.batch === batch)) {
    if (seen.has(answerKey(answer))) continue;
    if (before?.gate?.id !== answer.gate) events.push({ kind: 'gate-opened', step, gate: { id: answer.gate, message: answer.message, batch, ...(answer.timeoutMs ? { timeoutMs: answer.timeoutMs } : {}) } });
    events.push({ kind: 'gate-answered', answer });
  }
  const gate = after.gate;
  if (gate && gate.stepIndex === step.index && gate.batch === batch && before?.gate?.id !== gate.id) events.push({ kind: 'gate-opened', step, gate });

  for (const { host, was } of pairs) if (host.status === 'succeeded' && was?.status !== 'succeeded') events.push({ kind: 'host-succeeded', step, host });
  return events;
}

function answerKey(answer: GateAnswer): string {
  return `${answer.gate}@${answer.at}`;
}
