import { resolve } from 'node:path';
import { parseCommandArgs, TEMPORAL_OPTIONS, TEMPORAL_USAGE } from '../cli-args';
import { err, type Command } from '../command';
import { readTemporalSettings } from '../temporal-settings';
import { UserError } from '../user-error';

export const workerCommand: Command = {
  name: 'worker',
  summary: 'serve runs: execute plan workflows and host jobs from the task queue until stopped',
  usage: [
    'usage: hades worker [--log-dir DIR] [--max-hosts N]',
    '',
    'Runs until Ctrl-C or SIGTERM, then finishes what it holds. Start as many as you like, on',
    'as many machines: they share the task queue.',
    '',
    '  --log-dir DIR          where host logs go, one folder per run (default logs)',
    '  --max-hosts N          hosts this worker runs at once (default 100)',
    ...TEMPORAL_USAGE,
  ],
  async run(argv) {
    const { values } = parseCommandArgs('worker', argv, { ...TEMPORAL_OPTIONS, 'log-dir': { type: 'string', default: 'logs' }, 'max-hosts': { type: 'string' } });
    const maxHosts = values['max-hosts'] === undefined ? undefined : Number(values['max-hosts']);
    if (maxHosts !== undefined && !(Number.isInteger(maxHosts) && maxHosts > 0)) throw new UserError(`--max-hosts ${values['max-hosts']}: expected a whole number above 0`, undefined, 2);

    const settings = readTemporalSettings(values);
    const { installRuntime } = await import('../../worker/install-runtime');
    const { createWorker } = await import('../../worker/create-worker');
    installRuntime({ level: values.debug ? 'DEBUG' : 'INFO' });
    const logDir = resolve(values['log-dir']);
    const { worker, connection } = await createWorker({ settings, logDir, maxConcurrentActivities: maxHosts }).catch((error: Error) => {
      throw new UserError(`the worker could not start against ${settings.address}: ${error.message.split('\n')[0]}`, 'start a server with `hades dev`, or set TEMPORAL_ADDRESS');
    });
    err(`worker serving task queue ${settings.taskQueue} on ${settings.address} (namespace ${settings.namespace}); host logs in ${logDir}`);
    try {
      await worker.run();
    } finally {
      await connection.close();
    }
    return 0;
  },
};
