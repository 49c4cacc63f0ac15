import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../../src/config/config';
import { ConfigError } from '../../src/config/config-error';
import { loadConfig } from '../../src/config/load-config';

/** File name → YAML text, as a config directory holds them. */
export type ConfigFiles = Record<string, string>;

const created: string[] = [];

/**
 * Strips the indentation that template literals pick up inside a test, and the first and last
 * line breaks, so the first line of the YAML is line 1 of the file and error lines can be read
 * straight off the test. Write `\${VAR}` for a literal `${VAR}`.
 */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = strings
    .reduce((all, part, i) => all + String(values[i - 1]) + part)
    .replace(/^\n/, '')
    .replace(/\n[ \t]*$/, '\n');
  const indents = text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => /^ */.exec(line)![0].length);
  const indent = Math.min(...indents);
  return text
    .split('\n')
    .map((line) => line.slice(indent))
    .join('\n');
}

/** Writes `files` into a fresh temporary directory and returns its path; see removeConfigDirs. */
export function writeConfigDir(files: ConfigFiles): string {
  const dir = mkdtempSync(join(tmpdir(), 'hades-config-'));
  created.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** Removes every directory writeConfigDir made; call it from afterAll or afterEach. */
export function removeConfigDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Loads a config written from `files`. */
export function loadFiles(files: ConfigFiles): Config {
  return loadConfig(writeConfigDir(files));
}

/** The rendered ConfigError that `action` throws; fails the test when it throws nothing else. */
export function configErrorOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError, but nothing was thrown');
}

/** The rendered ConfigError of loading `files`. */
export function loadErrorOf(files: ConfigFiles): string {
  return configErrorOf(() => loadFiles(files));
}

/** `count` host definitions named `prefix-01`… on loopback, and a target listing them in order. */
export function fleet(target: string, prefix: string, count: number): string {
  const names = Array.from({ length: count }, (_, i) => `${prefix}-${String(i + 1).padStart(2, '0')}`);
  const hosts = names.map((name, i) => `  ${name}: { addr: 127.0.1.${i + 1} }`).join('\n');
  return `hosts:\n${hosts}\ntargets:\n  ${target}: [${names.join(', ')}]\n`;
}
