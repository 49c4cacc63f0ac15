import { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { join } from 'node:path';
import { ActionError } from '../actions/action-error';
import type { ActionContext, ActionOutcome } from '../actions/action-context';
import { ACTION_HANDLERS } from '../actions/action-handlers';
import { commandScript, hostEnv } from '../actions/host-env';
import type { HostShell } from '../actions/host-shell';
import { localShell } from '../actions/local-shell';
import { describeAction, renderAction, summarizeAction } from '../actions/render-action';
import { expandVariables } from '../env/expand-env';
import { maskDeep, maskerFor } from '../env/mask-secrets';
import { formatDuration } from '../util/duration';
import type { ActionResult, HostFailure, HostJobCheckpoint, HostJobInput, HostJobResult } from '../spec/host-job';
import type { ActionSpec } from '../spec/run-spec';
import { connectHost } from '../ssh/connect-host';
import { isTransientCode, SshError } from '../ssh/ssh-error';
import { sshShell } from '../ssh/ssh-shell';
import { HostLog, safeName } from './host-log';

// Often, because a cancelled run reaches its activities only through a heartbeat's reply.
const HEARTBEAT_MS = 1_000;

/**
 * The longest a worker holds a heartbeat before sending it (the worker's
 * maxHeartbeatThrottleInterval). A checkpoint is in Temporal only once it was sent: after a worker
 * lost sooner, the next attempt resumes from the checkpoint before it, running a finished action again.
 */
export const HEARTBEAT_THROTTLE_MS = 2_000;

// How long a job that must never run an action twice waits for its checkpoint to be sent.
const CHECKPOINT_SETTLE_MS = HEARTBEAT_THROTTLE_MS + 500;

export interface ActivityOptions {
  /** Folder of per-host log files, one subfolder per run. */
  logDir: string;
}

/**
 * Runs a job's actions on one host over one SSH connection (or on the worker for a local job). A
 * failed action fails the host for good (non-retryable); a host that cannot be reached before
 * anything ran fails with a retryable SSH error. After a lost worker, the next attempt resumes at
 * the action that was in progress, so finished actions never run twice.
 */
export function createRunHostJob(options: ActivityOptions) {
  return async function runHostJob(input: HostJobInput): Promise<HostJobResult> {
    const context = Context.current();
    const log = new HostLog(options.logDir, input.runId, input.host.name);
    const checkpoint = resumeFrom(context.info.heartbeatDetails);
    const env = hostEnv(input);
    const masker = maskerFor(env, input.secrets);
    log.maskWith(masker);
    const where = `${input.host.name} (${input.host.addr})`;

    let shell: HostShell;
    try {
      shell = input.local ? localShell(input.configDir, `${where}, local`) : sshShell(await connectHost({ ...input, onHostKeyRecorded: (text) => log.note(text) }), where);
    } catch (error) {
      throw hostFailure(withAttempts(toFailure(error, checkpoint.completed), context.info, log), log);
    }

    const completed = [...checkpoint.completed];
    const stop = stopOnCancel(context);
    // The host, step and action ride along so `hades run` can show where each host is.
    const checkpointAt = (position: number): HostJobCheckpoint => {
      const action = input.actions[position];
      return { position, completed, host: input.host.name, step: input.step, ...(action ? { action: describeAction(labelOnly(action)) } : {}) };
    };
    const stopHeartbeat = startHeartbeat(context, () => checkpointAt(completed.length));
    try {
      if (input.guard !== undefined && completed.length === 0) {
        const guard = await checkGuard(shell, input.guard, { env, log, signal: stop.signal });
        if (stop.signal.aborted) throw cancelled(log, 'while its guard ran');
        if (guard !== undefined) return { host: input.host.name, actions: [], skipped: { guard: input.guard, exitCode: guard } };
      }
      const actionContext: ActionContext = {
        shell,
        env,
        log,
        configDir: input.configDir,
        artifacts: Object.fromEntries(Object.entries(input.artifacts ?? {}).map(([name, path]) => [name, expandVariables(path, env)])),
        registries: input.registries,
        host: input.host,
        target: input.target,
        renderDir: join(options.logDir, safeName(input.runId), 'rendered', safeName(input.host.name)),
        signal: stop.signal,
      };
      for (let position = completed.length; position < input.actions.length; position++) {
        if (stop.signal.aborted) throw cancelled(log, `before action [${input.actions[position].index}]`);
        context.heartbeat(checkpointAt(position));
        const rerun = position === checkpoint.position && checkpoint.interrupted;
        const action = renderAction(input.actions[position], env);
        if (rerun && input.rerunInterrupted === false) throw hostFailure(interruptedFailure(action, completed, where), log);
        // Once the checkpoint is in Temporal, a lost worker can only ever be blamed on this action.
        if (input.rerunInterrupted === false && !(await pause(CHECKPOINT_SETTLE_MS, stop.signal))) throw cancelled(log, `before action [${action.index}]`);
        const result = await runWithRetries(action, actionContext, { step: input.step, rerun, retries: input.retries ?? 0 });
        if (stop.signal.aborted) throw cancelled(log, `in action ${describeAction(result)}, which was stopped on the host`);
        if (result.status === 'failed') throw hostFailure(actionFailure(result, completed, where), log);
        // Results go into history and heartbeats: no secret's value may leave the worker.
        completed.push(maskDeep(result, masker));
      }
    } catch (error) {
      if (error instanceof ApplicationFailure || error instanceof CancelledFailure) throw error;
      if (stop.signal.aborted) throw cancelled(log, 'while an action ran');
      throw hostFailure(toFailure(error, completed), log);
    } finally {
      stop.dispose();
      stopHeartbeat();
      shell.close();
      log.flush();
    }
    return { host: input.host.name, actions: completed };
  };
}

/** Runs the guard; returns its exit code when it says no, undefined when the job should run. */
async function checkGuard(shell: HostShell, guard: string, run: { env: Record<string, string>; log: HostLog; signal: AbortSignal }): Promise<number | null | undefined> {
  const { log } = run;
  log.note(`guard: ${guard}`);
  const result = await shell.exec(commandScript(guard, run.env), { onOutput: (chunk) => log.write(chunk), signal: run.signal });
  if (result.exitCode === 0) return undefined;
  log.note(`guard exited with ${result.exitCode ?? result.exitSignal}: the job is skipped on this host`);
  return result.exitCode;
}

async function runAction(action: ActionSpec, context: ActionContext, run: { step: string; rerun: boolean }): Promise<ActionResult> {
  const { log } = context;
  const started = Date.now();
  const summary = summarizeAction(action);
  const label = describeAction({ ...action, summary });
  if (run.rerun) log.note(`step ${run.step} · action ${label} was interrupted by a lost worker and is run again`);
  log.note(`step ${run.step} · action ${label}`);

  let outcome: ActionOutcome;
  try {
    if (action.kind === 'wait') throw new Error('a gate is the workflow\'s: it never reaches a host');
    outcome = await (ACTION_HANDLERS[action.kind] as (action: ActionSpec, context: ActionContext) => Promise<ActionOutcome>)(action, context);
  } catch (error) {
    if (!(error instanceof ActionError)) throw error;
    outcome = { status: 'failed', detail: error.message, ...(error.hint ? { hint: error.hint } : {}), stdoutTail: [], stderrTail: [] };
  }
  if (outcome.status === 'succeeded' && outcome.exitCode === undefined && outcome.detail === undefined) outcome.detail = 'done';
  if (outcome.exitCode === null && outcome.exitSignal === undefined) {
    throw new SshError('CONNECTION_LOST', `${context.shell.where}: connection lost while action ${label} ran`, 'the command may or may not have finished on the host; check the host before running again');
  }

  const durationMs = Date.now() - started;
  const how = outcome.detail ?? (outcome.exitSignal ? `killed by signal ${outcome.exitSignal}` : `exit code ${outcome.exitCode}`);
  log.note(`${outcome.status}: ${how} (${durationMs} ms)`);
  return {
    index: action.index,
    kind: action.kind,
    ...(action.label ? { label: action.label } : {}),
    summary,
    ...outcome,
    durationMs,
    ...(run.rerun ? { rerun: true } : {}),
  };
}

/**
 * Runs an action, and runs a failed `run` action again up to `retries` times with a growing pause:
 * only when the job or step asks, since a command that ran may have changed the host.
 */
async function runWithRetries(action: ActionSpec, context: ActionContext, run: { step: string; rerun: boolean; retries: number }): Promise<ActionResult> {
  let result = await runAction(action, context, run);
  const runs = run.retries + 1;
  let ran = 1;
  for (; result.status === 'failed' && action.kind === 'run' && ran < runs; ran++) {
    const pauseMs = Math.min(1_000 * 2 ** (ran - 1), 30_000);
    context.log.note(`action ${describeAction(result)} ${describeEnd(result)}; run ${ran + 1} of ${runs} (retries: ${run.retries}) in ${formatDuration(pauseMs)}`);
    if (!(await pause(pauseMs, context.signal))) break;
    result = await runAction(action, context, { ...run, rerun: false });
  }
  return ran > 1 ? { ...result, attempts: ran } : result;
}

/** Waits `ms`; false when the run was cancelled meanwhile. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const timer = setTimeout(() => done(true), ms);
    const onAbort = (): void => done(false);
    const done = (value: boolean): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(value);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** How a failed action ended, as a verb phrase: "exited with code 3", "failed: timed out …". */
function describeEnd(result: ActionResult): string {
  if (result.exitCode === undefined) return `failed: ${result.detail}`;
  return result.exitSignal ? `was killed by signal ${result.exitSignal}` : `exited with code ${result.exitCode}`;
}

/** An action that a lost worker cut off, in a job that says it must not run twice. */
function interruptedFailure(action: ActionSpec, completed: ActionResult[], where: string): HostFailure {
  const detail = 'interrupted by a lost worker and not run again, because the job says rerun_interrupted: false';
  const result: ActionResult = {
    index: action.index,
    kind: action.kind,
    ...(action.label ? { label: action.label } : {}),
    summary: summarizeAction(action),
    status: 'failed',
    detail,
    ...(action.kind === 'run' ? { command: action.command } : {}),
    durationMs: 0,
    stdoutTail: [],
    stderrTail: [],
  };
  return {
    code: 'ACTION_INTERRUPTED',
    message: `${where}: action ${describeAction(result)} was ${detail}`,
    hint: 'it may or may not have finished on the host: check there (see the host log), then finish it by hand or run the plan again',
    action: result,
    completed: [...completed],
  };
}

function actionFailure(result: ActionResult, completed: ActionResult[], where: string): HostFailure {
  const runs = result.attempts ? `, on each of its ${result.attempts} runs` : '';
  const how = `${describeEnd(result)}${runs}`;
  const hint = result.hint;
  return {
    code: 'ACTION_FAILED',
    message: `${where}: action ${describeAction(result)} ${how}`,
    ...(hint ? { hint } : {}),
    action: result,
    completed: [...completed],
  };
}

function toFailure(error: unknown, completed: ActionResult[]): HostFailure {
  if (error instanceof SshError) return { code: error.code, message: error.message, hint: error.hint, completed: [...completed] };
  return { code: 'INTERNAL', message: (error as Error).message ?? String(error), completed: [...completed] };
}

/**
 * Says how often Temporal tried to reach the host: in the log on every attempt, and in the
 * message once the retry policy's attempts are spent.
 */
function withAttempts(failure: HostFailure, info: Context['info'], log: HostLog): HostFailure {
  if (!isTransientCode(failure.code)) return failure;
  const max = info.retryPolicy?.maximumAttempts ?? 0;
  if (max > 0 && info.attempt < max) {
    log.note(`attempt ${info.attempt} of ${max} to reach the host failed (${failure.code}); Temporal tries again after a pause`);
    return failure;
  }
  const over = formatDuration(Math.max(0, Date.now() - info.scheduledTimestampMs));
  const tries = info.attempt === 1 ? 'tried once' : `tried ${info.attempt} times over ${over}`;
  return { ...failure, message: `${failure.message} (${tries})`, attempts: info.attempt };
}

/** An ApplicationFailure the workflow and CLI can read; only transient SSH errors are retried. */
function hostFailure(unmasked: HostFailure, log: HostLog): ApplicationFailure {
  const failure = maskDeep(unmasked, log.masker);
  log.note(`host failed: ${failure.message}${failure.hint ? ` (hint: ${failure.hint})` : ''}`);
  return ApplicationFailure.create({ message: failure.message, type: failure.code, nonRetryable: !isTransientCode(failure.code), details: [failure] });
}

/**
 * Aborts when the run is cancelled, which stops the command in flight on the host. A worker that
 * shuts down is not a cancel: its activities finish what they hold, as `hades worker` promises.
 */
function stopOnCancel(context: Context): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onCancel = (): void => {
    if (!context.cancellationDetails?.workerShutdown) controller.abort();
  };
  context.cancellationSignal.addEventListener('abort', onCancel, { once: true });
  return { signal: controller.signal, dispose: () => context.cancellationSignal.removeEventListener('abort', onCancel) };
}

function cancelled(log: HostLog, where: string): CancelledFailure {
  log.note(`cancelled ${where}: the run was cancelled`);
  return new CancelledFailure('the run was cancelled');
}

interface Resume {
  position: number;
  completed: ActionResult[];
  /** True when an earlier attempt was inside an action when its worker was lost. */
  interrupted: boolean;
}

function resumeFrom(details: unknown): Resume {
  const checkpoint = details as HostJobCheckpoint | undefined;
  if (!checkpoint || !Array.isArray(checkpoint.completed)) return { position: 0, completed: [], interrupted: false };
  return { position: checkpoint.position, completed: checkpoint.completed, interrupted: true };
}

// A long command prints nothing Temporal can see: without this a busy host looks like a lost worker.
function startHeartbeat(context: Context, details: () => HostJobCheckpoint): () => void {
  const timer = setInterval(() => context.heartbeat(details()), HEARTBEAT_MS);
  return () => clearInterval(timer);
}

/** An action's index, kind and own name: never its expanded fields, which may hold secrets. */
function labelOnly(action: ActionSpec): { index: number; kind: string; label?: string } {
  return { index: action.index, kind: action.kind, ...(action.label ? { label: action.label } : {}) };
}
