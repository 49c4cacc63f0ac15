import { expandVariables } from '../env/expand-env';
import type { ActionSpec } from '../spec/run-spec';

/** An action with every `${VAR}` replaced by its value on one host: what that host will do. */
export type RenderedAction = ActionSpec;

/**
 * Expands an action for one host: every text field but the name, which is a label shown as
 * written. The activity and the dry run both call this, so they agree.
 */
export function renderAction<A extends ActionSpec>(action: A, env: Readonly<Record<string, string>>): A {
  const rendered: Record<string, unknown> = { ...action };
  for (const [field, value] of Object.entries(action)) {
    if (field !== 'kind' && field !== 'label' && typeof value === 'string') rendered[field] = expandVariables(value, env);
  }
  return rendered as A;
}

/** What an action does, in a few words: `make deploy`, `app.conf → /etc/app.conf`. */
export function summarizeAction(action: ActionSpec): string {
  switch (action.kind) {
    case 'run':
      return firstLine(action.command);
    case 'copy':
      return `${action.src ?? `artifact ${action.artifact}`} → ${action.dst}`;
    case 'template':
      return `${action.src} → ${action.dst}`;
    case 'mkdir':
      return action.path;
    case 'fetch':
      return `${action.src} → ${action.dst}`;
    case 'push':
      return `artifact ${action.artifact} → ${action.registry} ${action.name}:${action.tag}`;
    case 'pull':
      return `${action.registry} ${action.name}:${action.tag} → ${action.to}`;
    case 'gpg':
      return `${action.src} → ${action.path}`;
    case 'wait':
      return action.message ?? 'approval';
  }
}

/** A short label for an action in progress lines: `[2] run "migrate"` or `[2] run: make deploy`. */
export function describeAction(action: { kind: string; index: number; label?: string; command?: string; summary?: string }): string {
  if (action.label) return `[${action.index}] ${action.kind} "${action.label}"`;
  const summary = action.summary ?? (action.command ? firstLine(action.command) : undefined);
  return summary ? `[${action.index}] ${action.kind}: ${summary}` : `[${action.index}] ${action.kind}`;
}

function firstLine(text: string, max = 60): string {
  const line = text.trim().split('\n')[0];
  const more = line.length > max || text.trim().includes('\n');
  return more ? `${line.slice(0, max)}…` : line;
}
