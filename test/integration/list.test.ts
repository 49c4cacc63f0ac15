import type { RunListEntry } from '../../src/ui/render-run-list';
import { yaml } from '../support/config-dir';
import { eventually, startRunEnv, waitForOutput, waitForRunId, type RunEnv } from '../support/run-env';

const CONFIG = yaml`
  jobs:
    hello:
      actions:
        - run: echo "hello from $HADES_HOST_NAME"
    fragile:
      actions:
        - run: test "$HADES_HOST_NAME" != host-02 || { echo "disk full on $HADES_HOST_NAME" >&2; exit 3; }
    gated:
      actions:
        - wait:
            message: "Go on?"
  plans:
    greet:
      steps:
        - { name: say-hello, job: hello, targets: [all] }
    break:
      steps:
        - { name: warm-up, job: hello, targets: [all], limit: 1 }
        - { name: fragile-step, job: fragile, targets: [all] }
    hold:
      steps:
        - { name: hold-step, job: gated, targets: [all], limit: 1 }
`;

/** `hades list --json` with `args`, once visibility shows `count` runs (it lags a moment). */
async function listJson(env: RunEnv, args: string[], count: number): Promise<RunListEntry[]> {
  return eventually(`hades list ${args.join(' ')} to show ${count} runs`, async () => {
    const result = await env.hades(['list', '--json', ...args]);
    if (result.code !== 0) throw new Error(`hades list failed (${result.code}):\n${result.stderr}`);
    const entries = JSON.parse(result.stdout) as RunListEntry[];
    return entries.length === count ? entries : undefined;
  });
}

async function runPlan(env: RunEnv, plan: string, expectedCode: number): Promise<string> {
  const run = env.start(['run', plan, '-c', env.configDir]);
  const runId = await waitForRunId(run);
  const result = await run.done;
  if (result.code !== expectedCode) throw new Error(`hades run ${plan} exited ${result.code}:\n${result.stdout}${result.stderr}`);
  return runId;
}

describe('hades list', () => {
  let env: RunEnv;
  const runs: Record<string, string[]> = { greet: [], break: [] };

  beforeAll(async () => {
    env = await startRunEnv({ hosts: 3 });
    env.writeConfig('plan.yaml', CONFIG);
    runs.greet.push(await runPlan(env, 'greet', 0));
    runs.break.push(await runPlan(env, 'break', 1));
    runs.greet.push(await runPlan(env, 'greet', 0));
  });
  afterAll(() => env?.stop());

  it('lists only the runs of the plan named with --plan, newest first, as a JSON array', async () => {
    const entries = await listJson(env, ['--plan', 'greet'], 2);

    expect(entries.map((entry) => entry.runId)).toEqual([...runs.greet].reverse());
    for (const entry of entries) {
      expect(entry).toMatchObject({ plan: 'greet', status: 'succeeded', step: 'say-hello' });
      expect(entry.failedHost).toBeUndefined();
      expect(entry.durationMs).toBeGreaterThan(0);
      expect(Date.parse(entry.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(entry.startedAt));
    }
  });

  it('names the failing host, the step and the failure of a failed run', async () => {
    const [entry] = await listJson(env, ['--status', 'failed'], 1);

    expect(entry).toMatchObject({
      runId: runs.break[0],
      plan: 'break',
      status: 'failed',
      step: 'fragile-step',
      failedHost: 'host-02',
      failure: 'HOST_FAILED',
    });
  });

  it('prints a table with a header and one line per run', async () => {
    await listJson(env, [], 3);
    const result = await env.hades(['list', '--plan', 'break']);

    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^RUN ID +PLAN +STATUS +STARTED \(UTC\) +DURATION +STEP +FAILED HOST$/);
    expect(lines).toHaveLength(2);
    const started = '\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d';
    expect(lines[1]).toMatch(new RegExp(`^${runs.break[0]} +break +failed +${started} +\\S+ +fragile-step +host-02$`));
  });

  it('keeps to --limit', async () => {
    const entries = await listJson(env, ['--limit', '1'], 1);

    expect(entries).toHaveLength(1);
  });

  it('shows a run that waits at a gate as waiting, and selects it with --status waiting', async () => {
    const run = env.start(['run', 'hold', '-c', env.configDir]);
    const runId = await waitForRunId(run);
    await waitForOutput(run, /gate: Go on\?/);

    const [waiting] = await listJson(env, ['--status', 'waiting'], 1);
    expect(waiting).toMatchObject({ runId, plan: 'hold', status: 'waiting', step: 'hold-step' });
    expect(waiting.finishedAt).toBeUndefined();

    expect((await env.hades(['approve', runId])).code).toBe(0);
    expect((await run.done).code).toBe(0);
    const [done] = await listJson(env, ['--plan', 'hold', '--status', 'succeeded'], 1);
    expect(done.runId).toBe(runId);
  });

  it('rejects a status it does not know, naming the ones it does', async () => {
    const result = await env.hades(['list', '--status', 'exploded']);

    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'error: --status exploded: not a run status\n' + '  hint: use one of running, waiting, succeeded, failed, cancelled, terminated, timed-out\n',
    );
  });
});

describe('hades list on a server without Hades search attributes', () => {
  let env: RunEnv;

  beforeAll(async () => {
    env = await startRunEnv({ hosts: 3, searchAttributes: false });
    env.writeConfig('plan.yaml', CONFIG);
  });
  afterAll(() => env?.stop());

  it('still runs plans, and finds a plan and its failing host from the run memo', async () => {
    await runPlan(env, 'greet', 0);
    const failed = await runPlan(env, 'break', 1);

    const [entry] = await listJson(env, ['--plan', 'break'], 1);
    expect(entry).toMatchObject({ runId: failed, plan: 'break', status: 'failed', failedHost: 'host-02' });
    expect(entry.failure).toBe('HOST_FAILED');
    const result = await env.hades(['list', '--plan', 'break']);
    expect(result.stderr).toContain('note: search attribute HadesPlan is not registered here');
  });

  it('says how to register HadesGateOpen when --status waiting needs it', async () => {
    const result = await env.hades(['list', '--status', 'waiting']);

    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'error: --status waiting needs the search attribute HadesGateOpen, which this server has not registered\n' +
        '  hint: register it with: temporal operator search-attribute create --namespace default --name HadesGateOpen --type Bool\n',
    );
  });
});
