import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The full output of one host in one run: `<logDir>/<run-id>/<host>.log`, appended step after
 * step, with a header per action. Only a tail of it ever goes into the run's history.
 */
export class HostLog {
  readonly file: string;

  constructor(logDir: string, runId: string, host: string) {
    const dir = runLogDir(logDir, runId);
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, `${safeName(host)}.log`);
  }

  write(text: Buffer | string): void {
    appendFileSync(this.file, text);
  }

  /** A line of Hades' own, marked so it stands apart from what the host printed. */
  note(text: string): void {
    this.write(`### ${new Date().toISOString()} ${text}\n`);
  }
}

/** The folder that holds a run's host logs under `logDir`. */
export function runLogDir(logDir: string, runId: string): string {
  return join(logDir, safeName(runId));
}

/** A run id or host name as it appears in log paths. */
export function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}
