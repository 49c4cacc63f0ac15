import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from './user-error';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Options every command that talks to Temporal accepts. */
export const TEMPORAL_OPTIONS = {
  address: { type: 'string' },
  namespace: { type: 'string' },
  'task-queue': { type: 'string' },
} as const satisfies Options;

export const TEMPORAL_USAGE = [
  '  --address HOST:PORT    Temporal frontend (env TEMPORAL_ADDRESS; default 127.0.0.1:7233)',
  '  --namespace NAME       Temporal namespace (env TEMPORAL_NAMESPACE; default default)',
  '  --task-queue NAME      task queue of Hades workers (env HADES_TASK_QUEUE; default hades)',
];

/** Parses a command's arguments; a mistake is a UserError that points at the command's help. */
export function parseCommandArgs<T extends Options>(command: string, argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' }, debug: { type: 'boolean' } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UserError((error as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, '').split('\n')[0], `see: hades ${command} --help`, 2);
  }
}

/** `-e KEY=VALUE` pairs into a map, rejecting anything without a `=`. */
export function parseEnvPairs(pairs: string[] | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const equals = pair.indexOf('=');
    if (equals <= 0) throw new UserError(`-e ${pair}: expected KEY=VALUE`, 'write it like -e VERSION=1.2.3', 2);
    env[pair.slice(0, equals)] = pair.slice(equals + 1);
  }
  return env;
}
