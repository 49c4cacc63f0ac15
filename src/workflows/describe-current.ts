import { formatDuration } from '../util/duration';
import { countHosts, type RunProgress, type StepProgress } from './progress';

/** Markdown for the Web UI's "Current Details": where the run is and what it waits for. */
export function describeCurrent(progress: RunProgress): string {
  if (progress.status !== 'running') return describeEnd(progress);

  const step = progress.steps.find((candidate) => candidate.status === 'running');
  if (!step) return `**Starting** plan \`${progress.plan}\``;
  const batch = step.currentBatch ?? 0;
  const lines = [
    // "1 of 2", not "1/2": the Web UI's Markdown turns a slash between digits into a fraction.
    `**Step ${step.index + 1} of ${progress.steps.length}: ${step.name}** (job \`${step.job}\`, ${step.parallelism})`,
    '',
    `Batch ${batch + 1} of ${step.batches.length}: ${step.batches[batch].join(', ')}`,
  ];
  const gate = progress.gate;
  if (gate) {
    const timeout = gate.timeoutMs === undefined ? 'waits until answered' : `times out after ${formatDuration(gate.timeoutMs)}`;
    lines.push('', `**Waiting at a gate:** ${gate.message} (${timeout})`, '');
    const input = '`{"by": "alice", "comment": "ok"}`';
    lines.push(`To go on, send the signal \`approve\` (More Actions → Send a Signal; input optional, e.g. ${input}),`);
    lines.push(`or run \`hades approve ${progress.runId}\`. The signal \`reject\` fails the run.`);
  }
  return lines.join('\n');
}

/** A closed run: its verdict, each step's hosts by outcome, and why it failed. */
function describeEnd(progress: RunProgress): string {
  const took = progress.finishedAt === undefined ? '' : ` in ${formatDuration(progress.finishedAt - progress.startedAt)}`;
  const lines = [`**Run ${progress.status}**${took} (plan \`${progress.plan}\`)`, ''];
  for (const step of progress.steps) lines.push(`- ${step.name}: ${describeStepHosts(step)}`);
  if (progress.failure) lines.push('', progress.failure.message);
  return lines.join('\n');
}

function describeStepHosts(step: StepProgress): string {
  const counts = countHosts(step);
  const parts = [`${counts.succeeded} succeeded`];
  if (counts.failed) parts.push(`${counts.failed} failed`);
  if (counts.stopped) parts.push(`${counts.stopped} stopped at a gate`);
  const notStarted = counts['not-started'] + counts.pending;
  if (notStarted) parts.push(`${notStarted} not started`);
  return `${parts.join(', ')} of ${step.hosts.length}`;
}
