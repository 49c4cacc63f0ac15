import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  CancelledFailure,
  isCancellation,
  log,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertMemo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { HostFailure, HostJobInput } from '../spec/host-job';
import { splitAtGates } from '../spec/job-segments';
import type { RunSpec, StepSpec } from '../spec/run-spec';
import { truncateBytes } from '../util/truncate-bytes';
import { HOST_JOB_OPTIONS } from './activity-options';
import { cancelReasonSignal, CANCELLED_PROGRESS_MEMO, progressQuery, RUN_FAILURE, SUMMARY_BYTES, type CancelInput, type RunOptions } from './definitions';
import { describeCurrent } from './describe-current';
import { installGateHandlers, passGate, type WaitForAnswer } from './gates';
import { lockHosts, type HostLocks } from './host-locks';
import { makeRunRecorder, type RunRecorder } from './record-run';
import { closeProgress, initialProgress, type HostProgress, type RunProgress, type StepProgress } from './progress';
import { RunStop } from './run-stop';

const { runHostJob } = proxyActivities<Activities>(HOST_JOB_OPTIONS);

/** File-action notes kept per host: the progress stays small whatever the job. */
const MAX_NOTES = 20;


/**
 * One run of a plan. Steps run in order, each in batches of hosts; a batch runs one activity per
 * host, all at once, and lets them all finish. A failed host, a rejected gate or a gate that timed
 * out stops the run before the next batch. The returned progress is the run's summary.
 */
export async function planWorkflow(spec: RunSpec, options?: RunOptions): Promise<RunProgress> {
  const progress = initialProgress(spec, Date.now());
  const recorder = makeRunRecorder(options);
  let cancelNote: CancelInput | undefined;

  setHandler(progressQuery, () => progress, { description: 'The whole state of the run: steps, batches, hosts, open gate.' });
  setHandler(
    cancelReasonSignal,
    (input) => {
      cancelNote ??= input ?? {};
    },
    { description: 'Records who cancels the run and why, before the cancel itself. Input (optional): {"by": "name", "reason": "why"}.' },
  );

  const waitForAnswer = installGateHandlers(progress);

  let locks: HostLocks | undefined;
  try {
    // Runs started before host locks existed replay without them.
    if (patched('host-locks') && !options?.allowConcurrent) locks = await lockHosts(spec);
    if (locks?.refused) throw new RunStop(RUN_FAILURE.hostsLocked, locks.refused);
    for (const [index, step] of spec.steps.entries()) {
      await runStep(spec, step, progress.steps[index], { progress, waitForAnswer, recorder });
    }
  } catch (error) {
    if (isCancellation(error)) {
      endCancelled(progress, cancelNote);
      recorder.runFailed(RUN_FAILURE.cancelled);
      throw error;
    }
    if (!(error instanceof RunStop)) throw error;
    closeProgress(progress, 'failed');
    progress.failure = { code: error.type, message: error.message };
    recorder.runFailed(error.type, error.host);
    setCurrentDetails(describeCurrent(progress));
    throw ApplicationFailure.nonRetryable(error.message, error.type, progress);
  } finally {
    await locks?.release();
  }

  closeProgress(progress, 'succeeded');
  setCurrentDetails(describeCurrent(progress));
  return progress;
}

interface StepContext {
  progress: RunProgress;
  waitForAnswer: WaitForAnswer;
  recorder: RunRecorder;
}

async function runStep(spec: RunSpec, step: StepSpec, state: StepProgress, context: StepContext): Promise<void> {
  state.status = 'running';
  state.startedAt = Date.now();
  context.recorder.stepStarted(step.name);
  const segments = splitAtGates(step.actions);
  const targetOf = new Map(step.hosts.map((host) => [host.name, host.target]));

  for (const [batch, names] of state.batches.entries()) {
    state.currentBatch = batch;
    let hosts = state.hosts.filter((host) => host.batch === batch);
    for (const [position, segment] of segments.entries()) {
      // The guard goes with the job's first segment, even one with no action before a gate.
      const guard = position === 0 ? step.guard : undefined;
      if (segment.actions.length > 0 || guard !== undefined) {
        setCurrentDetails(describeCurrent(context.progress));
        const last = position === segments.length - 1;
        const failed = await runSegment(spec, step, state, hosts, { actions: segment.actions, targetOf, last, guard });
        if (failed.length > 0) {
          state.status = 'failed';
          throw new RunStop(RUN_FAILURE.hostFailed, describeHostFailures(state, failed, batch), failed[0].name);
        }
      }
      hosts = hosts.filter((host) => host.status !== 'skipped');
      if (segment.gate && hosts.length > 0) await passGate(segment.gate, { state, batch, hosts, ...context });
    }
    for (const host of hosts) {
      host.status = 'succeeded';
      host.finishedAt ??= Date.now();
    }
    log.info('batch finished', { step: step.name, batch: batch + 1, batches: state.batches.length, hosts: names.length });
  }
  state.status = 'succeeded';
  state.finishedAt = Date.now();
}

interface SegmentContext {
  actions: StepSpec['actions'];
  targetOf: Map<string, string>;
  /** The job's last segment: a host that passes it is done. */
  last: boolean;
  /** The job's guard, with its first segment only. */
  guard?: string;
}

/**
 * Runs one segment of the job on every host of a batch at once and returns the hosts that failed.
 * A cancelled run throws once every activity has stopped, its hosts marked interrupted.
 */
async function runSegment(spec: RunSpec, step: StepSpec, state: StepProgress, hosts: HostProgress[], segment: SegmentContext): Promise<HostProgress[]> {
  if (CancellationScope.current().consideredCancelled) throw new CancelledFailure('the run was cancelled');
  const batchLabel = `batch ${(hosts[0]?.batch ?? 0) + 1}/${state.batches.length}`;
  const outcomes = await Promise.allSettled(
    hosts.map(async (host) => {
      host.status = 'running';
      host.startedAt ??= Date.now();
      host.action = segment.actions[0]?.index;
      const input: HostJobInput = {
        runId: spec.runId,
        plan: spec.plan,
        step: step.name,
        stepIndex: state.index,
        batchIndex: host.batch,
        host: spec.hosts[host.name],
        target: segment.targetOf.get(host.name) ?? '',
        env: step.env,
        ...(step.secrets ? { secrets: step.secrets } : {}),
        actions: segment.actions,
        configDir: spec.configDir,
        ...(spec.knownHostsFile ? { knownHostsFile: spec.knownHostsFile } : {}),
        ...(spec.connectTimeoutMs ? { connectTimeoutMs: spec.connectTimeoutMs } : {}),
        ...(spec.hostKeyPolicy ? { hostKeyPolicy: spec.hostKeyPolicy } : {}),
        ...(segment.guard !== undefined ? { guard: segment.guard } : {}),
        ...(step.local ? { local: true } : {}),
        ...(step.artifacts ? { artifacts: step.artifacts } : {}),
        ...(step.rerunInterrupted === false ? { rerunInterrupted: false as const } : {}),
        ...(step.retries ? { retries: step.retries } : {}),
        registries: spec.registries,
      };
      const summary = `${step.name} · ${batchLabel} · ${host.name} (${host.addr}) · job ${step.job}`;
      try {
        const result = await runHostJob.executeWithOptions({ ...HOST_JOB_OPTIONS, summary: truncateBytes(summary, SUMMARY_BYTES) }, [input]);
        host.actionsDone += result.actions.length;
        const notes = result.actions.filter((action) => action.kind !== 'run' && action.detail).map((action) => `[${action.index}] ${action.kind}: ${action.detail}`);
        if (notes.length > 0) host.notes = [...(host.notes ?? []), ...notes].slice(-MAX_NOTES);
        const reruns = result.actions.filter((action) => action.rerun).map((action) => action.index);
        if (reruns.length > 0) host.rerunActions = [...(host.rerunActions ?? []), ...reruns];
        host.action = undefined;
        if (result.skipped) {
          host.status = 'skipped';
          host.skipped = `guard \`${result.skipped.guard}\` exited ${result.skipped.exitCode ?? 'by a signal'}`;
          host.finishedAt = Date.now();
          return;
        }
        host.status = segment.last ? 'succeeded' : 'waiting';
        if (segment.last) host.finishedAt = Date.now();
      } catch (error) {
        if (isCancellation(error)) {
          host.status = 'interrupted';
          host.finishedAt = Date.now();
          throw error;
        }
        host.status = 'failed';
        host.finishedAt = Date.now();
        host.failure = readHostFailure(error);
        host.actionsDone += host.failure.completed.length;
        throw error;
      }
    }),
  );
  if (hosts.some((host) => host.status === 'interrupted')) throw new CancelledFailure('the run was cancelled');
  return hosts.filter((_, index) => outcomes[index].status === 'rejected');
}

/** The HostFailure an activity attached, or one made from whatever else ended it (a timeout, say). */
function readHostFailure(error: unknown): HostFailure {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure && cause.details?.[0]) return cause.details[0] as HostFailure;
  const message = cause instanceof Error ? cause.message : String(cause);
  return { code: 'ACTIVITY_FAILED', message, completed: [] };
}

function describeHostFailures(state: StepProgress, failed: HostProgress[], batch: number): string {
  const where = `step "${state.name}" batch ${batch + 1}/${state.batches.length}`;
  if (failed.length === 1) return `${where}: ${failed[0].failure?.message ?? `host ${failed[0].name} failed`}`;
  return `${where}: ${failed.length} hosts failed: ${failed.map((host) => host.name).join(', ')}`;
}

/** Closes a cancelled run: the hosts it interrupted, who cancelled it and why, kept in its memo. */
function endCancelled(progress: RunProgress, note: CancelInput | undefined): void {
  closeProgress(progress, 'cancelled');
  const interrupted = progress.steps.flatMap((step) => step.hosts.filter((host) => host.status === 'interrupted'));
  const who = note?.by ? ` by ${note.by}` : '';
  const why = note?.reason ? `: ${note.reason}` : '';
  const hosts = interrupted.length === 0 ? 'no command was running' : `interrupted ${interrupted.map((host) => `${host.name} (${host.addr})`).join(', ')}`;
  progress.failure = { code: RUN_FAILURE.cancelled, message: `run cancelled${who}${why}; ${hosts}` };
  setCurrentDetails(describeCurrent(progress));
  upsertMemo({ [CANCELLED_PROGRESS_MEMO]: progress });
}
