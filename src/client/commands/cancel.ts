import type { WorkflowHandle } from '@temporalio/client';
import { setTimeout as sleep } from 'node:timers/promises';
import { styleFor } from '../../ui/style';
import { cancelReasonSignal, RUN_FAILURE } from '../../workflows/definitions';
import type { RunProgress } from '../../workflows/progress';
import { parseCommandArgs, TEMPORAL_OPTIONS, TEMPORAL_USAGE } from '../cli-args';
import { out, type Command } from '../command';
import { operatorName } from '../operator';
import { awaitOutcome, type RunOutcome } from '../run-outcome';
import { requireRunId, withRun } from '../open-run';
import { UserError } from '../user-error';

// Long enough for every activity to see the cancel (a heartbeat) and for its command's process
// group to go through TERM and, after its grace, KILL.
const WAIT_MS = 30_000;

export const cancelCommand: Command = {
  name: 'cancel',
  summary: 'stop a run: terminate the commands in flight on its hosts and start nothing more',
  usage: [
    'usage: hades cancel <run-id> [--reason TEXT] [--json]',
    '',
    'Cancels the run. Every command running on a host for it is stopped there (its process group',
    'gets SIGTERM, then SIGKILL after 5s), no further batch or step starts, and the run ends as',
    'cancelled, naming the hosts it interrupted. Waits up to 30s for that; exits 1 when the run',
    'has already ended.',
    '',
    '  --reason TEXT          recorded in the run with who cancelled it',
    '  --json                 print the result as JSON, for scripts',
    ...TEMPORAL_USAGE,
  ],
  async run(argv) {
    const { values, positionals } = parseCommandArgs('cancel', argv, { ...TEMPORAL_OPTIONS, reason: { type: 'string' }, json: { type: 'boolean' } });
    const runId = requireRunId('cancel', positionals);
    return withRun(runId, values, async ({ handle, description, settings }) => {
      if (description.status.name !== 'RUNNING') {
        throw new UserError(`run ${runId} is ${description.status.name.toLowerCase()}: there is nothing to cancel`, `see how it ended with: hades status ${runId}`);
      }

      const by = operatorName();
      await handle.signal(cancelReasonSignal, { by, ...(values.reason ? { reason: values.reason } : {}) });
      await handle.cancel();
      const outcome = await outcomeWithin(handle, WAIT_MS);
      const report = reportOf(runId, by, values.reason, outcome);
      if (values.json) out(JSON.stringify(report, null, 2));
      else printReport(report, settings.taskQueue);
      return report.status === 'cancelled' || report.status === 'cancel-requested' ? 0 : 1;
    });
  },
};

/** What `hades cancel` found; also its `--json` output. */
export interface CancelReport {
  runId: string;
  /** `cancel-requested`: no worker acted on it within the wait; the run ended otherwise: its status. */
  status: RunProgress['status'] | 'cancel-requested';
  by: string;
  reason?: string;
  interrupted: Array<{ step: string; host: string; addr: string }>;
  message?: string;
}

function reportOf(runId: string, by: string, reason: string | undefined, outcome: RunOutcome | undefined): CancelReport {
  const base = { runId, by, ...(reason ? { reason } : {}) };
  if (!outcome) return { ...base, status: 'cancel-requested', interrupted: [] };
  const progress = outcome.progress;
  const interrupted = (progress?.steps ?? []).flatMap((step) =>
    step.hosts.filter((host) => host.status === 'interrupted').map((host) => ({ step: step.name, host: host.name, addr: host.addr })),
  );
  const status = progress?.status ?? (outcome.error?.type === RUN_FAILURE.cancelled ? 'cancelled' : outcome.error ? 'failed' : 'succeeded');
  return { ...base, status, interrupted, ...(outcome.error ? { message: outcome.error.message } : {}) };
}

function printReport(report: CancelReport, taskQueue: string): void {
  const style = styleFor(process.stdout);
  const { runId } = report;
  if (report.status === 'cancel-requested') {
    out(`${style.warn(style.symbols.stopped)} asked to cancel ${runId}, but no worker has acted on it yet`);
    out(`  it takes effect once a worker serves task queue ${taskQueue} (hades worker); see: hades status ${runId}`);
    return;
  }
  if (report.status !== 'cancelled') {
    out(`${style.warn(style.symbols.stopped)} run ${runId} ${report.status} before the cancel reached it${report.message ? `: ${report.message}` : ''}`);
    return;
  }
  out(`${style.ok(style.symbols.ok)} cancelled ${runId}`);
  if (report.interrupted.length === 0) out('  no command was running on a host');
  for (const host of report.interrupted) out(`  interrupted ${host.step}/${host.host} (${host.addr}): its command was stopped on the host`);
}

async function outcomeWithin(handle: WorkflowHandle, ms: number): Promise<RunOutcome | undefined> {
  const outcome = awaitOutcome(handle);
  outcome.catch(() => undefined);
  return Promise.race([outcome, sleep(ms).then(() => undefined)]);
}
