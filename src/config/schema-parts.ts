import { z } from 'zod';
import { parseDuration } from '../util/duration';

/** A strict object: a key it does not know is an error that lists the keys it does. */
export function strictObject<T extends z.ZodRawShape>(shape: T) {
  const keys = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? `valid keys here are ${keys}` : undefined),
  });
}

/** Plans write numbers and booleans in env values; the shell only knows strings. */
export const scalar = z
  .union([z.string(), z.number(), z.boolean()], {
    error: 'must be a string, a number or true/false',
  })
  .transform((value) => String(value));

export const name = z.string().min(1, 'must not be empty');

export const durationSchema = z.string().transform((text, ctx): number => {
  const ms = parseDuration(text);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `${JSON.stringify(text)} is not a duration; write it like "30s", "5m" or "1h30m"` });
    return z.NEVER;
  }
  return ms;
});

