import { shellQuote } from '../util/shell-quote';

/** What a secret value is replaced with wherever Hades writes text. */
export const MASK = '***';

/**
 * Hides the values of secret variables in text. Every place that produces text from a run (the
 * activity's logs and results, the dry run, the CLI) masks through one of these, so a rule
 * about what counts as a secret's trace lives here only. Pure: the workflow may use it too.
 */
export class SecretMasker {
  private readonly pattern: RegExp | undefined;
  /** The longest text that is a secret's trace: a stream must hold back one less than this. */
  readonly longest: number;

  constructor(values: Iterable<string>) {
    const traces = new Set<string>();
    for (const value of values) {
      if (value === '') continue;
      traces.add(value);
      // A script exports the value shell-quoted, and a quote inside it is split into pieces.
      traces.add(shellQuote(value));
    }
    const sorted = [...traces].sort((a, b) => b.length - a.length);
    this.longest = sorted[0]?.length ?? 0;
    this.pattern = sorted.length === 0 ? undefined : new RegExp(sorted.map(escapeRegExp).join('|'), 'g');
  }

  /** True when there is nothing to hide. */
  get empty(): boolean {
    return this.pattern === undefined;
  }

  mask(text: string): string {
    return this.pattern ? text.replace(this.pattern, MASK) : text;
  }

  /** Masks lines as one text, so a value that spans lines is hidden too. */
  maskLines(lines: readonly string[]): string[] {
    if (!this.pattern || lines.length === 0) return [...lines];
    return this.mask(lines.join('\n')).split('\n');
  }

  /**
   * Where a stream of `text` may be cut so that no secret's trace spans the cut: everything
   * before it can be masked and written, the rest waits for more text.
   */
  safeCut(text: string): number {
    if (!this.pattern) return text.length;
    let cut = Math.max(0, text.length - (this.longest - 1));
    for (const match of text.matchAll(this.pattern)) {
      const start = match.index ?? 0;
      if (start >= cut) break;
      cut = Math.max(cut, start + match[0].length);
    }
    return cut;
  }
}

/** The values of the variables named `secret` in `env`. */
export function secretValues(env: Readonly<Record<string, string>>, secrets: readonly string[] | undefined): string[] {
  return (secrets ?? []).filter((name) => Object.hasOwn(env, name)).map((name) => env[name]);
}

/** A masker for a job's variables, of which `secrets` name the secret ones. */
export function maskerFor(env: Readonly<Record<string, string>>, secrets: readonly string[] | undefined): SecretMasker {
  return new SecretMasker(secretValues(env, secrets));
}

/** A masker for a whole run: the secret values of every step. */
export function runMasker(steps: readonly { env: Readonly<Record<string, string>>; secrets?: readonly string[] }[]): SecretMasker {
  return new SecretMasker(steps.flatMap((step) => secretValues(step.env, step.secrets)));
}

/** Every string in a plain-data value masked: for results and failures before they leave a worker. */
export function maskDeep<T>(value: T, masker: SecretMasker): T {
  if (masker.empty) return value;
  if (typeof value === 'string') return masker.mask(value) as T;
  if (Array.isArray(value)) {
    return (value.every((item) => typeof item === 'string') ? masker.maskLines(value) : value.map((item) => maskDeep(item, masker))) as T;
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskDeep(item, masker)])) as T;
  }
  return value;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
