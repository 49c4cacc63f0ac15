/** How many hosts of a step run at the same time. */
export type Parallelism =
  | { kind: 'all' }
  | { kind: 'count'; count: number }
  | { kind: 'percent'; percent: number };

export const PARALLELISM_HINT =
  'use a whole number of hosts (1 or more) or a percentage above 0% and at most 100%';

const COUNT = /^[1-9]\d*$/;
const PERCENT = /^([1-9]\d*)%$/;

/**
 * Reads `parallelism` as plans write it: absent, `5`, `"5"` or `"40%"`.
 * Returns an error message for anything else (0, negatives, fractions, 0%, over 100%, text).
 */
export function parseParallelism(value: unknown): Parallelism | { error: string } {
  if (value === undefined || value === null) return { kind: 'all' };

  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string') return { error: `${describe(value)} is not a parallelism; ${PARALLELISM_HINT}` };

  const trimmed = text.trim();
  if (COUNT.test(trimmed) && Number.isSafeInteger(Number(trimmed))) {
    return { kind: 'count', count: Number(trimmed) };
  }
  const percent = PERCENT.exec(trimmed);
  if (percent && Number(percent[1]) <= 100) return { kind: 'percent', percent: Number(percent[1]) };

  return { error: `${describe(value)} is not a parallelism; ${PARALLELISM_HINT}` };
}

/** Hosts per batch for a step of `hostCount` hosts: the floor of a percentage, at least 1. */
export function batchSize(parallelism: Parallelism, hostCount: number): number {
  switch (parallelism.kind) {
    case 'all':
      return Math.max(hostCount, 1);
    case 'count':
      return parallelism.count;
    case 'percent':
      return Math.max(1, Math.floor((hostCount * parallelism.percent) / 100));
  }
}

export function formatParallelism(parallelism: Parallelism): string {
  switch (parallelism.kind) {
    case 'all':
      return 'all at once';
    case 'count':
      return `${parallelism.count} at a time`;
    case 'percent':
      return `${parallelism.percent}% at a time`;
  }
}

function describe(value: unknown): string {
  // Numbers as themselves: JSON would show YAML's `.nan` and `.inf` as "null".
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value) ?? value);
}
