import { resolveRunSpec } from '../../src/spec/resolve-run-spec';
import { loadErrorOf, loadFiles, removeConfigDirs, yaml } from '../support/config-dir';

afterAll(removeConfigDirs);

const inventory = yaml`
  hosts:
    web-1: { addr: 127.0.1.1 }
`;

describe('loading the fault options: retries, rerun_interrupted and a run action\'s timeout', () => {
  it('loads a run action\'s timeout beside its kind and name, in milliseconds', () => {
    const config = loadFiles({
      'jobs.yaml': yaml`
        jobs:
          j:
            actions:
              - name: slow
                run: sleep 30
                timeout: 1m30s
              - run: "true"
      `,
    });
    expect(config.jobs.get('j')!.value.actions).toEqual([
      { kind: 'run', label: 'slow', command: 'sleep 30', timeoutMs: 90_000 },
      { kind: 'run', command: 'true' },
    ]);
  });

  it('rejects a timeout on an action that is not run, pointing gates at their own timeout', () => {
    expect(
      loadErrorOf({
        'jobs.yaml': yaml`
          jobs:
            j:
              actions:
                - wait: { message: ok? }
                  timeout: 5m
        `,
      }),
    ).toBe('jobs.yaml:5:18 jobs.j.actions[0].timeout: only run actions take a timeout; a gate takes its timeout inside wait: { timeout: 5m }');
  });

  it('rejects a timeout that is not a duration', () => {
    expect(
      loadErrorOf({
        'jobs.yaml': yaml`
          jobs:
            j:
              actions:
                - run: sleep 30
                  timeout: soon
        `,
      }),
    ).toBe('jobs.yaml:5:18 jobs.j.actions[0].timeout: "soon" is not a duration; write it like "30s", "5m" or "1h30m"');
  });

  it('rejects retries that are not a whole number of 0 or more', () => {
    expect(
      loadErrorOf({
        'jobs.yaml': yaml`
          jobs:
            j:
              retries: -1
              actions:
                - run: "true"
        `,
      }),
    ).toBe('jobs.yaml:3:14 jobs.j.retries: must be a whole number of retries, 0 or more');
  });

  it('rejects a rerun_interrupted that is not true or false', () => {
    expect(
      loadErrorOf({
        'jobs.yaml': yaml`
          jobs:
            j:
              rerun_interrupted: "no"
              actions:
                - run: "true"
        `,
      }),
    ).toBe('jobs.yaml:3:24 jobs.j.rerun_interrupted: must be true or false');
  });

  it('carries retries (the step\'s over the job\'s), rerun_interrupted and timeouts into the run spec', () => {
    const config = loadFiles({
      'inventory.yaml': inventory,
      'jobs.yaml': yaml`
        jobs:
          once:
            rerun_interrupted: false
            retries: 2
            actions:
              - run: ./migrate.sh
                timeout: 10s
          again:
            actions:
              - run: ./check.sh
        plans:
          release:
            steps:
              - { name: migrate, job: once, targets: [web-1] }
              - { name: migrate-harder, job: once, targets: [web-1], retries: 5 }
              - { name: check, job: again, targets: [web-1] }
              - { name: check-twice, job: again, targets: [web-1], retries: 1 }
      `,
    });
    const spec = resolveRunSpec(config, { plan: 'release', runId: 'release-1', osEnv: {} });
    const [migrate, harder, check, twice] = spec.steps;
    expect(migrate).toMatchObject({ rerunInterrupted: false, retries: 2 });
    expect(migrate.actions[0]).toEqual({ kind: 'run', command: './migrate.sh', timeoutMs: 10_000, index: 0 });
    expect(harder.retries).toBe(5);
    expect(check).not.toHaveProperty('retries');
    expect(check).not.toHaveProperty('rerunInterrupted');
    expect(twice.retries).toBe(1);
  });
});
