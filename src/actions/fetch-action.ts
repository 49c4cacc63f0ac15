import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { writeLocalFileAtomically } from '../util/write-atomically';
import type { ActionSpecOf } from '../spec/run-spec';
import { ActionError } from './action-error';
import { succeeded, type ActionContext, type ActionOutcome } from './action-context';
import { localPath } from './local-files';
import { formatSize, probeFile, sha256, shellPath } from './remote-file';

/** `fetch`: a file of the host to a local path, skipped when the local copy has the same sha256. */
export async function fetchFile(action: ActionSpecOf<'fetch'>, context: ActionContext): Promise<ActionOutcome> {
  const remote = await probeFile(context.shell, action.src);
  if (!remote) throw new ActionError(`${context.shell.where}: ${action.src} does not exist on the host`, 'check the path of fetch.src');

  const target = fetchTarget(context, action.dst);
  if (localSha256(target) === remote.sha256) return succeeded(`${target} unchanged (same sha256), skipped`);

  const result = await context.shell.exec(`cat ${shellPath(action.src)}`, { collectStdout: true });
  if (result.exitCode !== 0 || !result.stdout) {
    throw new ActionError(`${context.shell.where}: could not read ${action.src}: ${result.stderrTail.join(' ').trim()}`, 'check that the user may read it');
  }
  if (sha256(result.stdout) !== remote.sha256) throw new ActionError(`${context.shell.where}: ${action.src} changed while it was read`, 'run again once the file is stable');

  writeLocalFileAtomically(target, result.stdout);
  return succeeded(`fetched ${action.src} to ${target} (${formatSize(result.stdout.length)})`);
}

function localSha256(file: string): string | undefined {
  try {
    return sha256(readFileSync(file));
  } catch {
    return undefined;
  }
}

/**
 * The local file a fetch writes: a relative `dst` must stay inside the config directory (a host
 * name in it must not lead elsewhere), and it must not be a folder.
 */
function fetchTarget(context: ActionContext, dst: string): string {
  const target = localPath(context, dst);
  const inside = relative(context.configDir, target);
  if (!isAbsolute(dst) && (inside === '' || inside.startsWith('..') || isAbsolute(inside))) {
    throw new ActionError(`fetch dst ${dst} leads outside the config directory (${target})`, 'write a path inside the config directory, or an absolute path if you mean one');
  }
  if (existsSync(target) && statSync(target).isDirectory()) {
    throw new ActionError(`fetch dst ${target} is a directory`, 'name the file to write, folder and name, e.g. fetched/${HADES_HOST_NAME}/app.log');
  }
  return target;
}
