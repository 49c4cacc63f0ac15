import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import { EncryptionCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA } from '../../src/codec/encryption-codec';
import { readEncryptionKey } from '../../src/codec/encryption-key';

const KEY = randomBytes(32).toString('base64');
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? new Uint8Array()).toString('utf8');

describe('EncryptionCodec', () => {
  const key = readEncryptionKey({ HADES_ENCRYPTION_KEY: KEY })!;
  const codec = new EncryptionCodec(key);
  const payload = defaultPayloadConverter.toPayload({ env: { TOKEN: 'hunter2-secret' } });

  it('encrypts a payload so that none of its bytes show, naming the key, and decrypts it back', async () => {
    const [encrypted] = await codec.encode([payload]);

    expect(text(encrypted.metadata!.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(text(encrypted.metadata![KEY_ID_METADATA])).toBe(key.id);
    expect(Buffer.from(encrypted.data!).includes('hunter2')).toBe(false);
    const [decrypted] = await codec.decode([encrypted]);
    expect(defaultPayloadConverter.fromPayload(decrypted)).toEqual({ env: { TOKEN: 'hunter2-secret' } });
  });

  it('uses a new IV every time, so the same payload never encrypts the same way twice', async () => {
    const [a, b] = await codec.encode([payload, payload]);
    expect(Buffer.from(a.data!).equals(Buffer.from(b.data!))).toBe(false);
  });

  it('passes payloads that are not encrypted through unchanged', async () => {
    expect(await codec.decode([payload])).toEqual([payload]);
  });

  it('refuses a payload encrypted with another key, naming both keys', async () => {
    const other = new EncryptionCodec(readEncryptionKey({ HADES_ENCRYPTION_KEY: randomBytes(32).toString('base64') })!);
    const [encrypted] = await other.encode([payload]);
    await expect(codec.decode([encrypted])).rejects.toThrow(/encrypted with key sha256:[0-9a-f]{16}, but the key set .* is sha256:/);
  });

  it('refuses a payload whose ciphertext was changed', async () => {
    const [encrypted] = await codec.encode([payload]);
    const data = Buffer.from(encrypted.data!);
    data[20] ^= 1;
    await expect(codec.decode([{ ...encrypted, data }])).rejects.toThrow('fails its integrity check');
  });
});

describe('readEncryptionKey', () => {
  it('reads nothing when no key is set', () => {
    expect(readEncryptionKey({})).toBeUndefined();
  });

  it('reads the same key from the variable and from a file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'hades-key-')), 'key');
    writeFileSync(file, `${KEY}\n`);
    expect(readEncryptionKey({ HADES_ENCRYPTION_KEY_FILE: file })!.id).toBe(readEncryptionKey({ HADES_ENCRYPTION_KEY: KEY })!.id);
  });

  it.each([
    ['c2hvcnQ=', 'HADES_ENCRYPTION_KEY holds 5 bytes; AES-256 needs 32'],
    ['not base64!', 'HADES_ENCRYPTION_KEY is not base64'],
  ])('refuses the key %p', (value, message) => {
    expect(() => readEncryptionKey({ HADES_ENCRYPTION_KEY: value })).toThrow(message);
  });
});
