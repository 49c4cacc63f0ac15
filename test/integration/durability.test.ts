import { readMarks, startRunEnv, waitForOutput, waitForRunId, type CliProcess, type RunEnv } from '../support/run-env';
import { yaml } from '../support/config-dir';

const CONFIG = yaml`
  jobs:
    step-job:
      env:
        MARK_DIR:
      actions:
        - run: echo "$HADES_HOST_NAME ran $(date +%s%N)" >> "\${MARK_DIR}/$HADES_HOST_NAME"
        - wait:
            message: "Next batch?"
  plans:
    durable:
      env:
        MARK_DIR: "\${MARK_DIR}"
      steps:
        - name: roll
          job: step-job
          targets: [all]
          parallelism: 2
`;

describe('a run outlives its worker', () => {
  let env: RunEnv;
  const workers: CliProcess[] = [];

  beforeAll(async () => {
    env = await startRunEnv({ hosts: 4 });
    env.writeConfig('plan.yaml', CONFIG);
  });
  afterAll(async () => {
    for (const worker of workers) worker.child.kill('SIGKILL');
    await env?.stop();
  });

  it('finishes after its worker is killed at a gate and a new worker takes over, running no batch twice', async () => {
    const first = env.start(['worker']);
    workers.push(first);
    await waitForOutput(first, /worker serving task queue/);
    const run = env.start(['run', 'durable', '-c', env.configDir, '--no-worker']);
    const runId = await waitForRunId(run);
    await waitForOutput(run, /gate: Next batch\? \(step roll, batch 1\/2/);

    first.child.kill('SIGKILL');
    await first.done;
    const status = await env.hades(['status', runId]);
    expect(status.code).toBe(1);
    expect(status.stderr).toContain(`error: run ${runId} is running, but no worker answered for its progress`);

    const blind = await env.hades(['approve', runId]);
    expect(blind.code).toBe(0);
    expect(blind.stdout).toContain(`sent "approve" to ${runId}, but no worker answered to say which gate is open`);

    const second = env.start(['worker']);
    workers.push(second);
    await waitForOutput(run, /gate: Next batch\? \(step roll, batch 2\/2/, 60_000);
    expect(await env.hades(['approve', runId])).toMatchObject({ code: 0 });
    const result = await run.done;
    second.child.kill('SIGTERM');

    expect(result.code).toBe(0);
    const ran = readMarks(env.markDir).map((mark) => mark.host).sort();
    expect(ran).toEqual(['host-01', 'host-02', 'host-03', 'host-04']);
  });
});
