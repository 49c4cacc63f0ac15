import type { ActionSpec, WaitActionSpec } from './run-spec';

/** The actions of a job up to a gate, and that gate; the last segment may have none. */
export interface JobSegment {
  actions: ActionSpec[];
  gate?: WaitActionSpec;
}

/**
 * Cuts a job at its `wait` actions. A gate is the workflow's, not a host's: each segment runs on
 * every host of a batch, then the batch waits at the gate once.
 */
export function splitAtGates(actions: readonly ActionSpec[]): JobSegment[] {
  const segments: JobSegment[] = [];
  let current: ActionSpec[] = [];
  for (const action of actions) {
    if (action.kind === 'wait') {
      segments.push({ actions: current, gate: action });
      current = [];
    } else {
      current.push(action);
    }
  }
  if (current.length > 0 || segments.length === 0) segments.push({ actions: current });
  return segments;
}
