import { createHash } from 'node:crypto';
import { formatMode } from '../config/mode';
import { shellQuote } from '../util/shell-quote';
import { ActionError } from './action-error';
import type { HostShell } from './host-shell';

/** What writing a file did: written, only its mode changed, or nothing (same content and mode). */
export type WriteOutcome = 'written' | 'mode-changed' | 'unchanged';

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * A path as a shell word that can never read as an option: relative paths get `./`. Every path
 * Hades puts into a command goes through here.
 */
export function shellPath(path: string): string {
  return shellQuote(path.startsWith('/') ? path : `./${path}`);
}

/** The sha256 and octal mode of a file on the host, or undefined when there is none. */
export async function probeFile(shell: HostShell, path: string): Promise<{ sha256: string; mode: number } | undefined> {
  if (path.endsWith('/')) throw new ActionError(`${path} ends with /: a file action needs the file's own path`, 'write the whole path of the file, folder and name');
  const file = shellPath(path);
  const script = `if [ -d ${file} ]; then echo directory; elif [ -f ${file} ]; then sha256sum < ${file} | cut -d' ' -f1 && stat -c %a ${file}; elif [ -e ${file} ]; then echo special; else echo absent; fi`;
  const probe = await shell.exec(script);
  const [first, second] = probe.stdoutTail;
  if (probe.exitCode !== 0 || first === undefined) {
    throw new ActionError(`${shell.where}: could not read ${path}: ${probe.stderrTail.join(' ') || `exit ${probe.exitCode}`}`, 'check that the user may read the file and its folder');
  }
  if (first === 'directory' || first === 'special') {
    throw new ActionError(`${shell.where}: ${path} is ${first === 'directory' ? 'a directory' : 'not a regular file'}`, 'file actions read and write regular files: name the file itself, folder and name');
  }
  if (first === 'absent') return undefined;
  return { sha256: first.trim(), mode: parseInt(second ?? '0', 8) };
}

/**
 * Puts `data` at `path` with `mode`, unless it is already there. The bytes go to a temporary file
 * in the destination's own folder, which is then renamed over it: a reader never sees half a file,
 * and parallel writers of the same name never collide.
 */
export async function writeFileAtomically(shell: HostShell, path: string, data: Buffer, mode: number): Promise<WriteOutcome> {
  const current = await probeFile(shell, path);
  const octal = formatMode(mode);
  const file = shellPath(path);
  if (current && current.sha256 === sha256(data)) {
    if (current.mode === mode) return 'unchanged';
    await mustSucceed(shell, `chmod ${octal} ${file}`, `change the mode of ${path}`);
    return 'mode-changed';
  }

  const script = [
    'set -e',
    `dir=$(dirname ${file})`,
    'tmp=$(mktemp "$dir/.hades.XXXXXXXX")',
    `trap 'rm -f "$tmp"' EXIT`,
    'cat > "$tmp"',
    `chmod ${octal} "$tmp"`,
    `mv -f "$tmp" ${file}`,
    'trap - EXIT',
  ].join('\n');
  await mustSucceed(shell, script, `write ${path}`, data);
  return 'written';
}

async function mustSucceed(shell: HostShell, script: string, what: string, stdin?: Buffer): Promise<void> {
  const result = await shell.exec(script, stdin ? { stdin } : {});
  if (result.exitCode === 0) return;
  const reason = result.stderrTail.join(' ').trim() || `exit ${result.exitCode}`;
  throw new ActionError(`${shell.where}: could not ${what}: ${reason}`, 'check that the folder exists (a mkdir action creates it) and that the user may write there');
}

/** "1.2 KB", for reports. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function describeWrite(outcome: WriteOutcome, path: string, size: number, mode: number): string {
  switch (outcome) {
    case 'written':
      return `wrote ${path} (${formatSize(size)}, mode ${formatMode(mode)})`;
    case 'mode-changed':
      return `${path} unchanged, mode set to ${formatMode(mode)}`;
    case 'unchanged':
      return `${path} unchanged (same sha256 and mode), skipped`;
  }
}
