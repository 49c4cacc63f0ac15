import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, type ConfigProblem } from './config-error';
import { locateKey, type Config, type Entry } from './config';
import { listConfigFiles, readConfigFile, type ParsedFile } from './read-config-files';
import { validateConfig } from './validate-config';

type Section = 'jobs' | 'plans' | 'hosts' | 'targets';
const SECTIONS: readonly Section[] = ['jobs', 'plans', 'hosts', 'targets'];

/**
 * Reads every `*.yaml`/`*.yml` file of `dir`, checks each one's shape, merges them and checks
 * the references between them. Throws one ConfigError with every problem found.
 */
export function loadConfig(dir: string): Config {
  const root = resolve(dir);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new ConfigError([{ message: `config directory ${dir} does not exist`, hint: 'pass the folder of your hadesfiles with -c DIR' }]);
  }
  const files = listConfigFiles(root);
  if (files.length === 0) {
    throw new ConfigError([{ message: `no *.yaml or *.yml files in ${dir}`, hint: 'pass the folder of your hadesfiles with -c DIR, or write one with `hades init`' }]);
  }

  const problems: ConfigProblem[] = [];
  const parsed = files.map((file) => readConfigFile(root, file, problems)).filter((file) => file !== undefined);
  const config = mergeFiles(root, files, parsed, problems);
  if (problems.length === 0) problems.push(...validateConfig(config));
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function mergeFiles(dir: string, files: string[], parsed: ParsedFile[], problems: ConfigProblem[]): Config {
  const config: Config = { dir, files, jobs: new Map(), plans: new Map(), hosts: new Map(), targets: new Map(), ssh: {} };
  for (const { source, content } of parsed) {
    for (const section of SECTIONS) {
      const target = config[section] as Map<string, Entry<unknown>>;
      for (const [name, value] of Object.entries(content[section] ?? {})) {
        const origin = { source, path: [section, name] };
        const earlier = target.get(name);
        if (earlier) {
          const first = locateKey(earlier.origin);
          problems.push({ message: `${section.slice(0, -1)} "${name}" is defined twice`, at: locateKey(origin), hint: `it is first defined at ${first.file}:${first.line}; rename or remove one of them` });
          continue;
        }
        target.set(name, { name, value, origin });
      }
    }
    if (content.ssh) mergeSsh(config, content.ssh, source.file, problems);
  }
  return config;
}

function mergeSsh(config: Config, ssh: { known_hosts?: string; connect_timeout?: number }, file: string, problems: ConfigProblem[]): void {
  if (ssh.known_hosts !== undefined) {
    if (config.ssh.knownHosts !== undefined) problems.push({ message: `ssh.known_hosts is set in more than one file (again in ${file})`, hint: 'set it once' });
    config.ssh.knownHosts = ssh.known_hosts;
  }
  if (ssh.connect_timeout !== undefined) config.ssh.connectTimeoutMs = ssh.connect_timeout;
}
