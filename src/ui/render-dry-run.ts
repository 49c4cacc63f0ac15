import { commandScript, hostEnv } from '../actions/host-env';
import { renderAction } from '../actions/render-action';
import { formatParallelism } from '../rollout/parallelism';
import { planBatches } from '../rollout/plan-batches';
import type { RunSpec } from '../spec/run-spec';
import { formatDuration } from '../util/duration';

export interface DryRunOptions {
  /** Show the whole script each host runs, with the exported variables; otherwise the command only. */
  scripts?: boolean;
}

/**
 * What a run would do, per step, batch and host, computed with the same batching and expansion as
 * the workflow and the activity. Touches nothing: no connection, no workflow.
 */
export function renderDryRun(spec: RunSpec, options: DryRunOptions = {}): string[] {
  const lines = [`Dry run of plan ${spec.plan}: nothing is executed, no host is contacted.`];
  for (const [index, step] of spec.steps.entries()) {
    const batches = planBatches(step.hosts, step.parallelism);
    lines.push('', `Step ${index + 1}/${spec.steps.length}: ${step.name} (job ${step.job}, targets ${step.targets.join(', ')}, ${plural(step.hosts.length, 'host')}, ${formatParallelism(step.parallelism)})`);
    const names = Object.keys(step.env);
    if (names.length > 0) lines.push(`  env: ${names.map((name) => `${name}=${step.env[name]}`).join(' ')}`);
    for (const [batch, hosts] of batches.entries()) {
      lines.push(`  Batch ${batch + 1}/${batches.length}: ${hosts.map((host) => host.name).join(', ')}`);
      for (const { name, target } of hosts) {
        const host = spec.hosts[name];
        lines.push(`    ${name} (${host.user}@${host.addr}:${host.port})`);
        const env = hostEnv({ plan: spec.plan, runId: spec.runId, step: step.name, target, host, env: step.env });
        for (const action of step.actions) lines.push(...describe(renderAction(action, env), env, options));
      }
    }
  }
  return lines;
}

function describe(action: ReturnType<typeof renderAction>, env: Record<string, string>, options: DryRunOptions): string[] {
  const label = `      [${action.index}] ${action.kind}${action.name ? ` "${action.name}"` : ''}`;
  if (action.kind === 'wait') {
    const timeout = action.timeoutMs === undefined ? 'no timeout' : `times out after ${formatDuration(action.timeoutMs)}`;
    return [`${label}: gate once per batch: ${action.message ?? '(no message)'} (${timeout})`];
  }
  const text = options.scripts ? commandScript(action.command, env) : action.command;
  const [first, ...rest] = text.trimEnd().split('\n');
  return [`${label}: ${first}`, ...rest.map((line) => `          ${line}`)];
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
