import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { ActionError } from './action-error';
import type { ActionContext } from './action-context';

/** A path of the config side: relative paths are taken from the config directory. */
export function localPath(context: Pick<ActionContext, 'configDir'>, path: string): string {
  return isAbsolute(path) ? path : resolve(context.configDir, path);
}

/** Reads a file of the config directory, or fails the action saying which and where. */
export function readLocalFile(context: Pick<ActionContext, 'configDir'>, path: string, what: string, hint: string): Buffer {
  const file = localPath(context, path);
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'is not readable' : `cannot be read (${code})`;
    throw new ActionError(`${what} ${file} ${why}`, hint);
  }
}

/** The bytes of a job's artifact, read when the action runs: an earlier local step may build it. */
export function readArtifact(context: ActionContext, name: string): { data: Buffer; path: string } {
  const path = context.artifacts[name];
  if (path === undefined) {
    const known = Object.keys(context.artifacts);
    throw new ActionError(`artifact "${name}" is not defined by the job`, known.length ? `the job defines ${known.join(', ')}` : 'define it under the job\'s artifacts');
  }
  const data = readLocalFile(context, path, `artifact "${name}":`, 'build it in an earlier step (a local job), or fix the artifact\'s path');
  return { data, path: localPath(context, path) };
}
