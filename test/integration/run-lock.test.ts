import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { hostLockId } from '../../src/spec/host-locks';
import { eventually, startRunEnv, waitForOutput, waitForRunId, type RunEnv } from '../support/run-env';
import { yaml } from '../support/config-dir';

const CONFIG = yaml`
  targets:
    first: [host-01, host-02, host-03]
  jobs:
    gated:
      env:
        MARK_DIR:
      actions:
        - run: echo "$HADES_RUN_ID" >> "\${MARK_DIR}/$HADES_HOST_NAME"
        - wait:
            message: "Go on?"
        - run: echo "$HADES_RUN_ID" >> "\${MARK_DIR}/$HADES_HOST_NAME"
  plans:
    gated:
      env:
        MARK_DIR: "\${MARK_DIR}"
      steps:
        - { name: change, job: gated, targets: [first] }
    elsewhere:
      env:
        MARK_DIR: "\${MARK_DIR}"
      steps:
        - { name: change, job: gated, targets: [host-04] }
`;

describe('a run locks the hosts it changes', () => {
  let env: RunEnv;

  beforeAll(async () => {
    env = await startRunEnv({ hosts: 4 });
    env.writeConfig('plan.yaml', CONFIG);
  });
  afterAll(() => env?.stop());
  afterEach(async () => {
    // A failed test must not leave a run holding the hosts for the next one.
    if (!env) return;
    for await (const run of env.client.workflow.list({ query: 'ExecutionStatus = "Running"' })) {
      await env.client.workflow.getHandle(run.workflowId).terminate('test cleanup').catch(() => undefined);
    }
  });
  beforeEach(() => {
    for (const file of readdirSync(env.markDir)) rmSync(join(env.markDir, file));
  });

  /** The run ids that ran a command on each host. */
  const ranOn = (host: string): string[] => {
    try {
      return readFileSync(join(env.markDir, host), 'utf8').trim().split('\n');
    } catch {
      return [];
    }
  };
  const runIdOf = (stdout: string) => /^Run (\S+) started/m.exec(stdout)?.[1];

  it('refuses a second run over the same hosts, naming the run that holds them; --allow-concurrent runs it; once the first ends, a new run works', async () => {
    const first = env.start(['run', 'gated', '-c', env.configDir]);
    const firstId = await waitForRunId(first);
    await waitForOutput(first, /gate: Go on\?/);

    const lock = await env.client.workflow.getHandle(hostLockId(env.fleet.hosts[0])).describe();
    expect(lock.status.name).toBe('RUNNING');
    expect(lock.memo?.owner).toBe(firstId);

    const started = Date.now();
    const second = await env.hades(['run', 'gated', '-c', env.configDir, '--yes']);
    console.log(`run-lock: second run refused in ${Date.now() - started} ms`);
    const secondId = runIdOf(second.stdout)!;
    expect(second.code).toBe(1);
    expect(second.stdout + second.stderr).toContain(
      `hosts host-01 (127.0.1.1:${env.fleet.hosts[0].port}), host-02 (127.0.1.2:${env.fleet.hosts[1].port}), host-03 (127.0.1.3:${env.fleet.hosts[2].port}) are being changed by run ${firstId}; wait for that run to end, or start this one with --allow-concurrent`,
    );
    expect((await env.client.workflow.getHandle(secondId).describe()).status.name).toBe('FAILED');

    const overlapping = await env.hades(['run', 'gated', '-c', env.configDir, '--yes', '-t', 'host-02', '-t', 'host-04']);
    expect(overlapping.code).toBe(1);
    expect(overlapping.stdout + overlapping.stderr).toContain(`host host-02 (127.0.1.2:${env.fleet.hosts[1].port}) is being changed by run ${firstId}`);
    expect(ranOn('host-04')).toEqual([]);

    const elsewhere = await env.hades(['run', 'elsewhere', '-c', env.configDir, '--yes']);
    expect(elsewhere.code).toBe(0);

    const concurrent = await env.hades(['run', 'gated', '-c', env.configDir, '--yes', '--allow-concurrent']);
    const concurrentId = runIdOf(concurrent.stdout)!;
    expect(concurrent.stdout + concurrent.stderr).toContain('change  3 succeeded of 3');
    expect(concurrent.code).toBe(0);

    expect((await env.hades(['approve', firstId])).code).toBe(0);
    expect((await first.done).code).toBe(0);
    const third = await env.hades(['run', 'gated', '-c', env.configDir, '--yes']);
    const thirdId = runIdOf(third.stdout)!;
    expect(third.code).toBe(0);

    // The refused runs ran nothing; the others ran both commands on every host.
    for (const host of ['host-01', 'host-02', 'host-03']) {
      expect(ranOn(host).sort()).toEqual([firstId, firstId, concurrentId, concurrentId, thirdId, thirdId].sort());
    }
    expect((await env.client.workflow.getHandle(hostLockId(env.fleet.hosts[0])).describe()).status.name).not.toBe('RUNNING');
  });

  it('frees the hosts of a run that is terminated', async () => {
    const first = env.start(['run', 'gated', '-c', env.configDir]);
    const firstId = await waitForRunId(first);
    await waitForOutput(first, /gate: Go on\?/);
    await env.client.workflow.getHandle(firstId).terminate('test: an operator ends it by force');
    await first.done;

    // The server terminates the locks with their run, a moment after it.
    await eventually('the locks to end', async () => {
      const lock = await env.client.workflow.getHandle(hostLockId(env.fleet.hosts[0])).describe();
      return lock.status.name === 'RUNNING' ? undefined : lock.status.name;
    }, 15_000);
    const next = await env.hades(['run', 'gated', '-c', env.configDir, '--yes']);
    expect(next.code).toBe(0);
  });

  it('frees the hosts of a run that is cancelled', async () => {
    const first = env.start(['run', 'gated', '-c', env.configDir]);
    const firstId = await waitForRunId(first);
    await waitForOutput(first, /gate: Go on\?/);
    await env.client.workflow.getHandle(firstId).cancel();
    await first.done;

    const next = await env.hades(['run', 'gated', '-c', env.configDir, '--yes']);
    expect(next.code).toBe(0);
  });
});
