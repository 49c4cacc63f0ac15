import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { canConnect } from '../../devkit/wait-for-port';
import { searchAttributeTypes } from '../../workflows/run-attributes';
import { parseCommandArgs } from '../cli-args';
import { err, out, type Command } from '../command';
import { UserError } from '../user-error';

const OPTIONS = {
  port: { type: 'string', default: '7233' },
  'ui-port': { type: 'string' },
  'state-dir': { type: 'string', default: '.hades' },
  detach: { type: 'boolean' },
  stop: { type: 'boolean' },
  'ui-codec-endpoint': { type: 'string' },
} as const;

export const devCommand: Command = {
  name: 'dev',
  summary: 'run a local Temporal dev server with the Web UI; runs survive its restart',
  usage: [
    'usage: hades dev [--port 7233] [--ui-port 8233] [--state-dir .hades] [--ui-codec-endpoint URL] [--detach | --stop]',
    '',
    'Starts `temporal server start-dev` on 127.0.0.1 with its SQLite file in the state folder, so',
    'runs and their history outlive a restart. In the foreground until Ctrl-C, or --detach.',
    '',
    '  --port N               gRPC port that hades and workers use (default 7233)',
    '  --ui-port N            Web UI port (default the port + 1000)',
    '  --state-dir DIR        where the database, log and pid file live (default .hades)',
    '  --ui-codec-endpoint URL  the Web UI decodes encrypted runs there (see: hades codec-server)',
    '  --detach               start it in the background and return',
    '  --stop                 stop the one that --detach started',
  ],
  async run(argv) {
    const { values } = parseCommandArgs('dev', argv, OPTIONS);
    const stateDir = resolve(values['state-dir']);
    const pidFile = join(stateDir, 'temporal.pid');
    if (values.stop) return stopDetached(pidFile);

    const port = readPort('--port', values.port);
    const uiPort = values['ui-port'] === undefined ? port + 1000 : readPort('--ui-port', values['ui-port']);
    if (await canConnect('127.0.0.1', port, 500)) {
      out(`a server already listens on 127.0.0.1:${port}; Web UI (if it is a dev server): http://127.0.0.1:${uiPort}`);
      return 0;
    }

    const { startDevServer } = await import('../../devkit/temporal-dev-server');
    mkdirSync(stateDir, { recursive: true });
    const server = await startDevServer({
      port,
      uiPort,
      dbFile: join(stateDir, 'temporal.sqlite'),
      searchAttributes: searchAttributeTypes(),
      logFile: join(stateDir, 'temporal.log'),
      detached: values.detach === true,
      ...(values['ui-codec-endpoint'] ? { uiCodecEndpoint: values['ui-codec-endpoint'] } : {}),
    });
    out(`Temporal dev server on ${server.address} (TEMPORAL_ADDRESS), Web UI ${server.uiUrl}`);
    out(`  database ${server.dbFile}, log ${server.logFile}`);
    if (values.detach) {
      writeFileSync(pidFile, String(server.pid));
      const stateFlag = values['state-dir'] === '.hades' ? '' : ` --state-dir ${values['state-dir']}`;
      out(`  running in the background (pid ${server.pid}); stop it with: hades dev --stop${stateFlag}`);
      return 0;
    }

    err('  Ctrl-C stops it');
    await untilStopped(server.pid);
    await server.stop();
    return 0;
  },
};

function readPort(flag: string, text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UserError(`${flag} ${text}: expected a port from 1 to 65535`, undefined, 2);
  return port;
}

async function untilStopped(pid: number): Promise<void> {
  let stop = false;
  const onSignal = () => (stop = true);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const { isProcessAlive } = await import('../../devkit/process-state');
  while (!stop) {
    if (!isProcessAlive(pid)) throw new UserError('the Temporal dev server exited on its own', 'read its log in the state folder (temporal.log)');
    await sleep(500);
  }
}

async function stopDetached(pidFile: string): Promise<number> {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile, 'utf8').trim());
  } catch {
    throw new UserError(`no dev server started with --detach is recorded in ${pidFile}`, 'a foreground `hades dev` stops with Ctrl-C');
  }
  const { terminateProcess } = await import('../../devkit/stop-process');
  await terminateProcess(pid, { graceMs: 5_000 });
  rmSync(pidFile, { force: true });
  out(`stopped the Temporal dev server (pid ${pid})`);
  return 0;
}
