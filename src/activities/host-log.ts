import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SecretMasker } from '../env/mask-secrets';

/**
 * The full output of one host in one run: `<logDir>/<run-id>/<host>.log`, appended step after
 * step, with a header per action. Only a tail of it ever goes into the run's history.
 */
export class HostLog {
  readonly file: string;
  /** What this log hides: the secret values of the job it records. */
  masker = new SecretMasker([]);
  /** Output held back because a secret's value may continue in the next chunk. */
  private pending = '';

  constructor(logDir: string, runId: string, host: string) {
    const dir = runLogDir(logDir, runId);
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, `${safeName(host)}.log`);
  }

  /** Hides these secrets in everything written from now on. */
  maskWith(masker: SecretMasker): this {
    this.masker = masker;
    return this;
  }

  /** Output as the host printed it, secrets masked even when split across chunks. */
  write(text: Buffer | string): void {
    if (this.masker.empty) {
      appendFileSync(this.file, text);
      return;
    }
    this.pending += typeof text === 'string' ? text : text.toString('utf8');
    const cut = this.masker.safeCut(this.pending);
    if (cut === 0) return;
    appendFileSync(this.file, this.masker.mask(this.pending.slice(0, cut)));
    this.pending = this.pending.slice(cut);
  }

  /** Writes what output is still held back; a note or the end of a job comes next. */
  flush(): void {
    if (this.pending === '') return;
    appendFileSync(this.file, this.masker.mask(this.pending));
    this.pending = '';
  }

  /** A line of Hades' own, marked so it stands apart from what the host printed. */
  note(text: string): void {
    this.flush();
    appendFileSync(this.file, this.masker.mask(`### ${new Date().toISOString()} ${text}\n`));
  }
}

/** The folder that holds a run's host logs under `logDir`. */
export function runLogDir(logDir: string, runId: string): string {
  return join(logDir, safeName(runId));
}

/** Past this, a name is cut and a hash of the whole keeps it apart: a file name has 255 bytes. */
const MAX_NAME_CHARS = 120;

/** A run id or host name as it appears in log paths. */
export function safeName(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]/g, '_');
  if (safe.length <= MAX_NAME_CHARS) return safe;
  return `${safe.slice(0, MAX_NAME_CHARS - 17)}-${createHash('sha256').update(name).digest('hex').slice(0, 16)}`;
}
