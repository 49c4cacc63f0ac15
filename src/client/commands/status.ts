import type { WorkflowHandle } from '@temporalio/client';
import { progressEvents } from '../../ui/progress-events';
import { renderEvent, renderSummary } from '../../ui/render-progress';
import { styleFor } from '../../ui/style';
import type { RunProgress } from '../../workflows/progress';
import { parseCommandArgs, TEMPORAL_OPTIONS, TEMPORAL_USAGE } from '../cli-args';
import { out, type Command } from '../command';
import { awaitOutcome } from '../run-outcome';
import { requireRunId, withRun } from '../open-run';
import { queryProgress } from '../query-progress';
import { UserError } from '../user-error';

export const statusCommand: Command = {
  name: 'status',
  summary: 'show where a run is: steps, batches, hosts, the open gate',
  usage: ['usage: hades status <run-id> [--json]', '', '  --json                 print the progress as JSON, for scripts', ...TEMPORAL_USAGE],
  async run(argv) {
    const { values, positionals } = parseCommandArgs('status', argv, { ...TEMPORAL_OPTIONS, json: { type: 'boolean' } });
    const runId = requireRunId('status', positionals);
    return withRun(runId, values, async ({ handle, description, settings }) => {
      const progress = await readProgress(handle, description.status.name, settings.taskQueue);
      if (values.json) {
        out(JSON.stringify(progress, null, 2));
        return 0;
      }
      const style = styleFor(process.stdout);
      out(style.bold(`Run ${runId}`) + ` (plan ${progress.plan}): ${progress.status}`);
      for (const event of progressEvents(undefined, progress)) for (const line of renderEvent(event, style)) out(line);
      if (progress.gate) out(`    approve: hades approve ${runId}    reject: hades reject ${runId} --reason "..."`);
      for (const line of renderSummary(progress, style)) out(line);
      return 0;
    });
  },
};

/** The live progress of a running run; for a closed run, the one stored with its result. */
async function readProgress(handle: WorkflowHandle, status: string, taskQueue: string): Promise<RunProgress> {
  if (status === 'RUNNING') {
    return queryProgress(handle).catch(() => {
      throw new UserError(`run ${handle.workflowId} is running, but no worker answered for its progress`, `a worker must serve task queue ${taskQueue}: start one with \`hades worker\` (hades list shows the run meanwhile)`);
    });
  }
  const outcome = await awaitOutcome(handle);
  if (outcome.progress) return outcome.progress;
  throw new UserError(`run ${handle.workflowId} is ${status.toLowerCase()} and left no progress: ${outcome.error?.message ?? ''}`);
}
