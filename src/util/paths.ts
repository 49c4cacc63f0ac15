import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/** `~/x` in the user's home; a relative path from `base` (the config directory). */
export function expandPath(path: string, base: string): string {
  if (path === '~') return homedir();
  if (path.startsWith('~/')) return join(homedir(), path.slice(2));
  return isAbsolute(path) ? path : resolve(base, path);
}
