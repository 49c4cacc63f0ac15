import type { ActionSpecOf } from '../spec/run-spec';
import { succeeded, type ActionContext, type ActionOutcome } from './action-context';
import { readArtifact, readLocalFile } from './local-files';
import { describeWrite, writeFileAtomically } from './remote-file';

export const DEFAULT_FILE_MODE = 0o644;

/** `copy`: a config file or an artifact to `dst`, skipped when the host already has it. */
export async function copyFile(action: ActionSpecOf<'copy'>, context: ActionContext): Promise<ActionOutcome> {
  const data = action.artifact !== undefined
    ? readArtifact(context, action.artifact).data
    : readLocalFile(context, action.src!, 'copy source', 'paths of copy sources are relative to the config directory');
  const mode = action.mode ?? DEFAULT_FILE_MODE;
  const outcome = await writeFileAtomically(context.shell, action.dst, data, mode);
  return succeeded(describeWrite(outcome, action.dst, data.length, mode));
}
