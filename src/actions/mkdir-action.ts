import { formatMode } from '../config/mode';
import type { ActionSpecOf } from '../spec/run-spec';
import { ActionError } from './action-error';
import { succeeded, type ActionContext, type ActionOutcome } from './action-context';
import { shellPath } from './remote-file';

export const DEFAULT_DIR_MODE = 0o755;

/** `mkdir`: the folder and its parents, then its mode; nothing changes when it already is so. */
export async function makeDirectory(action: ActionSpecOf<'mkdir'>, context: ActionContext): Promise<ActionOutcome> {
  const dir = shellPath(action.path);
  const mode = formatMode(action.mode ?? DEFAULT_DIR_MODE);
  const script = `if [ -d ${dir} ]; then echo exists; else mkdir -p ${dir} && echo created; fi && chmod ${mode} ${dir}`;
  const result = await context.shell.exec(script);
  if (result.exitCode !== 0) {
    throw new ActionError(`${context.shell.where}: could not create ${action.path}: ${result.stderrTail.join(' ').trim()}`, 'check that the user may write to the parent folder');
  }
  const created = result.stdoutTail.includes('created');
  return succeeded(`${action.path} ${created ? 'created' : 'already there'} (mode ${mode})`);
}
