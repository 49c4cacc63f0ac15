import type { WorkflowHandle } from '@temporalio/client';
import { SecretMasker } from '../env/mask-secrets';
import { renderSummary } from '../ui/render-progress';
import type { Style } from '../ui/style';
import { RUN_FAILURE } from '../workflows/definitions';
import { err, out } from './command';
import { followRun } from './follow-run';
import { GateAnswerer } from './gate-answerer';
import type { RunOutcome } from './run-outcome';
import type { TemporalSettings } from './temporal-settings';

export interface AttachOptions {
  handle: WorkflowHandle;
  settings: TemporalSettings;
  style: Style;
  /** Approve every gate without asking. */
  yes?: boolean;
  /** Hides the run's secrets in what is printed, when the caller knows them. */
  masker?: SecretMasker;
}

/**
 * The view `hades run` and `hades watch` share: the run's events from the start, the gate prompt,
 * the summary; 0 when the run succeeded, 1 otherwise. Ctrl-C detaches and leaves the run going.
 */
export async function attachRun({ handle, settings, style, yes, masker = new SecretMasker([]) }: AttachOptions): Promise<number> {
  const runId = handle.workflowId;
  const write = (line: string): void => out(masker.mask(line));
  const gates = new GateAnswerer(handle, style, { yes: yes === true, runId, settings });
  const detach = () => {
    gates.close();
    err(`\ndetached from ${runId}; it goes on as long as a worker serves task queue ${settings.taskQueue}`);
    err(`  re-attach with: hades watch ${runId}    stop it with: hades cancel ${runId}`);
    process.exit(130);
  };
  process.once('SIGINT', detach);
  let outcome: RunOutcome;
  try {
    outcome = await followRun(handle, {
      style,
      write,
      onGate: (gate) => gates.open(gate),
      onGateClosed: () => gates.close(),
      noWorkerHint: `no worker has picked up ${runId} yet; start one with: hades worker (task queue ${settings.taskQueue})`,
    });
  } finally {
    process.removeListener('SIGINT', detach);
    gates.close();
  }

  if (outcome.progress) for (const line of renderSummary(outcome.progress, style)) write(line);
  if (outcome.error && !outcome.progress) {
    const how = outcome.error.type === RUN_FAILURE.cancelled ? 'was cancelled' : 'failed';
    err(style.bad(`error: run ${runId} ${how}: ${masker.mask(outcome.error.message)}`));
  }
  return outcome.error ? 1 : 0;
}
