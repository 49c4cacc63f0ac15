import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { UserError } from '../client/user-error';

/** The AES-256 key that run payloads are encrypted with, and the id stored beside each payload. */
export interface EncryptionKey {
  /** `sha256:` and the start of the key's SHA-256: names the key without revealing it. */
  id: string;
  bytes: Buffer;
}

const MAKE_ONE = 'make one with: openssl rand -base64 32';

/**
 * The key from HADES_ENCRYPTION_KEY (base64 of 32 bytes) or HADES_ENCRYPTION_KEY_FILE (a file
 * holding that base64, or the 32 bytes themselves); undefined when neither is set.
 */
export function readEncryptionKey(env: NodeJS.ProcessEnv = process.env): EncryptionKey | undefined {
  const text = env.HADES_ENCRYPTION_KEY || undefined;
  const file = env.HADES_ENCRYPTION_KEY_FILE || undefined;
  if (text && file) throw new UserError('both HADES_ENCRYPTION_KEY and HADES_ENCRYPTION_KEY_FILE are set', 'keep one of them');
  if (text) return toKey(decodeBase64(text, 'HADES_ENCRYPTION_KEY'), 'HADES_ENCRYPTION_KEY');
  if (file) return toKey(readKeyFile(file), `HADES_ENCRYPTION_KEY_FILE ${file}`);
  return undefined;
}

function readKeyFile(file: string): Buffer {
  let content: Buffer;
  try {
    content = readFileSync(file);
  } catch (error) {
    throw new UserError(`HADES_ENCRYPTION_KEY_FILE ${file} is unreadable (${(error as NodeJS.ErrnoException).code ?? 'error'})`, 'check the path and that this user may read it');
  }
  return content.length === 32 ? content : decodeBase64(content.toString('utf8').trim(), `HADES_ENCRYPTION_KEY_FILE ${file}`);
}

function decodeBase64(text: string, where: string): Buffer {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text.trim())) throw new UserError(`${where} is not base64`, MAKE_ONE);
  return Buffer.from(text.trim(), 'base64');
}

function toKey(bytes: Buffer, where: string): EncryptionKey {
  if (bytes.length !== 32) throw new UserError(`${where} holds ${bytes.length} bytes; AES-256 needs 32`, MAKE_ONE);
  return { id: `sha256:${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}`, bytes };
}
