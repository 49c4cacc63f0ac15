import { createHash, createHmac } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, readSync, fstatSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** What known_hosts says about a key a host presented. */
export type HostKeyVerdict =
  | { status: 'trusted' }
  | { status: 'unknown'; fingerprint: string; keyType: string }
  | { status: 'changed'; fingerprint: string; keyType: string; line: number }
  | { status: 'revoked'; fingerprint: string; keyType: string; line: number };

interface KnownHostEntry {
  line: number;
  marker?: '@revoked' | '@cert-authority';
  patterns: string[];
  keyType: string;
  key: Buffer;
}

/**
 * Checks a host key against a known_hosts file as OpenSSH writes it: plain and hashed (`|1|`)
 * names, `[addr]:port` for ports other than 22, wildcards, negations and `@revoked` markers.
 * A missing file trusts nothing.
 */
export function verifyHostKey(file: string, addr: string, port: number, key: Buffer): HostKeyVerdict {
  const name = port === 22 ? addr : `[${addr}]:${port}`;
  const keyType = readKeyType(key);
  const fingerprint = fingerprintKey(key);
  const entries = readEntries(file).filter((entry) => matchesHost(entry.patterns, name));

  const revoked = entries.find((entry) => entry.marker === '@revoked' && entry.key.equals(key));
  if (revoked) return { status: 'revoked', fingerprint, keyType, line: revoked.line };

  const plain = entries.filter((entry) => entry.marker === undefined);
  if (plain.some((entry) => entry.key.equals(key))) return { status: 'trusted' };

  // Same rule as OpenSSH: another key of the same type for this name means the key changed.
  const sameType = plain.find((entry) => entry.keyType === keyType);
  if (sameType) return { status: 'changed', fingerprint, keyType, line: sameType.line };
  return { status: 'unknown', fingerprint, keyType };
}

/**
 * Trusts a key on first use: appends `[addr]:port type base64` to the file, unless the file
 * (read again now) already holds that key, or holds another one for the host, which is refused
 * like any changed key. One write of one line in append mode, so the lines of hosts recorded
 * at the same time never interleave.
 */
export function recordHostKey(file: string, addr: string, port: number, key: Buffer): HostKeyVerdict | { status: 'recorded'; fingerprint: string; keyType: string } {
  const verdict = verifyHostKey(file, addr, port, key);
  if (verdict.status !== 'unknown') return verdict;

  mkdirSync(dirname(file), { recursive: true });
  const line = `${knownHostsName(addr, port)} ${verdict.keyType} ${key.toString('base64')}\n`;
  const fd = openSync(file, 'a+', 0o644);
  try {
    writeSync(fd, endsWithNewline(fd) ? line : `\n${line}`);
  } finally {
    closeSync(fd);
  }
  return { status: 'recorded', fingerprint: verdict.fingerprint, keyType: verdict.keyType };
}

// A last line without its newline would swallow the line appended after it.
function endsWithNewline(fd: number): boolean {
  const size = fstatSync(fd).size;
  if (size === 0) return true;
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  return last[0] === 0x0a;
}

/** `SHA256:…`, the fingerprint `ssh-keygen -l` prints. */
export function fingerprintKey(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** The name a known_hosts line uses for a host: `addr`, or `[addr]:port` off port 22. */
export function knownHostsName(addr: string, port: number): string {
  return port === 22 ? addr : `[${addr}]:${port}`;
}

function readEntries(file: string): KnownHostEntry[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }

  const entries: KnownHostEntry[] = [];
  text.split('\n').forEach((raw, index) => {
    const entry = parseLine(raw.trim(), index + 1);
    if (entry) entries.push(entry);
  });
  return entries;
}

function parseLine(text: string, line: number): KnownHostEntry | undefined {
  if (text === '' || text.startsWith('#')) return undefined;

  const fields = text.split(/\s+/);
  const marker = fields[0].startsWith('@') ? fields.shift() : undefined;
  if (marker !== undefined && marker !== '@revoked' && marker !== '@cert-authority') return undefined;
  const [hosts, keyType, base64] = fields;
  if (!hosts || !keyType || !base64) return undefined;

  return { line, marker, patterns: hosts.split(','), keyType, key: Buffer.from(base64, 'base64') };
}

function matchesHost(patterns: string[], name: string): boolean {
  let matched = false;
  for (const pattern of patterns) {
    if (pattern.startsWith('!')) {
      if (matchesPattern(pattern.slice(1), name)) return false;
    } else if (matchesPattern(pattern, name)) {
      matched = true;
    }
  }
  return matched;
}

function matchesPattern(pattern: string, name: string): boolean {
  if (pattern.startsWith('|1|')) {
    const [salt, hash] = pattern.slice(3).split('|');
    if (!salt || !hash) return false;
    const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
    return digest === hash;
  }
  if (!/[*?]/.test(pattern)) return pattern.toLowerCase() === name.toLowerCase();

  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${regex}$`, 'i').test(name);
}

// An SSH public key blob starts with its type as a length-prefixed string.
function readKeyType(key: Buffer): string {
  if (key.length < 4) return 'unknown';
  const length = key.readUInt32BE(0);
  return key.subarray(4, 4 + length).toString('latin1');
}
