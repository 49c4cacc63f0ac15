import type { Client } from 'ssh2';
import { OutputTail } from './output-tail';
import { SshError } from './ssh-error';
import { leaderReportingScript, LeaderReader, STOP_GRACE_SECONDS, stopGroup } from './stoppable-command';

// How long a stopped command's channel may take to close before it is closed from this side: the
// grace between TERM and KILL, and some slack for a slow host.
const STOP_WAIT_MS = (STOP_GRACE_SECONDS + 5) * 1000;

export interface ExecOptions {
  /** Receives every byte the command prints, stdout and stderr alike. */
  onOutput?: (chunk: Buffer, stream: 'stdout' | 'stderr') => void;
  /**
   * Aborting stops the command on the host: its whole process group gets SIGTERM, then SIGKILL;
   * the result comes once the host reports the command gone, with `stopped` set.
   */
  signal?: AbortSignal;
  /** Names the host in errors. */
  where: string;
  /** Written to the command's standard input, which is then closed (closed at once when absent). */
  stdin?: Buffer;
  /** Keep the whole of stdout (for reading a file), not only its tail. */
  collectStdout?: boolean;
}

export interface ExecResult {
  exitCode: number | null;
  /** Set when the command was ended by a signal rather than exiting. */
  exitSignal?: string;
  stdoutTail: string[];
  stderrTail: string[];
  /** All of stdout, with `collectStdout`. */
  stdout?: Buffer;
  /** True when the command was stopped through `signal`. */
  stopped?: boolean;
}

/** Runs `script` through the user's shell on the host, stoppable, and waits for it to end. */
export function execCommand(client: Client, script: string, options: ExecOptions): Promise<ExecResult> {
  const stdout = new OutputTail();
  const stderr = new OutputTail();
  const collected: Buffer[] = [];

  return new Promise((resolve, reject) => {
    client.exec(leaderReportingScript(script), (error, channel) => {
      if (error) {
        reject(new SshError('CONNECTION_LOST', `${options.where}: could not start the command (${error.message})`, 'check that the host is up and sshd is healthy'));
        return;
      }

      let exitCode: number | null = null;
      let exitSignal: string | undefined;
      let stopped = false;
      let giveUp: NodeJS.Timeout | undefined;
      const leader = new LeaderReader();
      const stop = (): void => {
        stopped = true;
        giveUp = setTimeout(() => channel.close(), STOP_WAIT_MS);
        leader.whenKnown((pid) => {
          if (pid === undefined) channel.close();
          else stopGroup(client, pid, () => channel.close());
        });
      };
      if (options.signal?.aborted) stop();
      else options.signal?.addEventListener('abort', stop, { once: true });

      channel.on('data', (chunk: Buffer) => {
        if (options.collectStdout) collected.push(chunk);
        else stdout.push(chunk);
        options.onOutput?.(chunk, 'stdout');
      });
      channel.stderr.on('data', (chunk: Buffer) => {
        const own = leader.take(chunk);
        if (own.length === 0) return;
        stderr.push(own);
        options.onOutput?.(own, 'stderr');
      });
      channel.end(options.stdin);
      channel.on('exit', (code: number | null, signal?: string) => {
        exitCode = code;
        exitSignal = signal ?? undefined;
      });
      channel.on('close', () => {
        clearTimeout(giveUp);
        leader.close();
        options.signal?.removeEventListener('abort', stop);
        const all = options.collectStdout ? { stdout: Buffer.concat(collected) } : {};
        resolve({ exitCode, ...(exitSignal ? { exitSignal } : {}), stdoutTail: stdout.lines(), stderrTail: stderr.lines(), ...all, ...(stopped ? { stopped } : {}) });
      });
    });
  });
}
