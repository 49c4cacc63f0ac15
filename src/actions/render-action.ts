import { expandVariables } from '../env/expand-env';
import type { ActionSpec } from '../spec/run-spec';

/** An action with every `${VAR}` replaced by its value on one host: what that host will do. */
export type RenderedAction =
  | { kind: 'run'; index: number; name?: string; command: string }
  | { kind: 'wait'; index: number; name?: string; message?: string; timeoutMs?: number };

/** Expands an action for one host. The activity and dry-run both call this, so they agree. */
export function renderAction(action: ActionSpec, env: Readonly<Record<string, string>>): RenderedAction {
  // Names are labels, shown as written: only what a host executes is expanded.
  const name = action.name === undefined ? {} : { name: action.name };
  switch (action.kind) {
    case 'run':
      return { kind: 'run', index: action.index, ...name, command: expandVariables(action.command, env) };
    case 'wait':
      return {
        kind: 'wait',
        index: action.index,
        ...name,
        ...(action.message !== undefined ? { message: expandVariables(action.message, env) } : {}),
        ...(action.timeoutMs !== undefined ? { timeoutMs: action.timeoutMs } : {}),
      };
  }
}

/** A short label for an action in progress lines: `[2] run "migrate"` or `[2] run: make deploy`. */
export function describeAction(action: { kind: string; index: number; name?: string; command?: string }): string {
  if (action.name) return `[${action.index}] ${action.kind} "${action.name}"`;
  if (action.command) return `[${action.index}] ${action.kind}: ${firstLine(action.command)}`;
  return `[${action.index}] ${action.kind}`;
}

function firstLine(text: string, max = 60): string {
  const line = text.trim().split('\n')[0];
  const more = line.length > max || text.trim().includes('\n');
  return more ? `${line.slice(0, max)}…` : line;
}
