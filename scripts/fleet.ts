import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { startFleet, stopFleet } from '../src/devkit/ssh-fleet';

const USAGE = [
  'usage: fleet start --count N --state-dir DIR [--inventory FILE] [--first-address ADDR]',
  '       fleet stop --state-dir DIR',
].join('\n');

/** A mistake in the command line, answered with a pointer to --help rather than a hint of its own. */
class UsageError extends Error {}

function readArgs(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        count: { type: 'string' },
        'state-dir': { type: 'string' },
        inventory: { type: 'string' },
        'first-address': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    // Node's own wording runs on with advice about "--"; its first sentence is the point.
    throw new UsageError((err as Error).message.split(/\.\s/)[0].toLowerCase());
  }
}

/** Starts detached sshd hosts on loopback for the demo, or stops them again. */
async function main(argv: string[]): Promise<void> {
  const { positionals, values } = readArgs(argv);
  if (values.help) {
    console.log(USAGE);
    return;
  }

  const [command, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected argument ${extra[0]}`);
  const stateDir = values['state-dir'];
  if (!stateDir) throw new UsageError('--state-dir is required');

  if (command === 'stop') {
    const stopped = await stopFleet(stateDir);
    console.log(`stopped ${stopped} sshd host${stopped === 1 ? '' : 's'} of ${path.resolve(stateDir)}`);
    return;
  }
  if (command !== 'start') throw new UsageError(command ? `unknown command ${command}` : 'no command given');

  const count = Number(values.count);
  if (values.count === undefined || !/^\d+$/.test(values.count) || count < 1) {
    throw new UsageError(`--count must be a whole number of at least 1, got ${values.count ?? 'nothing'}`);
  }
  const fleet = await startFleet({ count, stateDir, firstAddress: values['first-address'], detached: true });

  for (const host of fleet.hosts) console.log(`${host.name}  ${host.user}@${host.addr}:${host.port}`);
  if (values.inventory) {
    fs.mkdirSync(path.dirname(path.resolve(values.inventory)), { recursive: true });
    fs.writeFileSync(values.inventory, fleet.inventoryYaml());
    console.log(`inventory written to ${values.inventory}`);
  }
}

main(process.argv.slice(2)).catch((err: Error) => {
  if (err instanceof UsageError) {
    console.error(`error: ${err.message}\n  hint: node dist/scripts/fleet.js --help`);
    process.exitCode = 2;
    return;
  }
  console.error(`error: ${err.message}`);
  process.exitCode = 1;
});
