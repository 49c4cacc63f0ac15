import { startRunEnv, waitForOutput, waitForRunId, type RunEnv } from '../support/run-env';
import { yaml } from '../support/config-dir';

const CONFIG = yaml`
  jobs:
    talk:
      actions:
        - name: first words
          run: |
            echo "one from $HADES_HOST_NAME"
            echo "warning on $HADES_HOST_NAME" >&2
        - name: more words
          run: echo "two from $HADES_HOST_NAME"
    gate:
      actions:
        - wait:
            message: "Carry on?"
    slow:
      actions:
        - name: slowly
          run: |
            echo "start on $HADES_HOST_NAME"
            sleep 2
            echo "end on $HADES_HOST_NAME"
    fail:
      actions:
        - run: echo "bad on $HADES_HOST_NAME"; exit 3
  plans:
    talk:
      steps:
        - { name: canary, job: talk, targets: [all], limit: 1 }
        - { name: approval, job: gate, targets: [all], limit: 1 }
        - { name: rollout, job: talk, targets: [all] }
    slow:
      steps:
        - { name: slow, job: slow, targets: [all] }
    broken:
      steps:
        - { name: only, job: fail, targets: [all], limit: 1 }
`;

const OPERATOR = { HADES_OPERATOR: 'alice' };

/** Everything after a command's two header lines (run id, Web UI link). */
/**
 * What a person reads below the header, with what only a live follower can see left out: the
 * action a host is on (from heartbeats, as it happens) and the order in which hosts of a batch
 * finished within one look.
 */
function view(stdout: string): string {
  const lines = stdout.split('\n').slice(2).filter((line) => !/^ {4}\S+ \S+ at \[\d+\]/.test(line));
  const finished = (line: string) => /^ {4}\S+ \S+ (succeeded|failed)/.test(line);
  for (let start = 0; start < lines.length; start++) {
    let end = start;
    while (end < lines.length && finished(lines[end])) end++;
    if (end - start > 1) lines.splice(start, end - start, ...lines.slice(start, end).sort());
    start = end;
  }
  return lines.join('\n');
}

describe('hades watch and hades logs', () => {
  let env: RunEnv;
  let talkRun: string;

  beforeAll(async () => {
    env = await startRunEnv({ hosts: 2 });
    env.writeConfig('plan.yaml', CONFIG);
  });
  afterAll(() => env?.stop());

  it('attaches to a run from another terminal with the same view as run, gate included, and exits as run does', async () => {
    const run = env.start(['run', 'talk', '-c', env.configDir]);
    talkRun = await waitForRunId(run);
    await waitForOutput(run, /gate: Carry on\?/);
    const watch = env.start(['watch', talkRun]);
    await waitForOutput(watch, /approve: hades approve/);

    expect((await env.hades(['approve', talkRun, '--comment', 'fine'], OPERATOR)).code).toBe(0);
    const [ran, watched] = await Promise.all([run.done, watch.done]);

    expect(watched.stdout.split('\n')[0]).toMatch(new RegExp(`^Run ${talkRun} \\(running, started \\S+\\)$`));
    expect(watched.code).toBe(0);
    expect(ran.code).toBe(0);
    expect(view(watched.stdout)).toBe(view(ran.stdout));
    expect(watched.stdout).toContain('gate approved by alice: fine');
    expect(watched.stdout).toContain('Summary: run succeeded in');
  });

  it('replays a run that has ended, and exits 1 when it failed', async () => {
    const run = await env.hades(['run', 'broken', '-c', env.configDir]);
    const runId = /^Run (\S+) started/m.exec(run.stdout)![1];
    const watched = await env.hades(['watch', runId]);

    expect(run.code).toBe(1);
    expect(watched.code).toBe(1);
    expect(watched.stdout.split('\n')[0]).toMatch(new RegExp(`^Run ${runId} \\(failed, started \\S+\\)$`));
    expect(view(watched.stdout)).toBe(view(run.stdout));
  });

  it('detaches on Ctrl-C and says how to re-attach', async () => {
    const run = env.start(['run', 'talk', '-c', env.configDir]);
    const runId = await waitForRunId(run);
    const watch = env.start(['watch', runId]);
    await waitForOutput(watch, /gate: Carry on\?/);
    watch.child.kill('SIGINT');
    const detached = await watch.done;
    await env.hades(['reject', runId]);
    await run.done;

    expect(detached.code).toBe(130);
    expect(detached.stderr).toBe(
      `\ndetached from ${runId}; it goes on as long as a worker serves task queue e2e-${process.pid}\n` +
        `  re-attach with: hades watch ${runId}    stop it with: hades cancel ${runId}\n`,
    );
  });

  it('says plainly that a run id is unknown', async () => {
    const watched = await env.hades(['watch', 'no-such-run']);

    expect(watched.code).toBe(1);
    expect(watched.stderr).toContain('error: no run no-such-run in namespace default at');
  });

  it('prints every host\'s output with its action headers, each line marked with its host', async () => {
    const logs = await env.hades(['logs', talkRun]);
    const lines = logs.stdout.split('\n').map((line) => line.replace(/^(\S+ \| ### )\S+ /, '$1<time> '));

    expect(logs.code).toBe(0);
    expect(lines).toEqual(
      expect.arrayContaining([
        'host-01 | ### <time> step canary · action [0] run "first words"',
        'host-01 | one from host-01',
        'host-01 | warning on host-01',
        'host-01 | ### <time> step canary · action [1] run "more words"',
        'host-01 | two from host-01',
        'host-01 | ### <time> step rollout · action [0] run "first words"',
        'host-02 | ### <time> step rollout · action [0] run "first words"',
        'host-02 | one from host-02',
        'host-02 | two from host-02',
      ]),
    );
    expect(lines.indexOf('host-01 | one from host-01')).toBeLessThan(lines.indexOf('host-01 | two from host-01'));
    const hostOrder = lines.map((line) => line.split(' ')[0]).filter((host) => host !== '');
    expect(hostOrder).toEqual([...hostOrder].sort());
  });

  it('keeps one host and one step with --host and --step', async () => {
    const logs = await env.hades(['logs', talkRun, '--host', 'host-01', '--step', 'rollout']);

    expect(logs.code).toBe(0);
    expect(logs.stdout).toMatch(/^### \S+ step rollout · action \[0\] run "first words"\n/);
    expect(logs.stdout).toContain('\none from host-01\n');
    expect(logs.stdout).not.toContain('step canary');
    expect(logs.stdout).not.toContain('host-02');
  });

  it('names what there is when --host or --step matches nothing', async () => {
    const host = await env.hades(['logs', talkRun, '--host', 'host-09']);
    const step = await env.hades(['logs', talkRun, '--step', 'approval']);

    expect(host.code).toBe(1);
    expect(host.stderr).toBe(`error: no log of host host-09 for run ${talkRun} in ${env.configDir.replace(/config$/, 'logs')}/${talkRun}\n  hint: hosts with logs here: host-01, host-02\n`);
    expect(step.code).toBe(1);
    expect(step.stderr).toBe(`error: no output of step approval in the logs of run ${talkRun}\n  hint: steps with output here: canary, rollout\n`);
  });

  it('says clearly when this machine has no logs of the run', async () => {
    const logs = await env.hades(['logs', talkRun, '--log-dir', 'elsewhere']);

    expect(logs.code).toBe(1);
    expect(logs.stdout).toBe('');
    expect(logs.stderr).toMatch(new RegExp(`^error: no logs of run ${talkRun} here: \\S+/elsewhere/${talkRun} does not exist\n  hint: host logs stay on the machine of the worker that ran the hosts`));
  });

  it('follows the output with -f until the run ends', async () => {
    const run = env.start(['run', 'slow', '-c', env.configDir]);
    const runId = await waitForRunId(run);
    const follow = env.start(['logs', runId, '-f']);
    await waitForOutput(follow, /start on host-02/);
    expect(follow.output()).not.toContain('end on host-02');

    const [ran, followed] = await Promise.all([run.done, follow.done]);
    expect(ran.code).toBe(0);
    expect(followed.code).toBe(0);
    for (const host of ['host-01', 'host-02']) {
      expect(followed.stdout).toContain(`${host} | start on ${host}\n`);
      expect(followed.stdout).toContain(`${host} | end on ${host}\n`);
    }
  });
});
