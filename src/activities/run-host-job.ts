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
import type { ActionResult, HostFailure, HostJobCheckpoint, HostJobInput, HostJobResult } from '../spec/host-job';
import type { ActionSpec } from '../spec/run-spec';
import { connectHost } from '../ssh/connect-host';
import { isTransientCode, SshError } from '../ssh/ssh-error';
import { sshShell } from '../ssh/ssh-shell';
import { HostLog, safeName } from './host-log';

// Often, because a cancelled run reaches its activities only through a heartbeat's reply.
const HEARTBEAT_MS = 1_000;

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
      shell = input.local ? localShell(input.configDir, `${where}, local`) : sshShell(await connectHost(input), where);
    } catch (error) {
      throw hostFailure(toFailure(error, checkpoint.completed), log);
    }

    const completed = [...checkpoint.completed];
    const stop = stopOnCancel(context);
    const stopHeartbeat = startHeartbeat(context, () => ({ position: completed.length, completed }));
    try {
      if (input.guard !== undefined && completed.length === 0) {
        const guard = await checkGuard(shell, input.guard, env, log);
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
        context.heartbeat({ position, completed } satisfies HostJobCheckpoint);
        const rerun = position === checkpoint.position && checkpoint.interrupted;
        const result = await runAction(renderAction(input.actions[position], env), actionContext, { step: input.step, rerun });
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
async function checkGuard(shell: HostShell, guard: string, env: Record<string, string>, log: HostLog): Promise<number | null | undefined> {
  log.note(`guard: ${guard}`);
  const result = await shell.exec(commandScript(guard, env), { onOutput: (chunk) => log.write(chunk) });
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

function actionFailure(result: ActionResult, completed: ActionResult[], where: string): HostFailure {
  const how = result.exitCode === undefined
    ? `failed: ${result.detail}`
    : result.exitSignal ? `was killed by signal ${result.exitSignal}` : `exited with code ${result.exitCode}`;
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
