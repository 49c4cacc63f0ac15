import { setTimeout as sleep } from 'node:timers/promises';

import { isProcessAlive } from './process-state';

/** Options of {@link terminateProcess}. */
export interface TerminateOptions {
  /** How long SIGTERM may take before SIGKILL follows; 3 s by default. */
  graceMs?: number;
}

/** Sends SIGTERM to `pid`, then SIGKILL if it still runs after the grace time; waits for exit. */
export async function terminateProcess(pid: number, opts: TerminateOptions = {}): Promise<void> {
  if (!sendSignal(pid, 'SIGTERM')) return;
  if (await waitForExit(pid, opts.graceMs ?? 3_000)) return;

  await killProcess(pid);
}

/** Sends SIGKILL to `pid` and waits until it is gone. */
export async function killProcess(pid: number): Promise<void> {
  if (!sendSignal(pid, 'SIGKILL')) return;
  if (await waitForExit(pid, 5_000)) return;

  throw new Error(`process ${pid} still runs 5 s after SIGKILL; inspect it with: ps -o pid,stat,cmd -p ${pid}`);
}

/** Resolves true once `pid` has exited, false if it still runs after `timeoutMs`. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isProcessAlive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(25);
  }
  return true;
}

// False when there is nothing to signal any more.
function sendSignal(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw err;
  }
}
