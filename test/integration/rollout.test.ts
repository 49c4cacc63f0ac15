import { readMarks, startRunEnv, type RunEnv } from '../support/run-env';
import { yaml } from '../support/config-dir';

/** A job that records on the host when it starts and ends, and fails where FAIL_HOST says. */
const JOBS = yaml`
  jobs:
    mark:
      env:
        MARK_DIR:
        FAIL_HOST:
          default: ""
      actions:
        - name: record start
          run: echo "$HADES_HOST_NAME start $(date +%s%N)" >> "\${MARK_DIR}/$HADES_HOST_NAME"
        - name: work
          run: |
            sleep 0.5
            if [ "$HADES_HOST_NAME" = "\${FAIL_HOST}" ]; then echo "no space left on $HADES_HOST_NAME" >&2; exit 7; fi
        - name: record end
          run: echo "$HADES_HOST_NAME end $(date +%s%N)" >> "\${MARK_DIR}/$HADES_HOST_NAME"
`;

function plan(name: string, step: string): string {
  return yaml`
    plans:
      ${name}:
        env:
          MARK_DIR: "\${MARK_DIR}"
        steps:
          - name: roll
            job: mark
            targets: [all]
            ${step}
  `;
}

/** The markers the hosts wrote, and the time of one host's event as the host's clock read it. */
function hostMarks(env: RunEnv) {
  const marks = readMarks(env.markDir);
  const time = (host: string, event: string) => marks.find((mark) => mark.host === host && mark.event === event)?.at;
  return { marks, time };
}

/** True when no host of a batch started before every host of the batch before it had ended. */
function batchesInSequence(batches: string[][], time: (host: string, event: string) => bigint | undefined): boolean {
  for (let index = 1; index < batches.length; index++) {
    const previousEnd = batches[index - 1].map((host) => time(host, 'end')!).reduce((a, b) => (a > b ? a : b));
    const firstStart = batches[index].map((host) => time(host, 'start')!).reduce((a, b) => (a < b ? a : b));
    if (!(firstStart > previousEnd)) return false;
  }
  return true;
}

describe('a plan run on real sshd hosts', () => {
  let env: RunEnv;

  beforeAll(async () => {
    env = await startRunEnv({ hosts: 10 });
    env.writeConfig('jobs.yaml', JOBS);
  });
  afterAll(() => env?.stop());
  beforeEach(() => {
    for (const file of require('node:fs').readdirSync(env.markDir)) require('node:fs').rmSync(`${env.markDir}/${file}`);
  });

  it('runs 10 hosts with parallelism "3" as batches of 3, 3, 3, 1, each after the one before has finished', async () => {
    env.writeConfig('plan.yaml', plan('three', 'parallelism: "3"'));
    const result = await env.hades(['run', 'three', '-c', env.configDir]);
    expect(result.code).toBe(0);

    const batches = [...result.stdout.matchAll(/Batch (\d+)\/(\d+): (.*)/g)].map((match) => match[3].split(', '));
    expect(batches).toEqual([
      ['host-01', 'host-02', 'host-03'],
      ['host-04', 'host-05', 'host-06'],
      ['host-07', 'host-08', 'host-09'],
      ['host-10'],
    ]);
    const { time, marks } = hostMarks(env);
    expect(marks.filter((mark) => mark.event === 'start')).toHaveLength(10);
    expect(batchesInSequence(batches, time)).toBe(true);
    expect(result.stdout).toContain('roll  10 succeeded of 10');
  });

  it.each([
    ['"40%" of 7 hosts', [2, 2, 2, 1], 'parallelism: "40%"\n            limit: 7'],
    ['"10%" of 5 hosts', [1, 1, 1, 1, 1], 'parallelism: "10%"\n            limit: 5'],
    ['limit: 4 with "50%"', [2, 2], 'parallelism: "50%"\n            limit: 4'],
    ['no parallelism on 6 hosts', [6], 'limit: 6'],
  ])('batches %s as %j, never overlapping', async (_title, sizes, step) => {
    env.writeConfig('plan.yaml', plan('sized', step));
    const result = await env.hades(['run', 'sized', '-c', env.configDir]);
    expect(result.code).toBe(0);

    const batches = [...result.stdout.matchAll(/Batch \d+\/\d+: (.*)/g)].map((match) => match[1].split(', '));
    expect(batches.map((batch) => batch.length)).toEqual(sizes);
    expect(batchesInSequence(batches, hostMarks(env).time)).toBe(true);
  });

  it('stops after a host of batch 2 fails: the rest of batch 2 finishes, batch 3 never starts', async () => {
    env.writeConfig('plan.yaml', plan('failing', 'parallelism: "3"'));
    const result = await env.hades(['run', 'failing', '-c', env.configDir, '-e', 'FAIL_HOST=host-05']);
    expect(result.code).toBe(1);

    const { marks } = hostMarks(env);
    const hostsWith = (event: string) => marks.filter((mark) => mark.event === event).map((mark) => mark.host).sort();
    expect(hostsWith('start')).toEqual(['host-01', 'host-02', 'host-03', 'host-04', 'host-05', 'host-06']);
    expect(hostsWith('end')).toEqual(['host-01', 'host-02', 'host-03', 'host-04', 'host-06']);

    expect(result.stdout).toContain('error[ACTION_FAILED] host-05 (127.0.1.5): action [1] run "work" exited with code 7');
    expect(result.stdout).toContain('no space left on host-05');
    expect(result.stdout).toContain('roll  5 succeeded, 1 failed, 4 not started of 10');
    expect(result.stdout).toContain('never started: roll/host-07, roll/host-08, roll/host-09, roll/host-10');

    const runId = /^Run (\S+) started/m.exec(result.stdout)![1];
    const description = await env.client.workflow.getHandle(runId).describe();
    expect(description.status.name).toBe('FAILED');
  });

  it('rejects parallelism "0%" before anything runs, naming the file and line', async () => {
    env.writeConfig('plan.yaml', plan('zero', 'parallelism: "0%"'));
    const result = await env.hades(['run', 'zero', '-c', env.configDir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('plan.yaml:9:22 plans.zero.steps[0].parallelism: "0%" is not a parallelism; use a whole number of hosts (1 or more) or a percentage above 0% and at most 100%');
    expect(readMarks(env.markDir)).toEqual([]);
  });

  it('shows which action each running host is on as it moves', async () => {
    env.writeConfig('plan.yaml', yaml`
      jobs:
        moving:
          actions:
            - name: first
              run: sleep 3
            - name: second
              run: sleep 6
      plans:
        moving:
          steps:
            - { name: move, job: moving, targets: [all], limit: 2 }
    `);
    const result = await env.hades(['run', 'moving', '-c', env.configDir]);

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('host-01 at [1] run "second"');
    expect(result.stdout).toContain('host-02 at [1] run "second"');
  });

  it('prints in a dry run exactly the commands the hosts then run', async () => {
    env.writeConfig('plan.yaml', plan('dry', 'limit: 2'));
    const dry = await env.hades(['run', 'dry', '-c', env.configDir, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(readMarks(env.markDir)).toEqual([]);
    expect(dry.stdout).toContain(`[0] run "record start": echo "$HADES_HOST_NAME start $(date +%s%N)" >> "${env.markDir}/$HADES_HOST_NAME"`);
    expect(dry.stdout).toMatch(/Batch 1\/1: host-01, host-02/);
  });
});
