import type { ActionSpecOf } from '../spec/run-spec';
import { formatDuration } from '../util/duration';
import type { ActionContext, ActionOutcome } from './action-context';
import { commandScript } from './host-env';

/**
 * `run`: the command through the user's shell, the job's variables exported, output to the log.
 * With a `timeout`, a command still running when it expires is stopped on the host (its whole
 * process group), the same way a cancelled run stops it, and the action fails.
 */
export async function runCommand(action: ActionSpecOf<'run'>, context: ActionContext): Promise<ActionOutcome> {
  context.log.write(`$ ${action.command}\n`);
  const deadline = startDeadline(action.timeoutMs, context.signal);
  try {
    const result = await context.shell.exec(commandScript(action.command, context.env), {
      onOutput: (chunk) => context.log.write(chunk),
      signal: deadline.signal,
    });
    const tails = { command: action.command, stdoutTail: result.stdoutTail, stderrTail: result.stderrTail };
    if (deadline.expired()) {
      const detail = `timed out after ${formatDuration(action.timeoutMs ?? 0)}; the command was stopped on the host`;
      return { status: 'failed', detail, hint: 'raise the action\'s timeout if the command needs longer', ...tails };
    }
    return {
      status: result.exitCode === 0 ? 'succeeded' : 'failed',
      exitCode: result.exitCode,
      ...(result.exitSignal ? { exitSignal: result.exitSignal } : {}),
      ...tails,
    };
  } finally {
    deadline.dispose();
  }
}

interface Deadline {
  /** Aborts when the run is cancelled or the timeout expires. */
  signal?: AbortSignal;
  expired(): boolean;
  dispose(): void;
}

function startDeadline(timeoutMs: number | undefined, cancel: AbortSignal | undefined): Deadline {
  if (timeoutMs === undefined) return { signal: cancel, expired: () => false, dispose: () => undefined };

  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort();
  }, timeoutMs);
  const onCancel = (): void => controller.abort();
  if (cancel?.aborted) controller.abort();
  else cancel?.addEventListener('abort', onCancel, { once: true });
  return {
    signal: controller.signal,
    // A cancel that came first is the run's, not the timeout's.
    expired: () => expired && !cancel?.aborted,
    dispose: () => {
      clearTimeout(timer);
      cancel?.removeEventListener('abort', onCancel);
    },
  };
}
