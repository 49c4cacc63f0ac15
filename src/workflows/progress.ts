import type { HostFailure } from '../spec/host-job';
import type { RunSpec } from '../spec/run-spec';
import { formatParallelism } from '../rollout/parallelism';
import { planBatches } from '../rollout/plan-batches';

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';
export type StepStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'not-started';
/**
 * `waiting`: done with the actions before a gate; `stopped`: the run ended while it waited there;
 * `skipped`: the job's guard said no on this host; `interrupted`: the run was cancelled while the
 * host ran a command, which was stopped on the host.
 */
export type HostStatus = 'pending' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'skipped' | 'stopped' | 'interrupted' | 'not-started';

export interface HostProgress {
  name: string;
  addr: string;
  /** Batch number, from 0. */
  batch: number;
  status: HostStatus;
  /** Index of the action the host is on, while it runs. */
  action?: number;
  actionsDone: number;
  /** An interrupted action that was run again after a lost worker. */
  rerunActions?: number[];
  startedAt?: number;
  finishedAt?: number;
  failure?: HostFailure;
  /** What the file actions did on this host (written, mode changed, unchanged), newest last. */
  notes?: string[];
  /** Why the job was skipped on this host: its guard's command and exit. */
  skipped?: string;
}

export interface StepProgress {
  index: number;
  name: string;
  job: string;
  targets: string[];
  parallelism: string;
  status: StepStatus;
  /** Host names per batch, in rollout order. */
  batches: string[][];
  currentBatch?: number;
  hosts: HostProgress[];
  startedAt?: number;
  finishedAt?: number;
}

export interface GateProgress {
  /** `<step>#<batch>@<action>`: what approve and reject name to be sure they answer this gate. */
  id: string;
  step: string;
  stepIndex: number;
  batch: number;
  action: number;
  message: string;
  timeoutMs?: number;
  openedAt: number;
  deadline?: number;
}

export type GateDecision = 'approved' | 'rejected' | 'timed-out';

export interface GateAnswer {
  gate: string;
  step: string;
  batch: number;
  message: string;
  timeoutMs?: number;
  decision: GateDecision;
  by?: string;
  comment?: string;
  at: number;
}

export interface RunProgress {
  runId: string;
  plan: string;
  status: RunStatus;
  startedAt: number;
  finishedAt?: number;
  steps: StepProgress[];
  gate?: GateProgress;
  answers: GateAnswer[];
  failure?: { code: string; message: string };
}

/** The state of a run before anything ran: every step batched exactly as it will run. */
export function initialProgress(spec: RunSpec, now: number): RunProgress {
  return {
    runId: spec.runId,
    plan: spec.plan,
    status: 'running',
    startedAt: now,
    answers: [],
    steps: spec.steps.map((step, index) => {
      const batches = planBatches(step.hosts.map((host) => host.name), step.parallelism);
      return {
        index,
        name: step.name,
        job: step.job,
        targets: step.targets,
        parallelism: formatParallelism(step.parallelism),
        status: 'pending',
        batches,
        hosts: batches.flatMap((names, batch) =>
          names.map((name) => ({ name, addr: spec.hosts[name].addr, batch, status: 'pending' as const, actionsDone: 0 })),
        ),
      };
    }),
  };
}

/** Counts of a step's hosts by status, for summaries. */
export function countHosts(step: StepProgress): Record<HostStatus, number> {
  const counts: Record<HostStatus, number> = { pending: 0, running: 0, waiting: 0, succeeded: 0, failed: 0, skipped: 0, stopped: 0, interrupted: 0, 'not-started': 0 };
  for (const host of step.hosts) counts[host.status]++;
  return counts;
}

/** Marks everything that did not run as never started, and closes the run. */
export function closeProgress(progress: RunProgress, status: 'succeeded' | 'failed' | 'cancelled'): void {
  progress.status = status;
  progress.finishedAt = Date.now();
  progress.gate = undefined;
  for (const step of progress.steps) {
    if (step.status === 'pending') step.status = 'not-started';
    step.finishedAt ??= step.startedAt === undefined ? undefined : progress.finishedAt;
    for (const host of step.hosts) {
      if (host.status === 'pending') host.status = 'not-started';
      else if (host.status === 'running' && status === 'cancelled') host.status = 'interrupted';
      else if (host.status === 'waiting' || host.status === 'running') host.status = 'stopped';
    }
  }
}
