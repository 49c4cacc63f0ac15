import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { startRunEnv, type RunEnv } from '../support/run-env';
import { yaml } from '../support/config-dir';

const PLAN = yaml`
  jobs:
    hello:
      actions:
        - run: echo hello from $HADES_HOST_NAME
  plans:
    hello:
      steps:
        - { name: hello, job: hello, targets: [all] }
`;

describe('host keys on real sshd hosts, from an empty known_hosts', () => {
  let env: RunEnv;
  let knownHosts: string;
  const hostKey = (name: string): string[] => readFileSync(join(env.fleet.stateDir, 'hosts', name, 'ssh_host_ed25519_key.pub'), 'utf8').trim().split(/\s+/);
  const fingerprint = (name: string): string => execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', join(env.fleet.stateDir, 'hosts', name, 'ssh_host_ed25519_key.pub')], { encoding: 'utf8' }).split(/\s+/)[1];
  const entry = (name: string): string => {
    const host = env.fleet.hosts.find((one) => one.name === name)!;
    return `[${host.addr}]:${host.port}`;
  };

  beforeAll(async () => {
    env = await startRunEnv({ hosts: 2 });
    knownHosts = join(env.configDir, 'known_hosts');
    writeFileSync(knownHosts, '');
    const inventory = parse(readFileSync(join(env.configDir, 'inventory.yaml'), 'utf8'));
    inventory.ssh.known_hosts = './known_hosts';
    env.writeConfig('inventory.yaml', stringify(inventory));
    env.writeConfig('plan.yaml', PLAN);
  });
  afterAll(async () => {
    await env?.stop();
  });

  it('refuses an unknown host key by default, with its fingerprint and the ssh-keyscan line', async () => {
    const result = await env.hades(['run', 'hello', '-c', env.configDir]);

    expect(result.code).toBe(1);
    const [addr, port] = [env.fleet.hosts[0].addr, env.fleet.hosts[0].port];
    expect(result.stdout).toContain(`error[HOST_KEY_UNKNOWN] host-01 (${env.fleet.hosts[0].user}@${addr}:${port}): host key ssh-ed25519 ${fingerprint('host-01')} is not in ${knownHosts}`);
    expect(result.stdout).toContain(`ssh-keyscan -p ${port} ${addr} >> ${knownHosts}`);
    expect(readFileSync(knownHosts, 'utf8')).toBe('');
  });

  it('records new keys in OpenSSH format with accept-new, one line per host, and trusts them next time', async () => {
    const first = await env.hades(['run', 'hello', '-c', env.configDir, '--accept-new-host-keys']);
    expect(first.code).toBe(0);

    const lines = readFileSync(knownHosts, 'utf8').split('\n').filter(Boolean).sort();
    expect(lines).toEqual(['host-01', 'host-02'].map((name) => `${entry(name)} ${hostKey(name).slice(0, 2).join(' ')}`).sort());
    // OpenSSH itself finds them, so the file stays usable by ssh.
    expect(execFileSync('ssh-keygen', ['-F', entry('host-01'), '-f', knownHosts], { encoding: 'utf8' })).toContain(hostKey('host-01')[1]);
    const runId = /^Run (\S+) started/m.exec(first.stdout)![1];
    expect(readFileSync(join(env.configDir, '..', 'logs', runId, 'host-01.log'), 'utf8')).toContain(`recorded the new host key ssh-ed25519 ${fingerprint('host-01')}`);

    const second = await env.hades(['run', 'hello', '-c', env.configDir]);
    expect(second.code).toBe(0);
    expect(readFileSync(knownHosts, 'utf8').split('\n').filter(Boolean)).toHaveLength(2);
  });

  it('refuses a changed key even with host_key_policy accept-new, and records nothing', async () => {
    // host-01's line now holds host-02's key: to hades, host-01 presents a changed key.
    const changed = readFileSync(knownHosts, 'utf8').replace(new RegExp(`^(\\S+ ssh-ed25519 )${hostKey('host-01')[1].replace(/[+/]/g, '\\$&')}$`, 'm'), `$1${hostKey('host-02')[1]}`);
    writeFileSync(knownHosts, changed);
    env.writeConfig('policy.yaml', 'ssh:\n  host_key_policy: accept-new\n');
    try {
      const result = await env.hades(['run', 'hello', '-c', env.configDir]);

      expect(result.code).toBe(1);
      expect(result.stdout).toContain(`error[HOST_KEY_CHANGED] host-01`);
      expect(result.stdout).toContain(`host key changed to ssh-ed25519 ${fingerprint('host-01')}`);
      expect(result.stdout).toMatch(/host-02 succeeded/);
      expect(readFileSync(knownHosts, 'utf8')).toBe(changed);
    } finally {
      env.writeConfig('policy.yaml', '{}\n');
    }
  });
});
