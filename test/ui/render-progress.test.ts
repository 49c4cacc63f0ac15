import { renderSummary } from '../../src/ui/render-progress';
import { plainStyle } from '../../src/ui/style';
import type { HostProgress, RunProgress, StepProgress } from '../../src/workflows/progress';

function host(name: string, status: HostProgress['status'], extra: Partial<HostProgress> = {}): HostProgress {
  return { name, addr: `127.0.1.${name.slice(-1)}`, batch: 0, status, actionsDone: 0, ...extra };
}

function step(index: number, name: string, hosts: HostProgress[], times?: [number, number]): StepProgress {
  return {
    index,
    name,
    job: 'deploy',
    targets: ['web'],
    parallelism: 'all at once',
    status: 'succeeded',
    batches: [hosts.map((h) => h.name)],
    hosts,
    ...(times ? { startedAt: times[0], finishedAt: times[1] } : {}),
  };
}

describe('renderSummary', () => {
  it('counts each step\'s hosts by outcome with its duration, then names the failure and what never started', () => {
    const failure = { code: 'ACTION_FAILED', message: 'web-2 (127.0.1.2): action [1] run: make exited with code 2', completed: [], action: { index: 1, kind: 'run', status: 'failed' as const, command: 'make', exitCode: 2, durationMs: 10, stdoutTail: [], stderrTail: [] } };
    const progress: RunProgress = {
      runId: 'deploy-1',
      plan: 'deploy',
      status: 'failed',
      startedAt: 0,
      finishedAt: 65_000,
      answers: [],
      steps: [
        step(0, 'canary', [host('web-1', 'succeeded')], [0, 3_200]),
        step(1, 'rollout', [host('web-2', 'failed', { failure }), host('web-3', 'skipped'), host('web-4', 'not-started')], [3_200, 65_000]),
        step(2, 'verify', [host('web-5', 'not-started')]),
      ],
      failure: { code: 'HOST_FAILED', message: 'step "rollout" batch 1/1: web-2 failed' },
    };

    expect(renderSummary(progress, plainStyle)).toEqual([
      '',
      'Summary: run failed in 1m5s (deploy-1)',
      '  canary   1 succeeded of 1 in 3.2s',
      '  rollout  0 succeeded, 1 failed, 1 skipped by the guard, 1 not started of 3 in 1m2s',
      '  verify   0 succeeded, 1 not started of 1',
      '  FAILED rollout: web-2 (127.0.1.2): action [1] run: make, exit code 2',
      '  never started: rollout/web-4, verify/web-5',
    ]);
  });
});
