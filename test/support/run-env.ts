import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { startFleet, type Fleet } from '../../src/devkit/ssh-fleet';
import { startDevServer, type DevServer } from '../../src/devkit/temporal-dev-server';
import { awaitOutcome } from '../../src/client/run-outcome';
import { searchAttributeTypes } from '../../src/workflows/run-attributes';
import type { RunProgress } from '../../src/workflows/progress';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'hades');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A `hades` process the test started and can watch, wait for or kill. */
export interface CliProcess {
  child: ChildProcess;
  output(): string;
  done: Promise<CliResult>;
}

/**
 * What an end-to-end test needs: real sshd hosts on loopback, a real Temporal dev server, a config
 * directory with their inventory, and the built `hades` CLI run as a separate process.
 */
export interface RunEnv {
  fleet: Fleet;
  server: DevServer;
  client: Client;
  configDir: string;
  /** A folder every host writes its markers into; hosts share this machine's file system. */
  markDir: string;
  writeConfig(file: string, text: string): void;
  start(args: string[], env?: Record<string, string>): CliProcess;
  hades(args: string[], env?: Record<string, string>): Promise<CliResult>;
  /** The progress a finished run returned (or carried in its failure). */
  finalProgress(runId: string): Promise<RunProgress | undefined>;
  stop(): Promise<void>;
}

export interface RunEnvOptions {
  hosts: number;
  /** Targets for the inventory; `all` by default. */
  targets?: (names: string[]) => Record<string, string[]>;
  /** Keep the server's state in a SQLite file, so it survives a restart. */
  persistent?: boolean;
  /** Register Hades' search attributes, as `hades dev` does; true by default. */
  searchAttributes?: boolean;
}

export async function startRunEnv(options: RunEnvOptions): Promise<RunEnv> {
  assertBuilt();
  const base = mkdtempSync(join(tmpdir(), 'hades-e2e-'));
  const configDir = join(base, 'config');
  const markDir = join(base, 'marks');
  for (const dir of [configDir, markDir]) require('node:fs').mkdirSync(dir, { recursive: true });

  const [fleet, server] = await Promise.all([
    startFleet({ count: options.hosts, stateDir: join(base, 'fleet') }),
    startDevServer({
      ...(options.persistent ? { dbFile: join(base, 'temporal.sqlite') } : {}),
      searchAttributes: options.searchAttributes === false ? {} : searchAttributeTypes(),
    }),
  ]);
  const names = fleet.hosts.map((host) => host.name);
  writeFileSync(join(configDir, 'inventory.yaml'), fleet.inventoryYaml({ targets: options.targets?.(names) ?? { all: names } }));
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  const baseEnv = { TEMPORAL_ADDRESS: server.address, NO_COLOR: '1', HADES_TASK_QUEUE: `e2e-${process.pid}`, MARK_DIR: markDir };

  const start = (args: string[], env: Record<string, string> = {}): CliProcess => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: base, env: { ...process.env, ...baseEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk) => (stdout += chunk));
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    const done = new Promise<CliResult>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
    return { child, output: () => stdout + stderr, done };
  };

  return {
    fleet,
    server,
    client,
    configDir,
    markDir,
    writeConfig: (file, text) => writeFileSync(join(configDir, file), text),
    start,
    hades: (args, env) => start(args, env).done,
    finalProgress: async (runId) => (await awaitOutcome(client.workflow.getHandle(runId))).progress,
    stop: async () => {
      await connection.close();
      await Promise.all([fleet.stop(), server.stop()]);
      rmSync(base, { recursive: true, force: true });
    },
  };
}

/** The run id that `hades run` prints on its first line. */
export async function waitForRunId(cli: CliProcess, timeoutMs = 30_000): Promise<string> {
  return waitForOutput(cli, /^Run (\S+) started/m, timeoutMs);
}

/** Resolves with the first capture group once the process has printed a match. */
export async function waitForOutput(cli: CliProcess, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(cli.output());
    if (match) return match[1] ?? match[0];
    if (Date.now() > deadline) throw new Error(`no ${pattern} in the output within ${timeoutMs} ms:\n${cli.output()}`);
    await sleep(100);
  }
}

/** Polls `check` until it returns a value, or fails with `what` after the timeout. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/** Marker lines the hosts wrote: `<host> <event> <nanoseconds>`. */
export interface Mark {
  host: string;
  event: string;
  at: bigint;
}

export function readMarks(markDir: string): Mark[] {
  const marks: Mark[] = [];
  for (const file of readdirSync(markDir)) {
    for (const line of readFileSync(join(markDir, file), 'utf8').split('\n')) {
      const [host, event, at] = line.trim().split(' ');
      if (host && event && at) marks.push({ host, event, at: BigInt(at) });
    }
  }
  return marks;
}

/** Tests run the built CLI; a stale build would test old code. */
function assertBuilt(): void {
  const bundle = join(ROOT, 'dist', 'workflow-bundle.js');
  if (!existsSync(bundle)) throw new Error('hades is not built: run `npm run build` (npm test does it first)');
  const built = statSync(bundle).mtimeMs;
  const newest = newestMtime(join(ROOT, 'src'));
  if (newest > built) throw new Error('the build is older than src/: run `npm run build` (npm test does it first)');
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}
