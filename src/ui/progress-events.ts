import type { GateAnswer, GateProgress, HostProgress, RunProgress, StepProgress } from '../workflows/progress';

/** What changed between two looks at a run, in the order a person should read it. */
export type ProgressEvent =
  | { kind: 'step-started'; step: StepProgress; total: number }
  | { kind: 'batch-started'; step: StepProgress; batch: number }
  | { kind: 'host-started'; step: StepProgress; host: HostProgress }
  | { kind: 'host-succeeded'; step: StepProgress; host: HostProgress }
  | { kind: 'host-failed'; step: StepProgress; host: HostProgress }
  | { kind: 'gate-opened'; gate: GateProgress; step: StepProgress }
  | { kind: 'gate-answered'; answer: GateAnswer };

/**
 * The events between `before` (undefined: nothing seen yet) and `after`. Attaching to a run in the
 * middle replays what already happened, so every view of a run reads the same.
 */
export function progressEvents(before: RunProgress | undefined, after: RunProgress): ProgressEvent[] {
  const events: ProgressEvent[] = [];
  for (const step of after.steps) {
    const old = before?.steps[step.index];
    if (step.startedAt === undefined) continue;
    if (old?.startedAt === undefined) events.push({ kind: 'step-started', step, total: after.steps.length });
    events.push(...batchEvents(old, step));
    events.push(...gateEvents(before, after, step));
  }
  return events;
}

function batchEvents(old: StepProgress | undefined, step: StepProgress): ProgressEvent[] {
  const events: ProgressEvent[] = [];
  const lastBatch = step.currentBatch ?? -1;
  const seenBatch = old?.currentBatch ?? -1;
  for (let batch = 0; batch <= lastBatch; batch++) {
    if (batch > seenBatch) events.push({ kind: 'batch-started', step, batch });
    for (const host of step.hosts.filter((candidate) => candidate.batch === batch)) {
      events.push(...hostEvents(old?.hosts.find((candidate) => candidate.name === host.name), host, step));
    }
  }
  return events;
}

function hostEvents(old: HostProgress | undefined, host: HostProgress, step: StepProgress): ProgressEvent[] {
  const events: ProgressEvent[] = [];
  const wasStarted = old?.startedAt !== undefined;
  if (host.startedAt !== undefined && !wasStarted) events.push({ kind: 'host-started', step, host });
  if (host.status === 'succeeded' && old?.status !== 'succeeded') events.push({ kind: 'host-succeeded', step, host });
  if (host.status === 'failed' && old?.status !== 'failed') events.push({ kind: 'host-failed', step, host });
  return events;
}

function gateEvents(before: RunProgress | undefined, after: RunProgress, step: StepProgress): ProgressEvent[] {
  const events: ProgressEvent[] = [];
  const seen = new Set(before?.answers.map((answer) => answer.gate + answer.at) ?? []);
  for (const answer of after.answers) {
    if (answer.step === step.name && !seen.has(answer.gate + answer.at)) events.push({ kind: 'gate-answered', answer });
  }
  const gate = after.gate;
  if (gate && gate.stepIndex === step.index && before?.gate?.id !== gate.id) events.push({ kind: 'gate-opened', gate, step });
  return events;
}
