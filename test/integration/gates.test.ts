import { readMarks, startRunEnv, waitForOutput, waitForRunId, type RunEnv } from '../support/run-env';
import { yaml } from '../support/config-dir';

const CONFIG = yaml`
  jobs:
    gated:
      env:
        MARK_DIR:
        TIMEOUT:
          default: 5m
      actions:
        - run: echo "$HADES_HOST_NAME before $(date +%s%N)" >> "\${MARK_DIR}/$HADES_HOST_NAME"
        - wait:
            message: "Canary healthy. Proceed?"
            timeout: 2s
        - run: echo "$HADES_HOST_NAME after $(date +%s%N)" >> "\${MARK_DIR}/$HADES_HOST_NAME"
    open-gate:
      env:
        MARK_DIR:
      actions:
        - run: echo "$HADES_HOST_NAME before $(date +%s%N)" >> "\${MARK_DIR}/$HADES_HOST_NAME"
        - wait:
            message: "Proceed with batch?"
        - run: echo "$HADES_HOST_NAME after $(date +%s%N)" >> "\${MARK_DIR}/$HADES_HOST_NAME"
    slow:
      actions:
        - run: sleep 4
  plans:
    timeout:
      env:
        MARK_DIR: "\${MARK_DIR}"
      steps:
        - name: canary
          job: gated
          targets: [all]
          limit: 1
    batches:
      env:
        MARK_DIR: "\${MARK_DIR}"
      steps:
        - name: rollout
          job: open-gate
          targets: [all]
          parallelism: 2
    slow:
      steps:
        - name: sleep
          job: slow
          targets: [all]
          limit: 1
`;

const OPERATOR = { HADES_OPERATOR: 'alice' };

describe('gates', () => {
  let env: RunEnv;

  beforeAll(async () => {
    env = await startRunEnv({ hosts: 4 });
    env.writeConfig('plan.yaml', CONFIG);
  });
  afterAll(() => env?.stop());
  beforeEach(() => {
    for (const file of require('node:fs').readdirSync(env.markDir)) require('node:fs').rmSync(`${env.markDir}/${file}`);
  });

  const events = (event: string) => readMarks(env.markDir).filter((mark) => mark.event === event).map((mark) => mark.host).sort();

  it('opens once per batch, and each approve lets that batch go on', async () => {
    const run = env.start(['run', 'batches', '-c', env.configDir]);
    const runId = await waitForRunId(run);
    for (const batch of [1, 2]) {
      await waitForOutput(run, new RegExp(`gate: Proceed with batch\\? \\(step rollout, batch ${batch}/2`));
      const approve = await env.hades(['approve', runId, '--comment', `batch ${batch} ok`], OPERATOR);
      expect(approve.stdout).toContain(`approved gate "Proceed with batch?" of ${runId} (step rollout, batch ${batch})`);
      expect(approve.code).toBe(0);
    }
    const result = await run.done;

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('gate approved by alice: batch 1 ok');
    expect(result.stdout).toContain('gate approved by alice: batch 2 ok');
    expect(events('before')).toEqual(['host-01', 'host-02', 'host-03', 'host-04']);
    expect(events('after')).toEqual(['host-01', 'host-02', 'host-03', 'host-04']);
    const progress = await env.finalProgress(runId);
    expect(progress?.answers.map((answer) => [answer.batch, answer.decision, answer.by, answer.comment])).toEqual([
      [0, 'approved', 'alice', 'batch 1 ok'],
      [1, 'approved', 'alice', 'batch 2 ok'],
    ]);
  });

  it('fails the run when the gate is rejected, and runs nothing after it', async () => {
    const run = env.start(['run', 'batches', '-c', env.configDir]);
    const runId = await waitForRunId(run);
    await waitForOutput(run, /gate: Proceed with batch/);
    const reject = await env.hades(['reject', runId, '--reason', 'error rate is up'], OPERATOR);
    expect(reject.code).toBe(0);
    const result = await run.done;

    expect(result.code).toBe(1);
    expect(result.stdout).toContain('gate rejected by alice: error rate is up');
    expect(result.stdout).toContain('gate "Proceed with batch?" at step "rollout" batch 1/2 was rejected by alice: error rate is up');
    expect(events('before')).toEqual(['host-01', 'host-02']);
    expect(events('after')).toEqual([]);
    const description = await env.client.workflow.getHandle(runId).describe();
    expect(description.status.name).toBe('FAILED');
  });

  it('fails the run when nobody answers within the timeout', async () => {
    const result = await env.hades(['run', 'timeout', '-c', env.configDir]);

    expect(result.code).toBe(1);
    expect(result.stdout).toContain('gate timed out after 2s with no answer');
    expect(result.stdout).toContain('gate "Canary healthy. Proceed?" at step "canary" batch 1/1 timed out after 2s');
    expect(events('after')).toEqual([]);
  });

  it('refuses to approve a run that is not waiting at a gate', async () => {
    const run = env.start(['run', 'slow', '-c', env.configDir]);
    const runId = await waitForRunId(run);
    const approve = await env.hades(['approve', runId]);
    await run.done;

    expect(approve.code).toBe(1);
    expect(approve.stderr).toBe(
      `error: run ${runId} is not waiting at a gate\n` +
        `  hint: gates open once per batch when a job reaches its wait action; see where the run is with: hades status ${runId}\n`,
    );
  });

  it('says plainly that a run id is unknown', async () => {
    const approve = await env.hades(['approve', 'no-such-run']);

    expect(approve.code).toBe(1);
    expect(approve.stderr).toContain('error: no run no-such-run in namespace default at');
  });

  it('approves from the terminal prompt with --yes for unattended runs', async () => {
    const result = await env.hades(['run', 'batches', '-c', env.configDir, '--yes'], OPERATOR);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('gate approved by alice: approved with --yes');
    expect(events('after')).toHaveLength(4);
  });
});
