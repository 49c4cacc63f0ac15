import { ConfigError, formatProblem } from '../config/config-error';
import { styleFor } from '../ui/style';
import { approveCommand, rejectCommand } from './commands/answer';
import { cancelCommand } from './commands/cancel';
import { codecServerCommand } from './commands/codec-server';
import { devCommand } from './commands/dev';
import { initCommand } from './commands/init';
import { listCommand } from './commands/list';
import { logsCommand } from './commands/logs';
import { plansCommand } from './commands/plans';
import { runCommand } from './commands/run';
import { statusCommand } from './commands/status';
import { watchCommand } from './commands/watch';
import { workerCommand } from './commands/worker';
import { err, out, type Command } from './command';
import { UserError } from './user-error';
import { plural } from '../util/plural';

const COMMANDS: Command[] = [
  runCommand,
  watchCommand,
  approveCommand,
  rejectCommand,
  cancelCommand,
  statusCommand,
  logsCommand,
  listCommand,
  plansCommand,
  initCommand,
  workerCommand,
  devCommand,
  codecServerCommand,
];

function usage(): string[] {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return [
    'hades: run plans of jobs on your servers over SSH, batch by batch, as durable Temporal workflows',
    '',
    'usage: hades <command> [options]   (hades <command> --help for its options)',
    '',
    ...COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
  ];
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    usage().forEach((line) => out(line));
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) {
    err(`error: unknown command "${name}"`);
    err(`  hint: commands are ${COMMANDS.map((candidate) => candidate.name).join(', ')}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    command.usage.forEach((line) => out(line));
    return 0;
  }

  try {
    return await command.run(rest);
  } catch (error) {
    return reportError(error, rest.includes('--debug'));
  }
}

/** Prints an error the way a person can act on it; the stack only with --debug. */
function reportError(error: unknown, debug: boolean): number {
  const style = styleFor(process.stderr);
  if (error instanceof ConfigError) {
    const count = error.problems.length;
    err(style.bad(`error: the config has ${plural(count, 'problem')}`));
    for (const problem of error.problems) err(`  ${formatProblem(problem).split('\n').join('\n  ')}`);
    return 1;
  }
  if (error instanceof UserError) {
    err(style.bad(`error: ${error.message}`));
    if (error.hint) err(`  hint: ${error.hint}`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  err(style.bad(`error: ${message.split('\n')[0]}`));
  if (debug && error instanceof Error && error.stack) err(error.stack);
  else err('  hint: run again with --debug for the details');
  return 1;
}
