import { spawn } from 'node:child_process';
import { OutputTail } from '../ssh/output-tail';
import type { ExecResult, HostShell, ShellExecOptions } from './host-shell';

/** A HostShell on the worker's machine, in `cwd` (the config directory), for `local: true` jobs. */
export function localShell(cwd: string, where: string): HostShell {
  return {
    where,
    exec: (script, options = {}) => execLocal(script, cwd, options),
    close: () => undefined,
  };
}

function execLocal(script: string, cwd: string, options: ShellExecOptions): Promise<ExecResult> {
  const stdoutTail = new OutputTail();
  const stderrTail = new OutputTail();
  const collected: Buffer[] = [];

  return new Promise((resolve, reject) => {
    // Its own process group, so aborting ends the command and everything it started.
    const child = spawn('/bin/sh', ['-c', script], { cwd, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    const abort = () => {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    };
    options.signal?.addEventListener('abort', abort, { once: true });
    child.on('error', reject);
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.stdin);
    child.stdout.on('data', (chunk: Buffer) => {
      if (options.collectStdout) collected.push(chunk);
      else stdoutTail.push(chunk);
      options.onOutput?.(chunk, 'stdout');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderrTail.push(chunk);
      options.onOutput?.(chunk, 'stderr');
    });
    child.on('close', (code, signal) => {
      options.signal?.removeEventListener('abort', abort);
      resolve({
        exitCode: code,
        ...(signal ? { exitSignal: signal.replace(/^SIG/, '') } : {}),
        stdoutTail: stdoutTail.lines(),
        stderrTail: stderrTail.lines(),
        ...(options.collectStdout ? { stdout: Buffer.concat(collected) } : {}),
      });
    });
  });
}
