import { z } from 'zod';
import { durationSchema, strictObject } from './schema-parts';

/** An action as loaded: its kind and fields, before env expansion. */
export type ActionConfig =
  | { kind: 'run'; name?: string; command: string }
  | { kind: 'wait'; name?: string; message?: string; timeoutMs?: number };

/** The action kinds a job may use, each with the schema of its body. */
const ACTION_BODIES = {
  run: z.string({ error: 'must be a command string' }).min(1, 'must not be empty'),
  // Nullable, not a union with null, so a bad timeout is reported as itself, not "Invalid input".
  wait: strictObject({ message: z.string().optional(), timeout: durationSchema.optional() })
    .nullable()
    .transform((body) => ({ message: body?.message, timeoutMs: body?.timeout })),
} as const;

type ActionKindName = keyof typeof ACTION_BODIES;
const KINDS = Object.keys(ACTION_BODIES) as ActionKindName[];

/**
 * One action: an object with exactly one kind key (`run`, `wait`) and an optional `name`.
 * Written by hand rather than as a zod union so the errors name the action kind.
 */
export function parseAction(value: unknown, ctx: z.RefinementCtx): ActionConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    ctx.addIssue({ code: 'custom', message: `an action must be a map with one of: ${KINDS.join(', ')}` });
    return z.NEVER;
  }

  const entries = Object.entries(value as Record<string, unknown>);
  const kinds = entries.filter(([key]) => key !== 'name');
  const unknown = kinds.filter(([key]) => !(KINDS as string[]).includes(key));
  for (const [key] of unknown) {
    ctx.addIssue({ code: 'unrecognized_keys', keys: [key], input: value as Record<string, unknown>, message: `valid action kinds are ${KINDS.join(', ')}` });
  }
  if (unknown.length > 0) return z.NEVER;
  if (kinds.length !== 1) {
    const found = kinds.length === 0 ? 'none' : kinds.map(([key]) => key).join(' and ');
    ctx.addIssue({ code: 'custom', message: `an action has exactly one kind (${KINDS.join(', ')}); found ${found}` });
    return z.NEVER;
  }

  const name = (value as { name?: unknown }).name;
  if (name !== undefined && typeof name !== 'string') {
    ctx.addIssue({ code: 'custom', path: ['name'], message: 'must be a string' });
    return z.NEVER;
  }
  return parseBody(kinds[0][0] as ActionKindName, kinds[0][1], name, ctx);
}

function parseBody(kind: ActionKindName, body: unknown, name: string | undefined, ctx: z.RefinementCtx): ActionConfig {
  const parsed = ACTION_BODIES[kind].safeParse(body, { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: [kind, ...issue.path] } as never);
    return z.NEVER;
  }
  if (kind === 'run') return { kind, name, command: parsed.data as string };
  return { kind, name, ...(parsed.data as { message?: string; timeoutMs?: number }) };
}
