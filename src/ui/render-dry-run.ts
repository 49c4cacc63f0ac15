import { ActionError } from '../actions/action-error';
import { DEFAULT_FILE_MODE } from '../actions/copy-action';
import { commandScript, hostEnv } from '../actions/host-env';
import { localPath, readLocalFile } from '../actions/local-files';
import { DEFAULT_DIR_MODE } from '../actions/mkdir-action';
import { formatSize } from '../actions/remote-file';
import { renderAction, summarizeAction } from '../actions/render-action';
import { renderTemplate } from '../actions/template-action';
import { formatMode } from '../config/mode';
import { expandVariables } from '../env/expand-env';
import { MASK, maskerFor } from '../env/mask-secrets';
import { formatParallelism } from '../rollout/parallelism';
import { planBatches } from '../rollout/plan-batches';
import type { ActionSpec, HostSpec, RunSpec, StepSpec } from '../spec/run-spec';
import { leaderReportingScript } from '../ssh/stoppable-command';
import { formatDuration } from '../util/duration';
import { plural } from '../util/plural';

export interface DryRunOptions {
  /** Show the whole script each host receives, exported variables included; otherwise the command only. */
  scripts?: boolean;
}

/**
 * What a run would do, per step, batch and host, computed with the same batching and expansion as
 * the workflow and the activity. Reads local files (sources, templates) but contacts no host and
 * starts no workflow.
 */
export function renderDryRun(spec: RunSpec, options: DryRunOptions = {}): string[] {
  const lines = [`Dry run of plan ${spec.plan}: nothing is executed, no host is contacted.`];
  for (const [index, step] of spec.steps.entries()) {
    const batches = planBatches(step.hosts, step.parallelism);
    const masker = maskerFor(step.env, step.secrets);
    const first = lines.length;
    const where = step.local ? ', runs locally' : '';
    lines.push('', `Step ${index + 1}/${spec.steps.length}: ${step.name} (job ${step.job}, targets ${step.targets.join(', ')}, ${plural(step.hosts.length, 'host')}, ${formatParallelism(step.parallelism)}${where})`);
    const names = Object.keys(step.env);
    const shown = (name: string) => (step.secrets?.includes(name) ? MASK : step.env[name]);
    if (names.length > 0) lines.push(`  env: ${names.map((name) => `${name}=${shown(name)}`).join(' ')}`);
    for (const [batch, hosts] of batches.entries()) {
      lines.push(`  Batch ${batch + 1}/${batches.length}: ${hosts.map((host) => host.name).join(', ')}`);
      for (const { name, target } of hosts) {
        const host = spec.hosts[name];
        lines.push(`    ${name} (${host.user}@${host.addr}:${host.port})`);
        const env = hostEnv({ plan: spec.plan, runId: spec.runId, step: step.name, target, host, env: step.env });
        if (step.guard) lines.push(`      guard: ${expandVariables(step.guard, env)} (the job runs only where it exits 0)`);
        for (const action of step.actions) lines.push(...describe(renderAction(action, env), { spec, step, host, target, env, options }));
      }
    }
    // As one text, so a secret that spans lines (a key, a certificate) is masked whole.
    if (!masker.empty) lines.push(...masker.mask(lines.splice(first).join('\n')).split('\n'));
  }
  return lines;
}

interface DescribeContext {
  spec: RunSpec;
  step: StepSpec;
  host: HostSpec;
  target: string;
  env: Record<string, string>;
  options: DryRunOptions;
}

function describe(action: ActionSpec, context: DescribeContext): string[] {
  const label = `      [${action.index}] ${action.kind}${action.label ? ` "${action.label}"` : ''}`;
  if (action.kind === 'run') {
    const script = commandScript(action.command, context.env);
    // Over SSH the script goes out behind the line that lets a stop find its process group.
    const wire = context.step.local ? script : leaderReportingScript(script);
    const text = context.options.scripts ? wire : action.command;
    const [first, ...rest] = text.trimEnd().split('\n');
    return [`${label}: ${first}`, ...rest.map((line) => `          ${line}`)];
  }
  try {
    return [`${label}: ${describeFileAction(action, context)}`];
  } catch (error) {
    if (!(error instanceof ActionError)) throw error;
    return [`${label}: ${summarizeAction(action)}`, `          would fail: ${error.message}`];
  }
}

function describeFileAction(action: ActionSpec, context: DescribeContext): string {
  const { spec, step, env } = context;
  const configDir = spec.configDir;
  switch (action.kind) {
    case 'copy': {
      const source = action.artifact !== undefined ? expandVariables(step.artifacts?.[action.artifact] ?? action.artifact, env) : action.src!;
      const what = action.artifact !== undefined ? `artifact ${action.artifact} (${localPath({ configDir }, source)})` : localPath({ configDir }, source);
      return `${what}${sizeOf(configDir, source)} → ${action.dst}, mode ${formatMode(action.mode ?? DEFAULT_FILE_MODE)}, unless unchanged`;
    }
    case 'template': {
      const rendered = renderTemplate(action, { configDir, env, host: context.host, target: context.target });
      return `${localPath({ configDir }, action.src)} rendered (${formatSize(rendered.length)}) → ${action.dst}, mode ${formatMode(action.mode ?? DEFAULT_FILE_MODE)}, unless unchanged`;
    }
    case 'mkdir':
      return `${action.path}, mode ${formatMode(action.mode ?? DEFAULT_DIR_MODE)}`;
    case 'fetch':
      return `${action.src} on the host → ${localPath({ configDir }, action.dst)}, unless unchanged`;
    case 'push':
      return `artifact ${action.artifact} → registry ${action.registry} (${spec.registries[action.registry]?.path ?? 'not defined'}) as ${action.name}:${action.tag}`;
    case 'pull':
      return `registry ${action.registry} ${action.name}:${action.tag} → ${action.to}, mode ${formatMode(action.mode ?? DEFAULT_FILE_MODE)}, unless unchanged`;
    case 'gpg':
      return `download ${action.src}${action.dearmor ? ', dearmor' : ''} → ${action.path}, mode ${formatMode(action.mode ?? DEFAULT_FILE_MODE)}`;
    case 'wait': {
      const timeout = action.timeoutMs === undefined ? 'no timeout' : `times out after ${formatDuration(action.timeoutMs)}`;
      return `gate once per batch: ${action.message ?? '(no message)'} (${timeout})`;
    }
    case 'run':
      return action.command;
  }
}

/** ` (1.2 KB)` for a local file that exists now; an artifact built by an earlier step may not yet. */
function sizeOf(configDir: string, path: string): string {
  try {
    return ` (${formatSize(readLocalFile({ configDir }, path, '', '').length)})`;
  } catch {
    return ' (not there yet: an earlier step may build it)';
  }
}
