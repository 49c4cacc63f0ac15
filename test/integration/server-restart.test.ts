import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DevServer } from '../../src/devkit/temporal-dev-server';
import { eventually, readMarks, startRunEnv, waitForOutput, waitForRunId, type RunEnv } from '../support/run-env';
import { yaml } from '../support/config-dir';

const mark = (event: string) => `echo "$HADES_HOST_NAME ${event} $(date +%s%N)" >> "\${MARK_DIR}/$HADES_HOST_NAME"`;

const CONFIG = yaml`
  jobs:
    gated:
      env: { MARK_DIR: }
      actions:
        - run: ${mark('start')}; sleep 6; ${mark('end')}
        - wait:
            message: "Go on?"
        - run: ${mark('after')}
    timed:
      env: { MARK_DIR: }
      actions:
        - run: ${mark('before')}
        - wait:
            message: "Answer within 6s"
            timeout: 6s
        - run: ${mark('after')}
  plans:
    gated:
      env: { MARK_DIR: "\${MARK_DIR}" }
      steps: [{ name: roll, job: gated, targets: [all], parallelism: 1 }]
    timed:
      env: { MARK_DIR: "\${MARK_DIR}" }
      steps: [{ name: wait, job: timed, targets: [all], limit: 1 }]
`;

/**
 * The dev server keeps its state in a SQLite file; these tests SIGKILL it mid-run and start it
 * again on the same port and file, while `hades run` (with its in-process worker) follows the run.
 */
describe('a run outlives a Temporal server restart', () => {
  let env: RunEnv;
  let server: DevServer;

  beforeAll(async () => {
    env = await startRunEnv({ hosts: 2, persistent: true });
    server = env.server;
    env.writeConfig('plan.yaml', CONFIG);
  });
  afterAll(async () => {
    // env.stop() stops the server it started; a restarted one is another process.
    if (server !== env?.server) await server.stop();
    await env?.stop();
  });
  beforeEach(() => {
    for (const file of readdirSync(env.markDir)) rmSync(join(env.markDir, file));
  });

  const count = (host: string, event: string) => readMarks(env.markDir).filter((m) => m.host === host && m.event === event).length;
  const crash = async (downForMs = 0): Promise<number> => {
    const started = Date.now();
    server = await server.restart({ kill9: true, downForMs });
    return Date.now() - started;
  };

  it('goes on after a restart during a batch, and its gate is still answerable after another', async () => {
    const run = env.start(['run', 'gated', '-c', env.configDir]);
    const runId = await waitForRunId(run);
    await eventually('host-01 to start its command', () => (count('host-01', 'start') === 1 ? true : undefined));
    const downMs = await crash();
    console.log(`server restarted in ${downMs} ms during batch 1`);

    await waitForOutput(run, /gate: Go on\? \(step roll, batch 1\/2/, 90_000);
    // Long enough for the client's own gRPC retries to give up: `hades run` must wait it out.
    const gateDownMs = await crash(20_000);
    console.log(`server restarted ${gateDownMs} ms after it was killed at the gate`);
    const status = await env.hades(['status', runId]);
    expect(status.stdout).toContain('Go on?');
    expect(await env.hades(['approve', runId])).toMatchObject({ code: 0 });

    await waitForOutput(run, /gate: Go on\? \(step roll, batch 2\/2/, 60_000);
    expect(await env.hades(['approve', runId])).toMatchObject({ code: 0 });
    const result = await run.done;
    console.log(result.stdout + result.stderr);

    expect(result.code).toBe(0);
    expect(result.stdout.match(/the Temporal server does not answer/g)).toHaveLength(1);
    for (const host of ['host-01', 'host-02']) {
      expect([host, count(host, 'start'), count(host, 'end'), count(host, 'after')]).toEqual([host, 1, 1, 1]);
    }
  });

  it('times a gate out on time across a restart', async () => {
    const run = env.start(['run', 'timed', '-c', env.configDir]);
    await waitForRunId(run);
    await waitForOutput(run, /gate: Answer within 6s/);
    const openedAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const downMs = await crash();
    const result = await run.done;
    const elapsed = Date.now() - openedAt;
    console.log(`gate timeout 6s: the run ended ${(elapsed / 1000).toFixed(1)}s after the gate opened (server down ${downMs} ms)\n${result.stdout}${result.stderr}`);

    expect(result.code).toBe(1);
    expect(result.stdout).toContain('gate timed out after 6s with no answer');
    expect(result.stdout).toContain('timed out after 6s');
    expect(elapsed).toBeGreaterThanOrEqual(5_000);
    expect(count('host-01', 'before')).toBe(1);
    expect(count('host-01', 'after')).toBe(0);
  });
});
