import type { WorkflowHandle } from '@temporalio/client';
import { setTimeout as sleep } from 'node:timers/promises';
import { progressEvents } from '../ui/progress-events';
import { renderEvent, renderHostPosition } from '../ui/render-progress';
import type { Style } from '../ui/style';
import { progressQuery } from '../workflows/definitions';
import type { GateProgress, RunProgress } from '../workflows/progress';
import { formatDuration } from '../util/duration';
import { readHostPositions } from './host-positions';
import { awaitOutcome, UNREACHABLE_MS, type RunOutcome } from './run-outcome';
import { isServerUnreachable } from './server-unreachable';

export interface FollowOptions {
  style: Style;
  write: (line: string) => void;
  /** Called once per gate as it opens. */
  onGate?: (gate: GateProgress) => void;
  /** Called when the open gate closes, answered here or elsewhere. */
  onGateClosed?: () => void;
  /** Printed once if no worker answers the progress query for a while. */
  noWorkerHint: string;
  pollMs?: number;
}

/**
 * Prints a run's events as they happen until it ends. Progress comes from the `progress` query,
 * polled, so attaching late replays what already happened and nothing needs to stay connected.
 */
export async function followRun(handle: WorkflowHandle, options: FollowOptions): Promise<RunOutcome> {
  let seen: RunProgress | undefined;
  let finished: RunOutcome | undefined;
  let failedQueries = 0;
  const onUnreachable = (): void => {
    options.write(options.style.warn(`the Temporal server does not answer; the run goes on in it, and this waits up to ${formatDuration(UNREACHABLE_MS)} for the server to come back`));
  };
  const outcome = awaitOutcome(handle, { onUnreachable }).then((result) => (finished = result));
  outcome.catch(() => undefined);

  const show = (progress: RunProgress): void => {
    // A prompt for a gate answered elsewhere closes before the answer prints, not on its line.
    if (seen?.gate && seen.gate.id !== progress.gate?.id) options.onGateClosed?.();
    for (const event of progressEvents(seen, progress)) for (const line of renderEvent(event, options.style)) options.write(line);
    if (progress.gate && progress.gate.id !== seen?.gate?.id) options.onGate?.(progress.gate);
    seen = progress;
  };

  // Where each running host is, between the progress events: once per host and action.
  const shownPositions = new Set<string>();
  const showPositions = async (progress: RunProgress): Promise<void> => {
    const running = new Set(progress.steps.flatMap((step) => step.hosts.filter((host) => host.status === 'running').map((host) => `${step.name}/${host.name}`)));
    for (const position of await readHostPositions(handle).catch(() => [])) {
      const key = `${position.step}/${position.host}/${position.action}`;
      if (shownPositions.has(key) || !running.has(`${position.step}/${position.host}`)) continue;
      shownPositions.add(key);
      for (const line of renderHostPosition(position, options.style)) options.write(line);
    }
  };

  while (finished === undefined) {
    try {
      // A run that has ended has no worker to answer; its outcome carries the progress instead.
      const progress = await Promise.race([handle.query(progressQuery), outcome.then(() => undefined)]);
      if (progress) {
        show(progress);
        await showPositions(progress);
      }
      failedQueries = 0;
    } catch (error) {
      // Until a worker picks the run up, the query has nobody to answer it; a server that is
      // down is another matter, reported once by awaitOutcome.
      if (!isServerUnreachable(error) && ++failedQueries === 20) options.write(options.style.warn(options.noWorkerHint));
    }
    await Promise.race([outcome, sleep(options.pollMs ?? 300)]);
  }

  const result = await outcome;
  if (result.progress) show(result.progress);
  return result;
}
