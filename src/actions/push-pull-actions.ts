import type { ActionSpecOf } from '../spec/run-spec';
import { succeeded, type ActionContext, type ActionOutcome } from './action-context';
import { DEFAULT_FILE_MODE } from './copy-action';
import { readArtifact } from './local-files';
import { describeWrite, formatSize, writeFileAtomically } from './remote-file';
import { findRegistry, pullEntry, pushEntry } from './registry';

/** `push`: an artifact into a registry as `name:tag`. */
export async function pushArtifact(action: ActionSpecOf<'push'>, context: ActionContext): Promise<ActionOutcome> {
  const registry = findRegistry(context.registries, action.registry);
  const { data } = readArtifact(context, action.artifact);
  const outcome = pushEntry(registry, action.name, action.tag, data);
  const what = `${action.name}:${action.tag}`;
  return succeeded(outcome === 'pushed' ? `pushed ${what} to ${action.registry} (${formatSize(data.length)})` : `${what} is already in ${action.registry} with the same content`);
}

/** `pull`: `name:tag` from a registry to a path on the host, verified, written atomically. */
export async function pullArtifact(action: ActionSpecOf<'pull'>, context: ActionContext): Promise<ActionOutcome> {
  const data = pullEntry(findRegistry(context.registries, action.registry), action.name, action.tag);
  const mode = action.mode ?? DEFAULT_FILE_MODE;
  const outcome = await writeFileAtomically(context.shell, action.to, data, mode);
  return succeeded(describeWrite(outcome, action.to, data.length, mode));
}
