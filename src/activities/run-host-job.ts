import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Client } from 'ssh2';
import { commandScript, hostEnv } from '../actions/host-env';
import { describeAction, renderAction, type RenderedAction } from '../actions/render-action';
import type { ActionResult, HostFailure, HostJobCheckpoint, HostJobInput, HostJobResult } from '../spec/host-job';
import { connectHost } from '../ssh/connect-host';
import { execCommand } from '../ssh/exec-command';
import { SshError } from '../ssh/ssh-error';
import { HostLog } from './host-log';

const HEARTBEAT_MS = 5_000;

export interface ActivityOptions {
  /** Folder of per-host log files, one subfolder per run. */
  logDir: string;
}

/**
 * Runs a job's actions on one host over one SSH connection. A command that exits non-zero fails
 * the host for good (non-retryable); a host that cannot be reached before anything ran fails
 * with a retryable SSH error. After a lost worker, the next attempt resumes at the action that
 * was in progress, so finished actions never run twice.
 */
export function createRunHostJob(options: ActivityOptions) {
  return async function runHostJob(input: HostJobInput): Promise<HostJobResult> {
    const context = Context.current();
    const log = new HostLog(options.logDir, input.runId, input.host.name);
    const checkpoint = resumeFrom(context.info.heartbeatDetails);
    const env = hostEnv({ ...input, step: input.step });
    const where = `${input.host.name} (${input.host.addr})`;

    let client: Client;
    try {
      client = await connectHost({ host: input.host, knownHostsFile: input.knownHostsFile, connectTimeoutMs: input.connectTimeoutMs });
    } catch (error) {
      throw hostFailure(toFailure(error, checkpoint.completed), log);
    }

    const completed = [...checkpoint.completed];
    const stopHeartbeat = startHeartbeat(context, () => ({ position: completed.length, completed }));
    try {
      for (let position = completed.length; position < input.actions.length; position++) {
        context.heartbeat({ position, completed } satisfies HostJobCheckpoint);
        const action = renderAction(input.actions[position], env);
        const rerun = position === checkpoint.position && checkpoint.interrupted;
        const result = await runAction(client, action, { log, env, where, step: input.step, rerun, signal: context.cancellationSignal });
        if (result.status === 'failed') throw hostFailure(actionFailure(result, completed, where), log);
        completed.push(result);
      }
    } catch (error) {
      if (error instanceof ApplicationFailure) throw error;
      throw hostFailure(toFailure(error, completed), log);
    } finally {
      stopHeartbeat();
      client.end();
    }
    return { host: input.host.name, actions: completed };
  };
}

interface RunContext {
  log: HostLog;
  env: Record<string, string>;
  where: string;
  step: string;
  rerun: boolean;
  signal: AbortSignal;
}

async function runAction(client: Client, action: RenderedAction, context: RunContext): Promise<ActionResult> {
  if (action.kind !== 'run') throw new Error(`action kind ${action.kind} does not run on a host`);
  const { log } = context;
  const started = Date.now();
  const label = describeAction(action);
  if (context.rerun) log.note(`step ${context.step} · action ${label} was interrupted by a lost worker and is run again`);
  log.note(`step ${context.step} · action ${label}`);
  log.write(`$ ${action.command}\n`);

  const exec = await execCommand(client, commandScript(action.command, context.env), {
    where: context.where,
    signal: context.signal,
    onOutput: (chunk) => log.write(chunk),
  });
  if (exec.exitCode === null && exec.exitSignal === undefined) {
    throw new SshError('CONNECTION_LOST', `${context.where}: connection lost while action ${label} ran`, 'the command may or may not have finished on the host; check the host before running again');
  }

  const durationMs = Date.now() - started;
  const status = exec.exitCode === 0 ? 'succeeded' : 'failed';
  log.note(`${status} ${exec.exitSignal ? `by signal ${exec.exitSignal}` : `with exit code ${exec.exitCode}`} in ${durationMs} ms`);
  return {
    index: action.index,
    kind: action.kind,
    ...(action.name ? { name: action.name } : {}),
    status,
    command: action.command,
    exitCode: exec.exitCode,
    ...(exec.exitSignal ? { exitSignal: exec.exitSignal } : {}),
    durationMs,
    stdoutTail: exec.stdoutTail,
    stderrTail: exec.stderrTail,
    ...(context.rerun ? { rerun: true } : {}),
  };
}

function actionFailure(result: ActionResult, completed: ActionResult[], where: string): HostFailure {
  const how = result.exitSignal ? `was killed by signal ${result.exitSignal}` : `exited with code ${result.exitCode}`;
  return {
    code: 'ACTION_FAILED',
    message: `${where}: action ${describeAction(result)} ${how}`,
    action: result,
    completed: [...completed],
  };
}

function toFailure(error: unknown, completed: ActionResult[]): HostFailure {
  if (error instanceof SshError) return { code: error.code, message: error.message, hint: error.hint, completed: [...completed] };
  return { code: 'INTERNAL', message: (error as Error).message ?? String(error), completed: [...completed] };
}

/** An ApplicationFailure the workflow and CLI can read; only transient SSH errors are retried. */
function hostFailure(failure: HostFailure, log: HostLog): ApplicationFailure {
  log.note(`host failed: ${failure.message}${failure.hint ? ` (hint: ${failure.hint})` : ''}`);
  const transient = failure.code === 'CONNECT_REFUSED' || failure.code === 'CONNECT_TIMEOUT' || failure.code === 'HOST_UNREACHABLE';
  return ApplicationFailure.create({ message: failure.message, type: failure.code, nonRetryable: !transient, details: [failure] });
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
