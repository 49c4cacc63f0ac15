import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RegistrySpec } from '../spec/run-spec';
import { isPlainName } from '../util/plain-name';
import { writeLocalFileAtomically } from '../util/write-atomically';
import { ActionError } from './action-error';
import { sha256 } from './remote-file';


/** Where `name:tag` lives in a filesystem registry: `<path>/<name>/<tag>` and its `.sha256`. */
function entryPaths(registry: RegistrySpec, name: string, tag: string): { data: string; sum: string } {
  for (const [label, value] of [['name', name], ['tag', tag]] as const) {
    if (!isPlainName(value)) throw new ActionError(`artifact ${label} ${JSON.stringify(value)} is not allowed in a registry`, 'use letters, digits, ., _ and -, starting with a letter or digit');
  }
  const data = join(registry.path, name, tag);
  return { data, sum: `${data}.sha256` };
}

export function findRegistry(registries: Record<string, RegistrySpec>, name: string): RegistrySpec {
  const registry = registries[name];
  if (!registry) throw new ActionError(`registry "${name}" is not defined`, `defined registries: ${Object.keys(registries).join(', ') || 'none'}`);
  return registry;
}

/** Stores `name:tag`. Tags are immutable: the same bytes again is a no-op, other bytes an error. */
export function pushEntry(registry: RegistrySpec, name: string, tag: string, data: Buffer): 'pushed' | 'already-there' {
  const paths = entryPaths(registry, name, tag);
  const sum = sha256(data);
  if (existsSync(paths.sum)) {
    const stored = readFileSync(paths.sum, 'utf8').trim();
    if (stored === sum) return 'already-there';
    throw new ActionError(`${name}:${tag} is already in the registry with other content (sha256 ${stored.slice(0, 12)}…, this is ${sum.slice(0, 12)}…)`, 'tags are immutable: push under a new tag');
  }
  writeLocalFileAtomically(paths.data, data);
  // The checksum goes last: an entry without one was never completely pushed.
  writeLocalFileAtomically(paths.sum, `${sum}\n`);
  return 'pushed';
}

/** Reads `name:tag` and checks it against the sha256 stored when it was pushed. */
export function pullEntry(registry: RegistrySpec, name: string, tag: string): Buffer {
  const paths = entryPaths(registry, name, tag);
  if (!existsSync(paths.sum)) throw new ActionError(`${name}:${tag} is not in the registry at ${registry.path}`, 'push it first (a push action), or check the name and tag');
  const stored = readFileSync(paths.sum, 'utf8').trim();
  const data = readFileSync(paths.data);
  if (sha256(data) !== stored) throw new ActionError(`${name}:${tag} in ${registry.path} is corrupt: its sha256 does not match the one stored at push`, 'push it again under a new tag');
  return data;
}
