import { formatMode } from '../config/mode';
import type { ActionSpecOf } from '../spec/run-spec';
import { ActionError } from './action-error';
import { succeeded, type ActionContext, type ActionOutcome } from './action-context';
import { shellPath } from './remote-file';

export const DEFAULT_DIR_MODE = 0o755;

/** `mkdir`: the folder and its parents, then its mode; nothing changes when it already is so. */
/**
 * `mkdir`: the folder and its parents. A new folder gets `mode` (0755 by default); an existing one
 * keeps its mode unless the action names one, and a change of mode is reported.
 */
export async function makeDirectory(action: ActionSpecOf<'mkdir'>, context: ActionContext): Promise<ActionOutcome> {
  const dir = shellPath(action.path);
  const mode = formatMode(action.mode ?? DEFAULT_DIR_MODE);
  const keep = action.mode === undefined ? 'true' : `chmod ${mode} ${dir}`;
  const script = [
    `if [ -d ${dir} ]; then echo "exists $(stat -c %a ${dir})" && ${keep}; elif [ -e ${dir} ]; then echo 'not a directory' >&2; exit 1;`,
    `else mkdir -p ${dir} && chmod ${mode} ${dir} && echo created; fi`,
  ].join(' ');
  const result = await context.shell.exec(script);
  if (result.exitCode !== 0) {
    throw new ActionError(`${context.shell.where}: could not create ${action.path}: ${result.stderrTail.join(' ').trim()}`, 'check that the path is free or a folder, and that the user may write to its parent');
  }
  const [state, before] = (result.stdoutTail[0] ?? '').split(' ');
  if (state === 'created') return succeeded(`${action.path} created (mode ${mode})`);
  const was = formatMode(parseInt(before ?? '0', 8));
  if (action.mode === undefined || was === mode) return succeeded(`${action.path} already there (mode ${was})`);
  return succeeded(`${action.path} already there, mode changed from ${was} to ${mode}`);
}
