import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { findFreePort } from '../../src/devkit/free-port';
import { historyBytes } from '../support/history-bytes';
import { startRunEnv, type RunEnv } from '../support/run-env';
import { yaml } from '../support/config-dir';

const TOKEN = 'tok-9f8e7d6c-secret';
const COLOR = 'plain-color-5a4b';
const KEY = randomBytes(32).toString('base64');

describe('secret variables and encrypted runs on real sshd hosts', () => {
  let env: RunEnv;
  const runIdOf = (stdout: string) => /^Run (\S+) started/m.exec(stdout)![1];
  const hostLog = (runId: string, host: string) => readFileSync(join(env.configDir, '..', 'logs', runId, `${host}.log`), 'utf8');

  beforeAll(async () => {
    env = await startRunEnv({ hosts: 2 });
    env.writeConfig('plan.yaml', yaml`
      jobs:
        use:
          env:
            TOKEN:
              secret: true
            COLOR:
              default: ${COLOR}
            MARKS:
              default: ${env.markDir}
          actions:
            - run: echo "token=\${TOKEN} color=\${COLOR}" && printf '%s' "$TOKEN" > "$MARKS/token-$HADES_HOST_NAME"
        leak:
          env:
            TOKEN:
              secret: true
          actions:
            - run: echo "stderr says \${TOKEN}" >&2; exit 3
      plans:
        use:
          steps:
            - { name: use, job: use, targets: [all] }
        leak:
          steps:
            - { name: leak, job: leak, targets: [all], limit: 1 }
    `);
  });
  afterAll(async () => {
    await env?.stop();
  });

  const runArgs = (args: string[]) => ['run', ...args, '-c', env.configDir, '-e', `TOKEN=${TOKEN}`];

  it('masks a secret in the dry run, scripts included, and shows other values', async () => {
    const result = await env.hades([...runArgs(['use']), '--dry-run', '--scripts']);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`env: TOKEN=*** COLOR=${COLOR}`);
    expect(result.stdout).toContain(`export TOKEN=*** COLOR=${COLOR} `);
    expect(result.stdout).toContain(`echo "token=*** color=${COLOR}"`);
    expect(result.stdout).not.toContain(TOKEN);
  });

  it('gives the host the value, and masks it in progress, the host log and the command echo', async () => {
    const result = await env.hades(runArgs(['use']));

    expect(result.code).toBe(0);
    expect(readFileSync(join(env.markDir, 'token-host-01'), 'utf8')).toBe(TOKEN);
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
    const log = hostLog(runIdOf(result.stdout), 'host-01');
    expect(log).toContain(`$ echo "token=*** color=${COLOR}"`);
    expect(log).toContain(`token=*** color=${COLOR}\n`);
    expect(log).not.toContain(TOKEN);
  });

  it('masks a secret in a failure: the command, the stderr tail and the stored progress', async () => {
    const result = await env.hades(runArgs(['leak']));

    expect(result.code).toBe(1);
    expect(result.stdout).toContain('command: echo "stderr says ***" >&2; exit 3');
    expect(result.stdout).toContain('          stderr says ***');
    expect(result.stdout).not.toContain(TOKEN);
    const runId = runIdOf(result.stdout);
    expect(JSON.stringify(await env.finalProgress(runId))).not.toContain(TOKEN);
    expect(hostLog(runId, 'host-01')).not.toContain(TOKEN);
    // Without a key the run's input, and so the server, holds the values: what encryption is for.
    expect((await historyBytes(env.client, runId)).includes(TOKEN)).toBe(true);
  });

  it('with an encryption key, stores no env value in the server history, and status still reads the run', async () => {
    const result = await env.hades(runArgs(['use']), { HADES_ENCRYPTION_KEY: KEY });
    expect(result.code).toBe(0);
    const runId = runIdOf(result.stdout);

    const history = await historyBytes(env.client, runId);
    expect(history.includes('binary/encrypted')).toBe(true);
    expect(history.includes(COLOR)).toBe(false);
    expect(history.includes(TOKEN)).toBe(false);

    const status = await env.hades(['status', runId], { HADES_ENCRYPTION_KEY: KEY });
    expect(status.stderr).toBe('');
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`Run ${runId} (plan use): succeeded`);
    const blind = await env.hades(['status', runId]);
    expect(blind.code).not.toBe(0);
  });

  it('serves the codec to the Web UI: decodes stored payloads, with CORS for the UI origin', async () => {
    const result = await env.hades(runArgs(['use']), { HADES_ENCRYPTION_KEY: KEY });
    const runId = runIdOf(result.stdout);
    const history = await env.client.workflow.getHandle(runId).fetchHistory();
    const input = history.events![0].workflowExecutionStartedEventAttributes!.input!.payloads!;
    const body = { payloads: input.map((payload) => ({
      metadata: Object.fromEntries(Object.entries(payload.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
      data: Buffer.from(payload.data!).toString('base64'),
    })) };

    const port = await findFreePort('127.0.0.1');
    const server = env.start(['codec-server', '--port', String(port)], { HADES_ENCRYPTION_KEY: KEY });
    try {
      for (let i = 0; i < 100 && !server.output().includes('codec server on'); i++) await sleep(100);
      expect(server.output()).toContain(`codec server on http://127.0.0.1:${port}`);
      const origin = 'http://127.0.0.1:8233';
      const preflight = await fetch(`http://127.0.0.1:${port}/decode`, { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'POST' } });
      expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
      expect(preflight.headers.get('access-control-allow-headers')).toMatch(/X-Namespace/i);

      const response = await fetch(`http://127.0.0.1:${port}/decode`, { method: 'POST', headers: { Origin: origin, 'Content-Type': 'application/json', 'X-Namespace': 'default' }, body: JSON.stringify(body) });
      expect(response.status).toBe(200);
      const decoded = (await response.json()) as { payloads: { data: string }[] };
      expect(Buffer.from(decoded.payloads[0].data, 'base64').toString('utf8')).toContain(COLOR);
    } finally {
      server.child.kill('SIGTERM');
      await server.done;
    }
  });
});
