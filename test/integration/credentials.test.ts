import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse, stringify } from 'yaml';
import { historyBytes } from '../support/history-bytes';
import { startRunEnv, type RunEnv } from '../support/run-env';
import { yaml } from '../support/config-dir';

const PASSPHRASE = 'correct horse battery';

describe('logging in with a passphrase-protected key and an ssh-agent', () => {
  let env: RunEnv;
  let dir: string;
  let key: string;
  let agent: ChildProcess | undefined;
  const socket = () => join(dir, 'agent.sock');
  const run = (extra: Record<string, string>) => env.hades(['run', 'hello', '-c', env.configDir], { SSH_AUTH_SOCK: '', HADES_SSH_PASSPHRASE: '', ...extra });

  beforeAll(async () => {
    env = await startRunEnv({ hosts: 1 });
    dir = mkdtempSync(join(tmpdir(), 'hades-keys-'));
    key = join(dir, 'locked_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', PASSPHRASE, '-C', 'locked', '-f', key]);
    appendFileSync(join(env.fleet.stateDir, 'authorized_keys'), readFileSync(`${key}.pub`));
    const inventory = parse(readFileSync(join(env.configDir, 'inventory.yaml'), 'utf8'));
    inventory.hosts['host-01'].identity_file = key;
    env.writeConfig('inventory.yaml', stringify(inventory));
    env.writeConfig('plan.yaml', yaml`
      jobs:
        hello:
          actions:
            - run: echo logged in
      plans:
        hello:
          steps:
            - { name: hello, job: hello, targets: [all] }
    `);
  });
  afterAll(async () => {
    if (agent?.pid) process.kill(agent.pid, 'SIGTERM');
    await env?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says which key lacks a passphrase and what to do, when neither a passphrase nor an agent is set', async () => {
    const result = await run({});

    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`error[IDENTITY_LOCKED] host-01`);
    expect(result.stdout).toContain(`identity file ${key} is protected by a passphrase, and neither HADES_SSH_PASSPHRASE nor an ssh-agent (SSH_AUTH_SOCK) is set`);
    expect(result.stdout).toContain(`hint: set HADES_SSH_PASSPHRASE in the environment of the worker, or load it into an ssh-agent (ssh-add ${key})`);
  });

  it('says the passphrase is wrong without printing it', async () => {
    const result = await run({ HADES_SSH_PASSPHRASE: 'wrong-guess-1234' });

    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`HADES_SSH_PASSPHRASE does not open identity file ${key} (wrong passphrase)`);
    expect(result.stdout + result.stderr).not.toContain('wrong-guess-1234');
  });

  it('opens the key with HADES_SSH_PASSPHRASE, and keeps key material out of the run history', async () => {
    const result = await run({ HADES_SSH_PASSPHRASE: PASSPHRASE });
    expect(result.code).toBe(0);

    const runId = /^Run (\S+) started/m.exec(result.stdout)![1];
    const history = await historyBytes(env.client, runId);
    expect(history.includes(key)).toBe(true);
    expect(history.includes(PASSPHRASE)).toBe(false);
    const body = readFileSync(key, 'utf8').split('\n').filter((line) => line && !line.startsWith('-----'));
    for (const line of body) expect(history.includes(line)).toBe(false);
  });

  it('asks the ssh-agent for a key whose passphrase is not set, and says so when the agent lacks it', async () => {
    agent = spawn('ssh-agent', ['-D', '-a', socket()], { stdio: 'ignore' });
    for (let i = 0; i < 50 && !existsSync(socket()); i++) await sleep(100);

    const without = await run({ SSH_AUTH_SOCK: socket() });
    expect(without.code).toBe(1);
    expect(without.stdout).toContain(`identity file ${key} has a passphrase and HADES_SSH_PASSPHRASE is not set, so the ssh-agent (SSH_AUTH_SOCK) was asked`);
    expect(without.stdout).toContain(`ssh-add ${key}`);

    const askpass = join(dir, 'askpass.sh');
    writeFileSync(askpass, `#!/bin/sh\necho '${PASSPHRASE}'\n`);
    chmodSync(askpass, 0o700);
    execFileSync('ssh-add', [key], { env: { ...process.env, SSH_AUTH_SOCK: socket(), SSH_ASKPASS: askpass, SSH_ASKPASS_REQUIRE: 'force' }, stdio: 'ignore' });

    const withAgent = await run({ SSH_AUTH_SOCK: socket() });
    expect(withAgent.stdout).toContain('run succeeded');
    expect(withAgent.code).toBe(0);
  });
});
