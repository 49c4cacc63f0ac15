import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** Options of {@link waitForPort}. */
export interface WaitForPortOptions {
  host: string;
  port: number;
  /** Give up after this long; 10 s by default. */
  timeoutMs?: number;
  /** Called between attempts: an error here (the process died, say) stops the wait at once. */
  failIf?: () => Error | undefined;
}

/** Resolves once a TCP connection to host:port succeeds. */
export async function waitForPort(opts: WaitForPortOptions): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  for (;;) {
    const failure = opts.failIf?.();
    if (failure) throw failure;
    if (await canConnect(opts.host, opts.port)) return;
    if (Date.now() > deadline) {
      throw new Error(`nothing accepted connections on ${opts.host}:${opts.port} in time`);
    }
    await sleep(50);
  }
}

/** True when a TCP connection to host:port opens within `timeoutMs`. */
export function canConnect(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
