import { z } from 'zod';
import { parseMode } from './mode';
import { durationSchema, strictObject } from './schema-parts';

/**
 * A command reaches the host as one argument of `sh -c`, and Linux takes at most 128 KiB in one
 * argument: a longer script belongs in a file that a copy action puts on the host.
 */
export const MAX_COMMAND_CHARS = 100_000;

const text = z.string({ error: 'must be a string' }).min(1, 'must not be empty');

const modeSchema = z.unknown().transform((value, ctx): number => {
  const parsed = parseMode(value);
  if ('error' in parsed) {
    ctx.addIssue({ code: 'custom', message: parsed.error });
    return z.NEVER;
  }
  return parsed.mode;
});

/**
 * The action kinds a job may use, each with the schema of its body: the one list of kinds. Paths
 * and names may hold `${VAR}`; they are expanded per host when the action runs.
 */
const ACTION_BODIES = {
  run: z
    .string({ error: 'must be a command string' })
    .min(1, 'must not be empty')
    .max(MAX_COMMAND_CHARS, `is longer than ${MAX_COMMAND_CHARS} characters, more than a host's shell takes as one argument`)
    .transform((command) => ({ command })),
  copy: strictObject({ src: text.optional(), artifact: text.optional(), dst: text, mode: modeSchema.optional() }).superRefine((body, ctx) => {
    if ((body.src === undefined) === (body.artifact === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'copy takes exactly one of src (a file in the config directory) or artifact (a name from the job\'s artifacts)' });
    }
  }),
  template: strictObject({ src: text, dst: text, mode: modeSchema.optional() }),
  mkdir: strictObject({ path: text, mode: modeSchema.optional() }),
  fetch: strictObject({ src: text, dst: text }),
  push: strictObject({ registry: text, artifact: text, name: text, tag: text }),
  pull: strictObject({ registry: text, name: text, tag: text, to: text, mode: modeSchema.optional() }),
  gpg: strictObject({ src: text.refine((url) => /^https?:\/\//i.test(url) || url.includes('${'), 'must be an http:// or https:// address of the key'), path: text, mode: modeSchema.optional(), dearmor: z.boolean({ error: 'must be true or false' }).optional() }),
  // Nullable, not a union with null, so a bad timeout is reported as itself, not "Invalid input".
  wait: strictObject({ message: z.string().optional(), timeout: durationSchema.optional() })
    .nullable()
    .transform((body): { message?: string; timeoutMs?: number } => ({
      ...(body?.message !== undefined ? { message: body.message } : {}),
      ...(body?.timeout !== undefined ? { timeoutMs: body.timeout } : {}),
    })),
} as const;

type Bodies = typeof ACTION_BODIES;
export type ActionKindName = keyof Bodies;

/**
 * An action as loaded: its kind, its fields, and as `label` the action's own `name` (a separate
 * field, since push and pull have a `name` of their own), before env expansion.
 */
export type ActionConfig = {
  [K in ActionKindName]: { kind: K; label?: string } & z.output<Bodies[K]> & (K extends 'run' ? { timeoutMs?: number } : unknown);
}[ActionKindName];

/** Keys an action may have beside its kind. */
const ACTION_KEYS = ['name', 'timeout'];

export type ActionOf<K extends ActionKindName> = Extract<ActionConfig, { kind: K }>;

export const ACTION_KINDS = Object.keys(ACTION_BODIES) as ActionKindName[];

/**
 * One action: an object with exactly one kind key and an optional `name`. Written by hand rather
 * than as a zod union so the errors name the action kind.
 */
export function parseAction(value: unknown, ctx: z.RefinementCtx): ActionConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    ctx.addIssue({ code: 'custom', message: `an action must be a map with one of: ${ACTION_KINDS.join(', ')}` });
    return z.NEVER;
  }

  const entries = Object.entries(value as Record<string, unknown>);
  const kinds = entries.filter(([key]) => !ACTION_KEYS.includes(key));
  const unknown = kinds.filter(([key]) => !(ACTION_KINDS as string[]).includes(key));
  for (const [key] of unknown) {
    ctx.addIssue({ code: 'unrecognized_keys', keys: [key], input: value as Record<string, unknown>, message: `valid action kinds are ${ACTION_KINDS.join(', ')}` });
  }
  if (unknown.length > 0) return z.NEVER;
  if (kinds.length !== 1) {
    const found = kinds.length === 0 ? 'none' : kinds.map(([key]) => key).join(' and ');
    ctx.addIssue({ code: 'custom', message: `an action has exactly one kind (${ACTION_KINDS.join(', ')}); found ${found}` });
    return z.NEVER;
  }

  const name = (value as { name?: unknown }).name;
  if (name !== undefined && typeof name !== 'string') {
    ctx.addIssue({ code: 'custom', path: ['name'], message: 'must be a string' });
    return z.NEVER;
  }
  const kind = kinds[0][0] as ActionKindName;
  const timeoutMs = parseTimeout(kind, (value as { timeout?: unknown }).timeout, ctx);
  if (timeoutMs === null) return z.NEVER;
  const action = parseBody(kind, kinds[0][1], name, ctx);
  return timeoutMs === undefined ? action : ({ ...action, timeoutMs } as ActionConfig);
}

/** An action's own `timeout`, for `run` only: undefined when absent, null when wrong (reported). */
function parseTimeout(kind: ActionKindName, value: unknown, ctx: z.RefinementCtx): number | undefined | null {
  if (value === undefined) return undefined;
  if (kind !== 'run') {
    const where = kind === 'wait' ? '; a gate takes its timeout inside wait: { timeout: 5m }' : '';
    ctx.addIssue({ code: 'custom', path: ['timeout'], message: `only run actions take a timeout${where}` });
    return null;
  }
  const parsed = durationSchema.safeParse(value);
  if (!parsed.success) {
    const message = typeof value === 'string' ? parsed.error.issues[0].message : 'must be a duration like "30s", "5m" or "1h30m"';
    ctx.addIssue({ code: 'custom', path: ['timeout'], message });
    return null;
  }
  return parsed.data;
}

function parseBody(kind: ActionKindName, body: unknown, name: string | undefined, ctx: z.RefinementCtx): ActionConfig {
  const parsed = ACTION_BODIES[kind].safeParse(body, { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: [kind, ...issue.path] } as never);
    return z.NEVER;
  }
  return { kind, ...(name === undefined ? {} : { label: name }), ...(parsed.data as object) } as ActionConfig;
}
