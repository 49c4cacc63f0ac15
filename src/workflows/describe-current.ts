import type { RunProgress } from './progress';

/** Markdown for the Web UI's "Current Details": where the run is and what it waits for. */
export function describeCurrent(progress: RunProgress): string {
  if (progress.status !== 'running') {
    const failure = progress.failure ? `\n\n${progress.failure.message}` : '';
    return `**Run ${progress.status}** (plan \`${progress.plan}\`)${failure}`;
  }

  const step = progress.steps.find((candidate) => candidate.status === 'running');
  if (!step) return `**Starting** plan \`${progress.plan}\``;
  const batch = step.currentBatch ?? 0;
  const lines = [
    `**Step ${step.index + 1}/${progress.steps.length}: ${step.name}** (job \`${step.job}\`, ${step.parallelism})`,
    `Batch ${batch + 1}/${step.batches.length}: ${step.batches[batch].join(', ')}`,
  ];
  const gate = progress.gate;
  if (gate) {
    lines.push('', `**Waiting at a gate:** ${gate.message}`);
    lines.push('Send the `approve` signal to continue or `reject` to stop the run.');
  }
  return lines.join('\n');
}
