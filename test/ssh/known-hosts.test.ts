import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fingerprintKey, verifyHostKey } from '../../src/ssh/known-hosts';

/** A key blob as SSH sends it: its type as a length-prefixed string, then key bytes. */
function keyBlob(type = 'ssh-ed25519'): Buffer {
  const name = Buffer.from(type);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(name.length);
  return Buffer.concat([length, name, randomBytes(36)]);
}

function knownHosts(lines: string[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'hades-kh-')), 'known_hosts');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe('verifyHostKey', () => {
  const key = keyBlob();
  const entry = (names: string, blob = key) => `${names} ssh-ed25519 ${blob.toString('base64')}`;

  it('trusts a key listed for [addr]:port', () => {
    expect(verifyHostKey(knownHosts([entry('[127.0.1.1]:2222')]), '127.0.1.1', 2222, key)).toEqual({ status: 'trusted' });
  });

  it('trusts a key listed under a plain address for port 22', () => {
    expect(verifyHostKey(knownHosts([entry('web,127.0.1.1')]), '127.0.1.1', 22, key)).toEqual({ status: 'trusted' });
  });

  it('trusts a hashed entry', () => {
    const salt = randomBytes(20);
    const hash = createHmac('sha1', salt).update('[127.0.1.1]:2222').digest('base64');
    expect(verifyHostKey(knownHosts([entry(`|1|${salt.toString('base64')}|${hash}`)]), '127.0.1.1', 2222, key)).toEqual({ status: 'trusted' });
  });

  it('calls a host with no entry unknown, with the fingerprint to check', () => {
    expect(verifyHostKey(knownHosts([entry('[127.0.1.2]:2222')]), '127.0.1.1', 2222, key)).toEqual({ status: 'unknown', fingerprint: fingerprintKey(key), keyType: 'ssh-ed25519' });
  });

  it('calls another key of the same type for the host a changed key, pointing at the line', () => {
    const verdict = verifyHostKey(knownHosts(['# comment', entry('[127.0.1.1]:2222', keyBlob())]), '127.0.1.1', 2222, key);
    expect(verdict).toMatchObject({ status: 'changed', line: 2 });
  });

  it('refuses a revoked key even when it is also listed', () => {
    const verdict = verifyHostKey(knownHosts([`@revoked * ssh-ed25519 ${key.toString('base64')}`, entry('[127.0.1.1]:2222')]), '127.0.1.1', 2222, key);
    expect(verdict).toMatchObject({ status: 'revoked', line: 1 });
  });

  it('honours wildcards and negations', () => {
    const file = knownHosts([entry('127.0.1.*,!127.0.1.9')]);
    expect(verifyHostKey(file, '127.0.1.5', 22, key).status).toBe('trusted');
    expect(verifyHostKey(file, '127.0.1.9', 22, key).status).toBe('unknown');
  });

  it('trusts nothing when the file is missing', () => {
    expect(verifyHostKey('/nonexistent/known_hosts', '127.0.1.1', 22, key).status).toBe('unknown');
  });
});
