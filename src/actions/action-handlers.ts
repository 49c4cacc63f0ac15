import type { ActionKindName } from '../config/action-schema';
import type { ActionSpecOf } from '../spec/run-spec';
import type { ActionContext, ActionOutcome } from './action-context';
import { copyFile } from './copy-action';
import { fetchFile } from './fetch-action';
import { installGpgKey } from './gpg-action';
import { makeDirectory } from './mkdir-action';
import { pullArtifact, pushArtifact } from './push-pull-actions';
import { runCommand } from './run-action';
import { writeTemplate } from './template-action';

type Handler<K extends ActionKindName> = (action: ActionSpecOf<K>, context: ActionContext) => Promise<ActionOutcome>;

/** The one table from action kind to what executes it; `wait` is the workflow's, never a host's. */
export const ACTION_HANDLERS: { [K in Exclude<ActionKindName, 'wait'>]: Handler<K> } = {
  run: runCommand,
  copy: copyFile,
  template: writeTemplate,
  mkdir: makeDirectory,
  fetch: fetchFile,
  push: pushArtifact,
  pull: pullArtifact,
  gpg: installGpgKey,
};
