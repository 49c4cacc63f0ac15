import type { Config } from '../../config/config';
import { loadConfig } from '../../config/load-config';
import { formatParallelism } from '../../rollout/parallelism';
import { parseCommandArgs } from '../cli-args';
import { out, type Command } from '../command';
import { plural } from '../../util/plural';

export const plansCommand: Command = {
  name: 'plans',
  summary: 'list the plans of a config directory with their steps',
  usage: ['usage: hades plans [-c DIR]', '', '  -c, --config-dir DIR   folder of hadesfiles (default .)'],
  async run(argv) {
    const { values } = parseCommandArgs('plans', argv, { 'config-dir': { type: 'string', short: 'c', default: '.' } });
    for (const line of listPlans(loadConfig(values['config-dir']), true)) out(line);
    return 0;
  },
};

/** One line per plan, and with `steps` one per step under it. */
export function listPlans(config: Config, steps = false): string[] {
  if (config.plans.size === 0) return ['  (no plans defined)'];
  const lines: string[] = [];
  for (const { name, value } of config.plans.values()) {
    lines.push(`  ${name}  (${plural(value.steps.length, 'step')}: ${value.steps.map((step) => step.name).join(', ')})`);
    if (!steps) continue;
    for (const step of value.steps) {
      const limit = step.limit === undefined ? '' : `, limit ${step.limit}`;
      lines.push(`    - ${step.name}: job ${step.job} on ${step.targets.join(', ')}, ${formatParallelism(step.parallelism ?? { kind: 'all' })}${limit}`);
    }
  }
  return lines;
}
