import type { ExecResult } from '../ssh/exec-command';

export type { ExecResult } from '../ssh/exec-command';

export interface ShellExecOptions {
  stdin?: Buffer;
  collectStdout?: boolean;
  onOutput?: (chunk: Buffer, stream: 'stdout' | 'stderr') => void;
  signal?: AbortSignal;
}

/**
 * Where a job's actions run: a host over SSH, or the worker's own machine for a `local` job.
 * Every action is a shell script with its paths quoted, so both behave the same.
 */
export interface HostShell {
  /** `name (addr)`, for messages. */
  where: string;
  exec(script: string, options?: ShellExecOptions): Promise<ExecResult>;
  close(): void;
}
