import { batchSize, type Parallelism } from './parallelism';

/**
 * Splits a step's ordered hosts into batches. Batches run one after another; the hosts of a
 * batch run at the same time. The workflow and the dry-run both call this, so they never differ.
 */
export function planBatches<T>(hosts: readonly T[], parallelism: Parallelism): T[][] {
  const size = batchSize(parallelism, hosts.length);
  const batches: T[][] = [];
  for (let start = 0; start < hosts.length; start += size) batches.push(hosts.slice(start, start + size));
  return batches;
}

/** The first `limit` hosts, in order; `limit` is applied before parallelism. */
export function applyLimit<T>(hosts: readonly T[], limit: number | undefined): T[] {
  return limit === undefined ? [...hosts] : hosts.slice(0, limit);
}
