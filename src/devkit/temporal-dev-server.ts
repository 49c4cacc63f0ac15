import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { Connection } from '@temporalio/client';

import { forgetOnExit, killOnExit } from './exit-cleanup';
import { findTemporalBinary } from './find-temporal';
import { findFreePorts } from './free-port';
import { readLogTail } from './log-tail';
import { killProcess, terminateProcess } from './stop-process';
import { canConnect } from './wait-for-port';

/** Options of {@link startDevServer}. */
export interface DevServerOptions {
  /** Port of the gRPC frontend; a free one when absent. */
  port?: number;
  /** Port of the Web UI; a free one when absent. */
  uiPort?: number;
  /** SQLite file that keeps runs across restarts; state lives in memory when absent. */
  dbFile?: string;
  /** Address every listener binds to; 127.0.0.1 by default. */
  ip?: string;
  /** Search attributes to register at start, name to type (Keyword, Text, Int, ...). */
  searchAttributes?: Record<string, string>;
  /** Where the server's output goes; a new file under the OS temp folder when absent. */
  logFile?: string;
  /** Let the server outlive this process: its own session, and no kill on exit. */
  detached?: boolean;
  /** The temporal CLI; {@link findTemporalBinary} when absent. */
  binary?: string;
  /** A codec server the Web UI decodes payloads with (`hades codec-server`); none when absent. */
  uiCodecEndpoint?: string;
  /** How long the server may take to answer; 30 s by default. */
  readyTimeoutMs?: number;
}

/** A running `temporal server start-dev`. */
export interface DevServer {
  /** host:port of the gRPC frontend, e.g. "127.0.0.1:40233". */
  address: string;
  uiUrl: string;
  pid: number;
  port: number;
  uiPort: number;
  logFile: string;
  dbFile?: string;
  /** SIGTERM, then SIGKILL after a few seconds; resolves once the process is gone. */
  stop(): Promise<void>;
  /** SIGKILL at once, as a crash would; resolves once the process is gone. */
  kill9(): Promise<void>;
  /**
   * Stops this server and starts another on the same ports and database file; with `kill9`, the
   * stop is a SIGKILL, as a crash would be; with `downForMs`, the server stays down that long.
   */
  restart(options?: { kill9?: boolean; downForMs?: number }): Promise<DevServer>;
}

type Settings = Required<Omit<DevServerOptions, 'dbFile' | 'uiCodecEndpoint'>> & { dbFile?: string; uiCodecEndpoint?: string };

/** Starts a Temporal dev server on loopback and resolves once namespace "default" answers. */
export async function startDevServer(opts: DevServerOptions = {}): Promise<DevServer> {
  const settings = await resolveSettings(opts);
  const child = await spawnServer(settings);
  const pid = child.pid as number;

  try {
    await waitUntilReady(settings, child);
  } catch (err) {
    await killProcess(pid);
    forgetOnExit(pid);
    throw err;
  }
  return describeServer(settings, pid);
}

async function resolveSettings(opts: DevServerOptions): Promise<Settings> {
  const ip = opts.ip ?? '127.0.0.1';
  const [freeA, freeB] = await findFreePorts(2, ip);
  const port = opts.port ?? freeA;
  const uiPort = opts.uiPort ?? (freeA === port ? freeB : freeA);
  const logFile = path.resolve(opts.logFile ?? (await newLogFile()));
  const dbFile = opts.dbFile === undefined ? undefined : path.resolve(opts.dbFile);

  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  if (dbFile) fs.mkdirSync(path.dirname(dbFile), { recursive: true });
  return {
    ip,
    port,
    uiPort,
    logFile,
    dbFile,
    searchAttributes: opts.searchAttributes ?? {},
    detached: opts.detached ?? false,
    binary: opts.binary ?? findTemporalBinary(),
    readyTimeoutMs: opts.readyTimeoutMs ?? 30_000,
    ...(opts.uiCodecEndpoint ? { uiCodecEndpoint: opts.uiCodecEndpoint } : {}),
  };
}

async function newLogFile(): Promise<string> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'hades-temporal-'));
  return path.join(dir, 'server.log');
}

function serverArgs(s: Settings): string[] {
  const args = ['server', 'start-dev', '--ip', s.ip, '--port', String(s.port)];
  args.push('--ui-port', String(s.uiPort));
  // The UI would otherwise fetch a newsfeed from the internet on every page load.
  args.push('--ui-disable-news-fetch', '--log-level', 'warn');
  if (s.dbFile) args.push('--db-filename', s.dbFile);
  if (s.uiCodecEndpoint) args.push('--ui-codec-endpoint', s.uiCodecEndpoint);
  for (const [name, type] of Object.entries(s.searchAttributes)) {
    args.push('--search-attribute', `${name}=${type}`);
  }
  return args;
}

async function spawnServer(s: Settings): Promise<ChildProcess> {
  const out = fs.openSync(s.logFile, 'a');
  const child = spawn(s.binary, serverArgs(s), {
    detached: s.detached,
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);

  if (child.pid === undefined) {
    const err = await new Promise<Error>((resolve) => child.once('error', resolve));
    throw new Error(
      `the temporal CLI did not start (${s.binary}): ${err.message}\n` +
        `  hint: set HADES_TEMPORAL_BIN, or run: bash scripts/setup.sh`,
    );
  }
  if (s.detached) child.unref();
  else killOnExit(child.pid);
  return child;
}

async function waitUntilReady(s: Settings, child: ChildProcess): Promise<void> {
  const address = `${s.ip}:${s.port}`;
  const deadline = Date.now() + s.readyTimeoutMs;
  let exit: string | undefined;
  child.once('exit', (code, signal) => (exit = signal ? `signal ${signal}` : `code ${code}`));

  let lastError = 'it never accepted a TCP connection';
  while (Date.now() < deadline) {
    if (exit) throw serverError(s, `exited (${exit}) before it was ready`);
    if (await canConnect(s.ip, s.port, 500)) {
      const failure = await describeDefaultNamespace(address);
      if (failure === undefined) return;
      lastError = failure;
    }
    await sleep(200);
  }
  throw serverError(s, `did not answer in ${s.readyTimeoutMs / 1000} s (last: ${lastError})`);
}

// Listening is not ready: the frontend accepts connections before namespace "default" exists.
async function describeDefaultNamespace(address: string): Promise<string | undefined> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address, connectTimeout: 2_000 });
    await connection.workflowService.describeNamespace({ namespace: 'default' });
    return undefined;
  } catch (err) {
    return (err as Error).message;
  } finally {
    await connection?.close();
  }
}

function serverError(s: Settings, what: string): Error {
  return new Error(
    `temporal dev server on ${s.ip}:${s.port} ${what}\n` +
      `  command: ${s.binary} ${serverArgs(s).join(' ')}\n` +
      `  log ${s.logFile}, last lines:\n${readLogTail(s.logFile)}`,
  );
}

function describeServer(s: Settings, pid: number): DevServer {
  const stopWith = async (stopper: (pid: number) => Promise<void>): Promise<void> => {
    await stopper(pid);
    forgetOnExit(pid);
  };
  const server: DevServer = {
    address: `${s.ip}:${s.port}`,
    uiUrl: `http://${s.ip}:${s.uiPort}`,
    pid,
    port: s.port,
    uiPort: s.uiPort,
    logFile: s.logFile,
    dbFile: s.dbFile,
    stop: () => stopWith((p) => terminateProcess(p, { graceMs: 5_000 })),
    kill9: () => stopWith(killProcess),
    restart: async (options) => {
      await (options?.kill9 ? server.kill9() : server.stop());
      if (options?.downForMs) await sleep(options.downForMs);
      return startDevServer(s);
    },
  };
  return server;
}
