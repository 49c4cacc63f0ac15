import type { Client } from 'ssh2';

const LEADER_MARK = 'hades-pid';

/** Seconds a stopped command's process group gets between SIGTERM and SIGKILL. */
export const STOP_GRACE_SECONDS = 5;

// sshd starts each session's shell with setsid(), so that shell leads a process group holding the
// command and everything it starts (unless something detaches on purpose). OpenSSH ignores
// "signal" requests for sessions without a pty and leaves the command running when the channel
// closes, so stopping it means signalling that group from the host itself: the script reports the
// shell's pid first, on stderr, and a stop runs `kill` on a second channel of the same connection.

/** `script`, reporting the pid of the shell that runs it before anything else. */
export function leaderReportingScript(script: string): string {
  return `printf '${LEADER_MARK} %s\\n' "$$" >&2\n${script}`;
}

/** Reads the leader's pid off the start of stderr and passes the rest on. */
export class LeaderReader {
  pid?: number;
  private head = Buffer.alloc(0);
  private done = false;
  private waiting: Array<(pid: number | undefined) => void> = [];

  /** The part of `chunk` that is the command's own output. */
  take(chunk: Buffer): Buffer {
    if (this.done) return chunk;
    this.head = Buffer.concat([this.head, chunk]);
    const newline = this.head.indexOf(10);
    if (newline < 0 && this.head.length < 64) return Buffer.alloc(0);

    const match = newline < 0 ? null : new RegExp(`^${LEADER_MARK} (\\d+)$`).exec(this.head.subarray(0, newline).toString());
    const rest = match ? this.head.subarray(newline + 1) : this.head;
    this.finish(match ? Number(match[1]) : undefined);
    return rest;
  }

  /** Calls `use` with the pid once it is known (undefined if the host never reported one). */
  whenKnown(use: (pid: number | undefined) => void): void {
    if (this.done) use(this.pid);
    else this.waiting.push(use);
  }

  /** The channel closed: whoever still waits learns there is no pid. */
  close(): void {
    if (!this.done) this.finish(undefined);
  }

  private finish(pid: number | undefined): void {
    this.done = true;
    this.pid = pid;
    this.head = Buffer.alloc(0);
    for (const use of this.waiting.splice(0)) use(pid);
  }
}

/** Shell that ends the process group `pid` leads: TERM, then KILL once the grace is over. */
export function stopGroupScript(pid: number): string {
  return [
    `kill -TERM -${pid} 2>/dev/null || exit 0`,
    'i=0',
    `while kill -0 -${pid} 2>/dev/null; do`,
    `  if [ "$i" -ge ${STOP_GRACE_SECONDS * 10} ]; then kill -KILL -${pid} 2>/dev/null; exit 0; fi`,
    '  sleep 0.1',
    '  i=$((i + 1))',
    'done',
  ].join('\n');
}

/** Runs {@link stopGroupScript} on its own channel; `onFailure` when no channel could be opened. */
export function stopGroup(client: Client, pid: number, onFailure: () => void): void {
  client.exec(stopGroupScript(pid), (error, channel) => {
    if (error) {
      onFailure();
      return;
    }
    channel.resume();
    channel.stderr.resume();
  });
}
