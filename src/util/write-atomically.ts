import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes a local file through a temporary one beside it, renamed over it: a reader sees the old
 * file or the new one, never half of one. The folder is created when missing.
 */
export function writeLocalFileAtomically(path: string, data: Buffer | string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.hades-${process.pid}-${Date.now()}`;
  writeFileSync(temporary, data);
  renameSync(temporary, path);
}
