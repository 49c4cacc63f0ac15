import type { Client } from 'ssh2';
import { OutputTail } from './output-tail';
import { SshError } from './ssh-error';

export interface ExecOptions {
  /** Receives every byte the command prints, stdout and stderr alike. */
  onOutput?: (chunk: Buffer, stream: 'stdout' | 'stderr') => void;
  /** Aborting closes the channel; the command's exit is then reported as a signal. */
  signal?: AbortSignal;
  /** Names the host in errors. */
  where: string;
}

export interface ExecResult {
  exitCode: number | null;
  /** Set when the command was ended by a signal rather than exiting. */
  exitSignal?: string;
  stdoutTail: string[];
  stderrTail: string[];
}

/** Runs `script` through the user's shell on the host and waits for it to end. */
export function execCommand(client: Client, script: string, options: ExecOptions): Promise<ExecResult> {
  const stdout = new OutputTail();
  const stderr = new OutputTail();

  return new Promise((resolve, reject) => {
    client.exec(script, (error, channel) => {
      if (error) {
        reject(new SshError('CONNECTION_LOST', `${options.where}: could not start the command (${error.message})`, 'check that the host is up and sshd is healthy'));
        return;
      }

      let exitCode: number | null = null;
      let exitSignal: string | undefined;
      const abort = (): void => {
        channel.signal('KILL');
        channel.close();
      };
      options.signal?.addEventListener('abort', abort, { once: true });

      channel.on('data', (chunk: Buffer) => {
        stdout.push(chunk);
        options.onOutput?.(chunk, 'stdout');
      });
      channel.stderr.on('data', (chunk: Buffer) => {
        stderr.push(chunk);
        options.onOutput?.(chunk, 'stderr');
      });
      channel.on('exit', (code: number | null, signal?: string) => {
        exitCode = code;
        exitSignal = signal ?? undefined;
      });
      channel.on('close', () => {
        options.signal?.removeEventListener('abort', abort);
        resolve({ exitCode, ...(exitSignal ? { exitSignal } : {}), stdoutTail: stdout.lines(), stderrTail: stderr.lines() });
      });
    });
  });
}
