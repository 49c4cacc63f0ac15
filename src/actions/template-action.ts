import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Liquid } from 'liquidjs';
import type { ActionSpecOf } from '../spec/run-spec';
import { ActionError } from './action-error';
import { succeeded, type ActionContext, type ActionOutcome } from './action-context';
import { DEFAULT_FILE_MODE } from './copy-action';
import { localPath, readLocalFile } from './local-files';
import { describeWrite, writeFileAtomically } from './remote-file';

/** Bounds for one render: a runaway loop must not hold the worker (and its heartbeats) or its memory. */
const RENDER_LIMIT_MS = 5_000;
const MEMORY_LIMIT = 50_000_000;
const PARSE_LIMIT = 10_000_000;

/**
 * Liquid: loops and conditionals, no code execution, and with strict variables an unknown name is
 * an error instead of an empty string that would land in a config file unnoticed. Includes are
 * looked up beside the template, then in the config directory, never in the worker's own folder.
 */
function templateEngine(templateFile: string, configDir: string): Liquid {
  return new Liquid({
    strictVariables: true,
    strictFilters: true,
    ownPropertyOnly: true,
    root: [dirname(templateFile), configDir],
    partials: [dirname(templateFile), configDir],
    renderLimit: RENDER_LIMIT_MS,
    memoryLimit: MEMORY_LIMIT,
    parseLimit: PARSE_LIMIT,
  });
}

export interface TemplateScope {
  Env: Record<string, string>;
  Host: { Name: string; Addr: string; User: string; Port: number };
  Target: string;
}

export function templateScope(context: Pick<ActionContext, 'env' | 'host' | 'target'>): TemplateScope {
  const { host } = context;
  return { Env: context.env, Host: { Name: host.name, Addr: host.addr, User: host.user, Port: host.port }, Target: context.target };
}

/** Renders a template of the config directory for one host; the dry run calls it too. */
export function renderTemplate(action: ActionSpecOf<'template'>, context: Pick<ActionContext, 'configDir' | 'env' | 'host' | 'target'>): Buffer {
  const source = readLocalFile(context, action.src, 'template', 'template paths are relative to the config directory').toString('utf8');
  try {
    const engine = templateEngine(localPath(context, action.src), context.configDir);
    return Buffer.from(engine.parseAndRenderSync(source, templateScope(context)));
  } catch (error) {
    const message = (error as Error).message.split('\n')[0];
    throw new ActionError(`template ${localPath(context, action.src)}: ${message}`, 'templates see Env.NAME (the job\'s declared variables and HADES_*), Host.Name, Host.Addr, Host.User, Host.Port and Target');
  }
}

/** `template`: render, keep a copy under the run's logs, then write it like `copy`. */
export async function writeTemplate(action: ActionSpecOf<'template'>, context: ActionContext): Promise<ActionOutcome> {
  const data = renderTemplate(action, context);
  mkdirSync(context.renderDir, { recursive: true });
  // The copy kept for inspection sits on the worker's disk: secrets are masked there too.
  writeFileSync(join(context.renderDir, `${action.index}-${basename(action.dst)}`), context.log.masker.mask(data.toString('utf8')));

  const mode = action.mode ?? DEFAULT_FILE_MODE;
  const outcome = await writeFileAtomically(context.shell, action.dst, data, mode);
  return succeeded(describeWrite(outcome, action.dst, data.length, mode));
}
