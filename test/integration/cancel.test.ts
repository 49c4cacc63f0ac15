import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, startRunEnv, waitForOutput, waitForRunId, type RunEnv } from '../support/run-env';
import { yaml } from '../support/config-dir';

// A number no other process on this machine has in its command line.
const MARK = `${process.pid}${Date.now() % 100_000}`;

const CONFIG = yaml`
  jobs:
    hang:
      actions:
        - name: hang
          run: |
            echo "hanging on $HADES_HOST_NAME"
            sh -c 'trap "" TERM; exec sleep 301.${MARK}' &
            sleep 300.${MARK}
    gated:
      actions:
        - run: echo "before the gate on $HADES_HOST_NAME"
        - wait:
            message: "Go on?"
        - run: echo "after the gate on $HADES_HOST_NAME"
  plans:
    hang:
      steps:
        - name: hang
          job: hang
          targets: [all]
    gated:
      steps:
        - name: roll
          job: gated
          targets: [all]
          parallelism: 1
`;

const OPERATOR = { HADES_OPERATOR: 'alice' };

/** The command lines of this test's processes still alive on the hosts (all on this machine). */
function remoteProcesses(): string[] {
  try {
    return execFileSync('pgrep', ['-af', `sleep 30[01][.]${MARK}`], { encoding: 'utf8' }).trim().split('\n');
  } catch {
    return [];
  }
}

describe('hades cancel', () => {
  let env: RunEnv;

  beforeAll(async () => {
    env = await startRunEnv({ hosts: 2 });
    env.writeConfig('plan.yaml', CONFIG);
  });
  afterAll(async () => {
    for (const line of remoteProcesses()) process.kill(Number(line.split(' ')[0]), 'SIGKILL');
    await env?.stop();
  });

  it('terminates the commands in flight on every host, even one that ignores SIGTERM, and names the hosts it interrupted', async () => {
    const run = env.start(['run', 'hang', '-c', env.configDir]);
    const runId = await waitForRunId(run);
    await eventually('both hosts running their commands', () => (remoteProcesses().length === 4 ? true : undefined));

    const cancel = await env.hades(['cancel', runId, '--reason', 'wrong version'], OPERATOR);
    const result = await run.done;

    expect(cancel.stderr).toBe('');
    expect(cancel.stdout).toBe(
      `ok cancelled ${runId}\n` +
        '  interrupted hang/host-01 (127.0.1.1): its command was stopped on the host\n' +
        '  interrupted hang/host-02 (127.0.1.2): its command was stopped on the host\n',
    );
    expect(cancel.code).toBe(0);
    expect(remoteProcesses()).toEqual([]);

    expect(result.code).toBe(1);
    expect(result.stdout).toContain('stop host-01 (127.0.1.1) interrupted');
    expect(result.stdout).toContain('Summary: run cancelled in');
    expect(result.stdout).toMatch(/^  hang  0 succeeded, 2 interrupted of 2 in \S+$/m);
    expect(result.stdout).toContain('  stop interrupted: hang/host-01 (127.0.1.1), hang/host-02 (127.0.1.2)\n');
    expect(result.stdout).toContain('  run cancelled by alice: wrong version; interrupted host-01 (127.0.1.1), host-02 (127.0.1.2)\n');
    expect((await env.client.workflow.getHandle(runId).describe()).status.name).toBe('CANCELLED');
    const status = await env.hades(['status', runId, '--json']);
    const progress = JSON.parse(status.stdout);
    expect(progress.status).toBe('cancelled');
    expect(progress.steps[0].hosts.map((host: { status: string }) => host.status)).toEqual(['interrupted', 'interrupted']);

    const log = readFileSync(join(env.configDir, '..', 'logs', runId, 'host-01.log'), 'utf8');
    expect(log).toContain('hanging on host-01');
    expect(log).toMatch(/### \S+ cancelled in action \[0\] run "hang", which was stopped on the host: the run was cancelled/);
  });

  it('cancels a run at a gate: the waiting hosts stop there, no later batch starts, and --json reports it', async () => {
    const run = env.start(['run', 'gated', '-c', env.configDir]);
    const runId = await waitForRunId(run);
    await waitForOutput(run, /gate: Go on\?/);

    const cancel = await env.hades(['cancel', runId, '--json'], OPERATOR);
    const result = await run.done;

    expect(cancel.code).toBe(0);
    expect(JSON.parse(cancel.stdout)).toEqual({ runId, status: 'cancelled', by: 'alice', interrupted: [], message: 'run cancelled by alice; no command was running' });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^  roll  0 succeeded, 1 stopped at a gate, 1 not started of 2 in \S+$/m);
    expect(result.stdout).toContain('  never started: roll/host-02\n');
    expect(result.stdout).not.toContain('after the gate');
  });

  it('refuses to cancel a run that has already ended', async () => {
    const run = await env.hades(['run', 'gated', '-c', env.configDir, '--yes']);
    const runId = /^Run (\S+) started/m.exec(run.stdout)![1];
    const cancel = await env.hades(['cancel', runId]);

    expect(run.code).toBe(0);
    expect(cancel.code).toBe(1);
    expect(cancel.stderr).toBe(`error: run ${runId} is completed: there is nothing to cancel\n  hint: see how it ended with: hades status ${runId}\n`);
  });
});
