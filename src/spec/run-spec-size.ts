import type { RunSpec } from './run-spec';

/**
 * The RunSpec is the workflow's input, one payload: Temporal refuses a payload over 2 MB and warns
 * past 512 KiB. Each host's activity carries its job's actions and env again, so history grows by
 * job size × hosts; Temporal ends a run whose history passes 50 MB.
 */
export const MAX_SPEC_BYTES = 512 * 1024;
export const MAX_HISTORY_ESTIMATE_BYTES = 20 * 1024 * 1024;

/** Why the spec is too big to run as one workflow, or undefined when it fits. */
export function checkRunSpecSize(spec: RunSpec): string | undefined {
  const bytes = byteLength(spec);
  if (bytes > MAX_SPEC_BYTES) {
    return `the resolved plan is ${formatBytes(bytes)}, more than the ${formatBytes(MAX_SPEC_BYTES)} a run's input may be`;
  }
  let history = 0;
  for (const step of spec.steps) history += byteLength({ actions: step.actions, env: step.env }) * Math.max(1, step.hosts.length);
  if (history > MAX_HISTORY_ESTIMATE_BYTES) {
    return `the steps' jobs, sent once per host, would put about ${formatBytes(history)} into the run's history, more than ${formatBytes(MAX_HISTORY_ESTIMATE_BYTES)}`;
  }
  return undefined;
}

function byteLength(value: unknown): number {
  return new TextEncoder().encode(JSON.stringify(value)).length;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${Math.round(bytes / 1024)} KB`;
}
