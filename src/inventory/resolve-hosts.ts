import type { Config } from '../config/config';
import type { StepHost } from '../spec/run-spec';

/**
 * A step's hosts: each target's hosts in declaration order, a host name standing for itself,
 * duplicates dropped at their first occurrence. The same config always gives the same order.
 */
export function resolveHosts(config: Config, targets: readonly string[]): StepHost[] {
  const seen = new Set<string>();
  const hosts: StepHost[] = [];
  for (const target of targets) {
    const names = config.targets.get(target)?.value ?? (config.hosts.has(target) ? [target] : []);
    for (const name of names) {
      if (seen.has(name)) continue;
      seen.add(name);
      hosts.push({ name, target });
    }
  }
  return hosts;
}
