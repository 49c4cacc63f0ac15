import { randomBytes } from 'node:crypto';

/** `deploy-20261204T150102Z-k3f9`: readable, sortable by time, unique enough to never collide. */
export function makeRunId(plan: string, now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const suffix = randomBytes(3).toString('hex').slice(0, 4);
  const name = plan.replace(/[^A-Za-z0-9_.-]/g, '-');
  return `${name}-${stamp}-${suffix}`;
}
