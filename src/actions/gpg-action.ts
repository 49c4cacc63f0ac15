import type { ActionSpecOf } from '../spec/run-spec';
import { ActionError } from './action-error';
import { succeeded, type ActionContext, type ActionOutcome } from './action-context';
import { DEFAULT_FILE_MODE } from './copy-action';
import { describeWrite, writeFileAtomically } from './remote-file';

const DOWNLOAD_TIMEOUT_MS = 30_000;

/** `gpg`: a signing key downloaded by the worker, optionally dearmored, written to the host. */
export async function installGpgKey(action: ActionSpecOf<'gpg'>, context: ActionContext): Promise<ActionOutcome> {
  const key = await download(action.src);
  const data = action.dearmor ? dearmor(key, action.src) : key;
  const mode = action.mode ?? DEFAULT_FILE_MODE;
  const outcome = await writeFileAtomically(context.shell, action.path, data, mode);
  return succeeded(describeWrite(outcome, action.path, data.length, mode));
}

async function download(url: string): Promise<Buffer> {
  if (!/^https?:\/\//i.test(url)) throw new ActionError(`gpg src ${url} is not an http or https address`, 'write the key\'s URL, like https://example.org/key.asc');
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS), redirect: 'follow' });
  } catch (error) {
    const cause = (error as { cause?: Error }).cause?.message ?? (error as Error).message;
    throw new ActionError(`could not download ${url}: ${cause}`, 'check the address and that the worker can reach it');
  }
  if (!response.ok) throw new ActionError(`could not download ${url}: HTTP ${response.status} ${response.statusText}`, 'check the address');
  return Buffer.from(await response.arrayBuffer());
}

/**
 * The binary key inside an ASCII-armored one (what `gpg --dearmor` writes): the base64 between the
 * BEGIN and END lines, without the armor headers and the `=` checksum line.
 */
export function dearmor(armored: Buffer, source: string): Buffer {
  const lines = armored.toString('utf8').split(/\r?\n/);
  const begin = lines.findIndex((line) => /^-----BEGIN PGP PUBLIC KEY BLOCK-----/.test(line));
  const end = lines.findIndex((line, index) => index > begin && /^-----END PGP PUBLIC KEY BLOCK-----/.test(line));
  if (begin < 0 || end < 0) throw new ActionError(`${source} is not an ASCII-armored public key`, 'drop dearmor: true if the key is binary already');

  const body = lines.slice(begin + 1, end);
  const blank = body.findIndex((line) => line.trim() === '');
  const payload = (blank >= 0 ? body.slice(blank + 1) : body).filter((line) => !line.startsWith('=') && line.trim() !== '');
  return Buffer.from(payload.join(''), 'base64');
}
