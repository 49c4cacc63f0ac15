import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError, type ConfigProblem, type SourceLocation } from './config-error';
import { locateKey, type Config, type Entry } from './config';
import { listConfigFiles, readConfigFile, type ParsedFile } from './read-config-files';
import { validateConfig } from './validate-config';

type Section = 'jobs' | 'plans' | 'hosts' | 'targets' | 'registries';
const SECTIONS: readonly Section[] = ['jobs', 'plans', 'hosts', 'targets', 'registries'];
const SINGULAR: Record<Section, string> = { jobs: 'job', plans: 'plan', hosts: 'host', targets: 'target', registries: 'registry' };

/**
 * Reads every `*.yaml`/`*.yml` file of `dir`, checks each one's shape, merges them and checks
 * the references between them. Throws one ConfigError with every problem found.
 */
export function loadConfig(dir: string): Config {
  const root = resolve(dir);
  if (!existsSync(root)) {
    throw new ConfigError([{ message: `config directory ${dir} does not exist`, hint: 'pass the folder of your hadesfiles with -c DIR' }]);
  }
  if (!statSync(root).isDirectory()) {
    throw new ConfigError([{ message: `${dir} is a file, not a config directory`, hint: `-c takes the folder that holds your hadesfiles: -c ${dirname(dir) || '.'}` }]);
  }
  const files = listConfigFiles(root);
  if (files.length === 0) {
    throw new ConfigError([{ message: `no *.yaml or *.yml files in ${dir}`, hint: 'pass the folder of your hadesfiles with -c DIR, or write one with `hades init`' }]);
  }

  const problems: ConfigProblem[] = [];
  const parsed = files.map((file) => readConfigFile(root, file, problems)).filter((file) => file !== undefined);
  const config = mergeFiles(root, files, parsed, problems);
  // Not `push(...spread)`: a large inventory can have more problems than a call has arguments.
  const all = problems.length > 0 ? problems : validateConfig(config);
  if (all.length > 0) throw new ConfigError(all);
  return config;
}

function mergeFiles(dir: string, files: string[], parsed: ParsedFile[], problems: ConfigProblem[]): Config {
  const config: Config = { dir, files, jobs: new Map(), plans: new Map(), hosts: new Map(), targets: new Map(), registries: new Map(), ssh: {} };
  const sshSetAt = new Map<string, SourceLocation>();
  for (const file of parsed) {
    const { source, content } = file;
    for (const section of SECTIONS) {
      const target = config[section] as Map<string, Entry<unknown>>;
      for (const [name, value] of Object.entries(content[section] ?? {})) {
        const origin = { source, path: [section, name] };
        const earlier = target.get(name);
        if (earlier) {
          const first = locateKey(earlier.origin);
          problems.push({ message: `${SINGULAR[section]} "${name}" is defined twice`, at: locateKey(origin), hint: `it is first defined at ${first.file}:${first.line}; rename or remove one of them` });
          continue;
        }
        target.set(name, { name, value, origin });
      }
    }
    mergeSsh(config, file, sshSetAt, problems);
  }
  return config;
}

/** Each `ssh` setting may be set in one file only, like every name: a second one is an error. */
function mergeSsh(config: Config, { source, content }: ParsedFile, setAt: Map<string, SourceLocation>, problems: ConfigProblem[]): void {
  const ssh = content.ssh ?? {};
  for (const key of ['known_hosts', 'connect_timeout', 'host_key_policy'] as const) {
    if (ssh[key] === undefined) continue;
    const at = source.locate(['ssh', key], true);
    const first = setAt.get(key);
    if (first) {
      problems.push({ message: `ssh.${key} is set twice`, at, hint: `it is first set at ${first.file}:${first.line}; keep one of them` });
      continue;
    }
    setAt.set(key, at);
    if (key === 'known_hosts') config.ssh.knownHosts = ssh.known_hosts;
    else if (key === 'host_key_policy') config.ssh.hostKeyPolicy = ssh.host_key_policy;
    else config.ssh.connectTimeoutMs = ssh.connect_timeout;
  }
}
