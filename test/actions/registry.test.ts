import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pullEntry, pushEntry } from '../../src/actions/registry';

describe('filesystem registry', () => {
  const registry = () => ({ type: 'filesystem' as const, path: mkdtempSync(join(tmpdir(), 'hades-registry-')) });

  it('stores an entry with its sha256 and gives it back', () => {
    const reg = registry();
    expect(pushEntry(reg, 'app', 'v1', Buffer.from('one'))).toBe('pushed');
    expect(readFileSync(join(reg.path, 'app', 'v1.sha256'), 'utf8').trim()).toHaveLength(64);
    expect(pullEntry(reg, 'app', 'v1')).toEqual(Buffer.from('one'));
  });

  it('treats the same content under the same tag as a no-op and other content as an error', () => {
    const reg = registry();
    pushEntry(reg, 'app', 'v1', Buffer.from('one'));
    expect(pushEntry(reg, 'app', 'v1', Buffer.from('one'))).toBe('already-there');
    expect(() => pushEntry(reg, 'app', 'v1', Buffer.from('two'))).toThrow(/app:v1 is already in the registry with other content/);
  });

  it('refuses to pull an entry whose bytes no longer match their checksum', () => {
    const reg = registry();
    pushEntry(reg, 'app', 'v1', Buffer.from('one'));
    writeFileSync(join(reg.path, 'app', 'v1'), 'tampered');
    expect(() => pullEntry(reg, 'app', 'v1')).toThrow(/is corrupt: its sha256 does not match/);
  });

  it('says which entry is missing', () => {
    expect(() => pullEntry(registry(), 'app', 'v9')).toThrow(/app:v9 is not in the registry/);
  });

  it.each(['../escape', 'a/b', '', '-x'])('refuses the name %j, which could leave the registry folder', (name) => {
    expect(() => pushEntry(registry(), name, 'v1', Buffer.from('x'))).toThrow(/is not allowed in a registry/);
  });
});
