import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ActionSpecOf } from '../spec/run-spec';
import { ActionError } from './action-error';
import { succeeded, type ActionContext, type ActionOutcome } from './action-context';
import { localPath } from './local-files';
import { formatSize, probeFile, sha256, shellPath } from './remote-file';
import { readFileSync } from 'node:fs';

/** `fetch`: a file of the host to a local path, skipped when the local copy has the same sha256. */
export async function fetchFile(action: ActionSpecOf<'fetch'>, context: ActionContext): Promise<ActionOutcome> {
  const remote = await probeFile(context.shell, action.src);
  if (!remote) throw new ActionError(`${context.shell.where}: ${action.src} does not exist on the host`, 'check the path of fetch.src');

  const target = localPath(context, action.dst);
  if (localSha256(target) === remote.sha256) return succeeded(`${target} unchanged (same sha256), skipped`);

  const result = await context.shell.exec(`cat ${shellPath(action.src)}`, { collectStdout: true });
  if (result.exitCode !== 0 || !result.stdout) {
    throw new ActionError(`${context.shell.where}: could not read ${action.src}: ${result.stderrTail.join(' ').trim()}`, 'check that the user may read it');
  }
  if (sha256(result.stdout) !== remote.sha256) throw new ActionError(`${context.shell.where}: ${action.src} changed while it was read`, 'run again once the file is stable');

  mkdirSync(dirname(target), { recursive: true });
  const temporary = `${target}.hades-${process.pid}-${Date.now()}`;
  writeFileSync(temporary, result.stdout);
  renameSync(temporary, target);
  return succeeded(`fetched ${action.src} to ${target} (${formatSize(result.stdout.length)})`);
}

function localSha256(file: string): string | undefined {
  try {
    return sha256(readFileSync(file));
  } catch {
    return undefined;
  }
}
