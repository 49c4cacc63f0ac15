import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DefaultLogger, Runtime, type LogEntry } from '@temporalio/worker';
import type { LogLevel } from '@temporalio/common';

export interface RuntimeSetup {
  /** Worker diagnostics go to this file instead of stderr (used when a terminal shows a run). */
  logFile?: string;
  level?: LogLevel;
  /** Signals that shut the worker down; `hades run` handles Ctrl-C itself. */
  shutdownSignals?: NodeJS.Signals[];
}

/** Routes the SDK's and the worker's own logs, once per process, before any worker exists. */
export function installRuntime(setup: RuntimeSetup): void {
  const level = setup.level ?? 'INFO';
  const write = setup.logFile ? fileWriter(setup.logFile) : (line: string) => process.stderr.write(line);
  const logger = new DefaultLogger(level, (entry: LogEntry) => write(formatEntry(entry)));
  Runtime.install({
    logger,
    telemetryOptions: { logging: { forward: {}, filter: { core: level === 'DEBUG' || level === 'TRACE' ? level : 'WARN', other: 'WARN' } } },
    ...(setup.shutdownSignals ? { shutdownSignals: setup.shutdownSignals } : {}),
  });
}

function fileWriter(file: string): (line: string) => void {
  mkdirSync(dirname(file), { recursive: true });
  return (line) => appendFileSync(file, line);
}

function formatEntry(entry: LogEntry): string {
  const time = new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString();
  const meta = entry.meta && Object.keys(entry.meta).length > 0 ? ` ${safeJson(entry.meta)}` : '';
  return `${time} ${entry.level.padEnd(5)} ${entry.message}${meta}\n`;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, item) => (typeof item === 'bigint' ? String(item) : item));
  } catch {
    return '[unprintable]';
  }
}
