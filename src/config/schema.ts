import { z } from 'zod';
import { parseParallelism, type Parallelism } from '../rollout/parallelism';
import { parseAction } from './action-schema';
import { durationSchema, name, scalar, strictObject } from './schema-parts';

// `.nullable()` rather than a union with null: a union reports "Invalid input" instead of the
// inner problem (a list as a default, a declaration that is not a map).
const envDeclaration = strictObject({
  default: scalar.nullable().optional(),
  description: z.string().optional(),
  /** Masked as `***` in progress, host logs, dry runs and errors. */
  secret: z.boolean({ error: 'must be true or false' }).optional(),
})
  .nullable()
  .transform((value) => ({
    required: value === null || value.default === undefined,
    // `default: ""` and a bare `default:` are defaults: only a missing default makes it required.
    default: value === null || value.default === undefined ? undefined : (value.default ?? ''),
    description: value?.description,
    ...(value?.secret ? { secret: true as const } : {}),
  }));

const retriesSchema = z
  .number({ error: 'must be a whole number of retries, 0 or more' })
  .int('must be a whole number of retries, 0 or more')
  .min(0, 'must be a whole number of retries, 0 or more')
  .max(100, 'must be at most 100 retries');

/**
 * The shape of one config file. Objects are strict: a misspelt key is an error, never ignored.
 * Cross-references (a step's job, a target's hosts) are checked after the files are merged.
 */
export const jobSchema = strictObject({
  /** Run the actions on the worker's machine, in the config directory, instead of over SSH. */
  local: z.boolean({ error: 'must be true or false' }).optional(),
  /** A command run on each host first: exit 0 runs the job there, anything else skips it. */
  guard: strictObject({ if: z.string({ error: 'must be a command string' }).min(1, 'must not be empty') }).optional(),
  /** Local files, by name, for copy and push; relative to the config directory. */
  artifacts: z.record(z.string(), strictObject({ path: name })).optional(),
  env: z.record(z.string(), envDeclaration).optional(),
  /**
   * false: an action interrupted by a lost worker fails instead of running again, for jobs whose
   * actions must never run twice. true by default (at least once).
   */
  rerun_interrupted: z.boolean({ error: 'must be true or false' }).optional(),
  /** How many more times a `run` action that failed is run again; 0 by default. */
  retries: retriesSchema.optional(),
  actions: z.array(z.unknown().transform(parseAction), { error: 'must be a list of actions' }).min(1, 'a job needs at least one action'),
});

const parallelismSchema = z.unknown().transform((value, ctx): Parallelism => {
  const parsed = parseParallelism(value);
  if ('error' in parsed) {
    ctx.addIssue({ code: 'custom', message: parsed.error });
    return z.NEVER;
  }
  return parsed;
});

const targetList = z
  .union([name.transform((one) => [one]), z.array(name).min(1, 'must name at least one target')], {
    error: 'must be a target name or a list of target names',
  });

export const stepSchema = strictObject({
  name,
  job: name,
  targets: targetList,
  env: z.record(z.string(), scalar).optional(),
  parallelism: parallelismSchema.optional(),
  limit: z
    .number({ error: 'must be a whole number of hosts, 1 or more' })
    .int('must be a whole number of hosts, 1 or more')
    .min(1, 'must be a whole number of hosts, 1 or more')
    .optional(),
  /** Overrides the job's `retries` for this step. */
  retries: retriesSchema.optional(),
});

export const planSchema = strictObject({
  env: z.record(z.string(), scalar).optional(),
  steps: z.array(stepSchema).min(1, 'a plan needs at least one step'),
});

export const hostSchema = strictObject({
  addr: name,
  user: name.optional(),
  port: z
    .number({ error: 'must be a port number from 1 to 65535' })
    .int('must be a port number from 1 to 65535')
    .min(1, 'must be a port number from 1 to 65535')
    .max(65535, 'must be a port number from 1 to 65535')
    .optional(),
  identity_file: name.optional(),
});

export const sshSchema = strictObject({
  known_hosts: name.optional(),
  connect_timeout: durationSchema.optional(),
  /** `strict` (default): only keys known_hosts holds; `accept-new`: record a host's first key. */
  host_key_policy: z.enum(['strict', 'accept-new'], { error: 'must be strict or accept-new' }).optional(),
});

export const registrySchema = strictObject({
  type: z.literal('filesystem', { error: 'the only registry type is filesystem' }),
  path: name,
});

export const fileSchema = strictObject({
  jobs: z.record(z.string(), jobSchema).optional(),
  plans: z.record(z.string(), planSchema).optional(),
  hosts: z.record(z.string(), hostSchema).optional(),
  targets: z.record(z.string(), z.array(name, { error: 'must be a list of host names' })).optional(),
  ssh: sshSchema.optional(),
  registries: z.record(z.string(), registrySchema).optional(),
});

export type ConfigFile = z.output<typeof fileSchema>;
export type JobConfig = z.output<typeof jobSchema>;
export type PlanConfig = z.output<typeof planSchema>;
export type StepConfig = z.output<typeof stepSchema>;
export type HostConfig = z.output<typeof hostSchema>;
export type RegistryConfig = z.output<typeof registrySchema>;
export type EnvDeclaration = z.output<typeof envDeclaration>;
