import type { ActionSpecOf } from '../spec/run-spec';
import type { ActionContext, ActionOutcome } from './action-context';
import { commandScript } from './host-env';

/** `run`: the command through the user's shell, the job's variables exported, output to the log. */
export async function runCommand(action: ActionSpecOf<'run'>, context: ActionContext): Promise<ActionOutcome> {
  context.log.write(`$ ${action.command}\n`);
  const result = await context.shell.exec(commandScript(action.command, context.env), {
    onOutput: (chunk) => context.log.write(chunk),
    signal: context.signal,
  });
  return {
    status: result.exitCode === 0 ? 'succeeded' : 'failed',
    command: action.command,
    exitCode: result.exitCode,
    ...(result.exitSignal ? { exitSignal: result.exitSignal } : {}),
    stdoutTail: result.stdoutTail,
    stderrTail: result.stderrTail,
  };
}
