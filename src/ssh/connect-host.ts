import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Client, utils, type ConnectConfig } from 'ssh2';
import type { HostSpec } from '../spec/run-spec';
import { formatDuration } from '../util/duration';
import { knownHostsName, recordHostKey, verifyHostKey, type HostKeyVerdict } from './known-hosts';
import { SshError } from './ssh-error';

export interface ConnectOptions {
  host: HostSpec;
  /** known_hosts file to check the host key against; the user's own when absent. */
  knownHostsFile?: string;
  connectTimeoutMs?: number;
  /** `accept-new`: a key known_hosts does not hold yet is recorded there; a changed key still fails. */
  hostKeyPolicy?: 'strict' | 'accept-new';
  /** Told when a new host key was recorded, e.g. to note it in the host's log. */
  onHostKeyRecorded?: (message: string) => void;
}

const DEFAULT_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

/** Opens one SSH connection, refusing any host whose key known_hosts does not vouch for. */
export function connectHost(options: ConnectOptions): Promise<Client> {
  const { host } = options;
  const knownHosts = options.knownHostsFile ?? join(homedir(), '.ssh', 'known_hosts');
  const where = `${host.name} (${host.user}@${host.addr}:${host.port})`;
  let verdict: HostKeyVerdict | undefined;
  const login = credentials(host, where);

  const config: ConnectConfig = {
    host: host.addr,
    port: host.port,
    username: host.user,
    readyTimeout: options.connectTimeoutMs ?? 10_000,
    keepaliveInterval: 15_000,
    keepaliveCountMax: 4,
    ...login.config,
    hostVerifier: (key: Buffer) => {
      verdict = verifyHostKey(knownHosts, host.addr, host.port, key);
      if (verdict.status !== 'unknown' || options.hostKeyPolicy !== 'accept-new') return verdict.status === 'trusted';
      const recorded = recordHostKey(knownHosts, host.addr, host.port, key);
      if (recorded.status === 'recorded') options.onHostKeyRecorded?.(`recorded the new host key ${recorded.keyType} ${recorded.fingerprint} of ${knownHostsName(host.addr, host.port)} in ${knownHosts} (accept-new)`);
      else verdict = recorded;
      return recorded.status === 'recorded' || recorded.status === 'trusted';
    },
  };

  return new Promise((resolve, reject) => {
    const client = new Client();
    // ssh2 may report more than one error for one connection (a handshake timeout, then the lost
    // socket; a drop after ready): only the first counts, and an unheard one would end the worker.
    let settled = false;
    client.once('ready', () => {
      settled = true;
      resolve(client);
    });
    client.on('error', (error) => {
      if (settled) return;
      settled = true;
      client.end();
      reject(describeConnectError(error, { where, host, knownHosts, verdict, timeoutMs: config.readyTimeout ?? 0, login }));
    });
    client.connect(config);
  });
}

/** How this connection logs in, and what to say when the host refuses it. */
interface Login {
  config: Pick<ConnectConfig, 'privateKey' | 'agent' | 'passphrase'>;
  /** A key file protected by a passphrase that is not set, so the agent is asked for it instead. */
  agentFor?: string;
}

/**
 * identity_file, else the SSH agent, else the usual key files. A key with a passphrase is opened
 * with HADES_SSH_PASSPHRASE; without one it is asked of the agent, which may hold it. Only paths
 * are ever named: key material and passphrases stay in this process.
 */
function credentials(host: HostSpec, where: string): Login {
  const agent = process.env.SSH_AUTH_SOCK || undefined;
  const file = host.identityFile ?? (agent ? undefined : DEFAULT_KEYS.map((name) => join(homedir(), '.ssh', name)).find((path) => existsSync(path)));
  if (file) return keyLogin(file, where, agent);
  if (agent) return { config: { agent } };
  throw new SshError(
    'IDENTITY_UNREADABLE',
    `${where}: no key to log in with`,
    'set identity_file on the host, start an ssh-agent (SSH_AUTH_SOCK), or create ~/.ssh/id_ed25519',
  );
}

function keyLogin(file: string, where: string, agent: string | undefined): Login {
  const key = readKey(file, where);
  const passphrase = process.env.HADES_SSH_PASSPHRASE || undefined;
  const parsed = utils.parseKey(key, passphrase);
  if (!(parsed instanceof Error)) return { config: { privateKey: key, ...(passphrase ? { passphrase } : {}) } };

  const load = `load it into an ssh-agent (ssh-add ${file}) and set SSH_AUTH_SOCK`;
  if (/no passphrase given/i.test(parsed.message)) {
    if (agent) return { config: { agent }, agentFor: file };
    throw new SshError(
      'IDENTITY_LOCKED',
      `${where}: identity file ${file} is protected by a passphrase, and neither HADES_SSH_PASSPHRASE nor an ssh-agent (SSH_AUTH_SOCK) is set`,
      `set HADES_SSH_PASSPHRASE in the environment of the worker, or ${load}`,
    );
  }
  if (passphrase && /passphrase|decrypt|integrity/i.test(parsed.message)) {
    throw new SshError(
      'IDENTITY_LOCKED',
      `${where}: HADES_SSH_PASSPHRASE does not open identity file ${file} (wrong passphrase)`,
      `set HADES_SSH_PASSPHRASE to that key's passphrase (test it with: ssh-keygen -y -f ${file}), or unset it and ${load}`,
    );
  }
  throw new SshError(
    'IDENTITY_UNREADABLE',
    `${where}: identity file ${file} is not a private key that can be read (${parsed.message})`,
    'point identity_file at an OpenSSH private key, not its .pub file',
  );
}

/** The key a connection offers, for messages; the same order as {@link credentials}. */
function keyName(host: HostSpec): string {
  if (host.identityFile) return `identity_file ${host.identityFile}`;
  if (process.env.SSH_AUTH_SOCK) return 'the keys of the SSH agent (SSH_AUTH_SOCK)';
  const fallback = DEFAULT_KEYS.map((name) => join(homedir(), '.ssh', name)).find((file) => existsSync(file));
  return fallback ? `key ${fallback}` : 'no key';
}

function readKey(file: string, where: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new SshError(
      'IDENTITY_UNREADABLE',
      `${where}: identity file ${file} is unreadable (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      'check the path of identity_file and that this user may read it',
    );
  }
}

interface ErrorContext {
  where: string;
  host: HostSpec;
  knownHosts: string;
  verdict?: HostKeyVerdict;
  timeoutMs: number;
  login: Login;
}

function describeConnectError(error: Error & { code?: string; level?: string }, context: ErrorContext): SshError {
  const { where, host, knownHosts, verdict, timeoutMs, login } = context;
  const name = knownHostsName(host.addr, host.port);
  const scan = `ssh-keyscan -p ${host.port} ${host.addr} >> ${knownHosts}`;

  if (verdict?.status === 'unknown') {
    return new SshError(
      'HOST_KEY_UNKNOWN',
      `${where}: host key ${verdict.keyType} ${verdict.fingerprint} is not in ${knownHosts}`,
      `if that fingerprint is the host's, accept it with: ${scan}, or let hades record it on first use (ssh.host_key_policy: accept-new, or --accept-new-host-keys)`,
    );
  }
  if (verdict?.status === 'changed') {
    return new SshError(
      'HOST_KEY_CHANGED',
      `${where}: host key changed to ${verdict.keyType} ${verdict.fingerprint}; ${knownHosts}:${verdict.line} holds another key for ${name}`,
      `someone may be intercepting the connection; if the host was reinstalled, remove the old key with: ssh-keygen -R '${name}' -f ${knownHosts}`,
    );
  }
  if (verdict?.status === 'revoked') {
    return new SshError('HOST_KEY_REVOKED', `${where}: host key ${verdict.fingerprint} is revoked at ${knownHosts}:${verdict.line}`, 'the host must get a new key');
  }
  if (error.code === 'ECONNREFUSED') {
    return new SshError('CONNECT_REFUSED', `${where}: connection refused`, `check that sshd runs on the host and listens on port ${host.port}`);
  }
  if (error.code === 'EHOSTUNREACH' || error.code === 'ENETUNREACH' || error.code === 'ENOTFOUND') {
    return new SshError('HOST_UNREACHABLE', `${where}: address unreachable (${error.code})`, 'check the host\'s addr and the network route to it');
  }
  if (error.level === 'client-timeout' || /Timed out/i.test(error.message)) {
    return new SshError('CONNECT_TIMEOUT', `${where}: no SSH handshake within ${formatDuration(timeoutMs)} (ssh.connect_timeout)`, `check that ${host.addr}:${host.port} is the host's sshd and no firewall drops the traffic; raise ssh.connect_timeout for slow links`);
  }
  if (error.level === 'client-authentication' && login.agentFor) {
    return new SshError(
      'AUTH_REFUSED',
      `${where}: authentication refused for user ${host.user}: identity file ${login.agentFor} has a passphrase and HADES_SSH_PASSPHRASE is not set, so the ssh-agent (SSH_AUTH_SOCK) was asked, and none of its keys was accepted`,
      `add the key to the agent (ssh-add ${login.agentFor}), or set HADES_SSH_PASSPHRASE in the environment of the worker`,
    );
  }
  if (error.level === 'client-authentication') {
    return new SshError('AUTH_REFUSED', `${where}: authentication refused for user ${host.user} with ${keyName(host)}`, `check that the host's authorized_keys for ${host.user} holds that key's public half, or fix the host's user and identity_file`);
  }
  return new SshError('CONNECTION_LOST', `${where}: ${error.message}`, 'check that the host is up and sshd is healthy');
}
