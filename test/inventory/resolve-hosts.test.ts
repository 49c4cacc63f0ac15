import { resolveHosts } from '../../src/inventory/resolve-hosts';
import { loadFiles, removeConfigDirs, yaml } from '../support/config-dir';

afterAll(removeConfigDirs);

// Hosts are defined in an order unlike any target's, across two files, so that the tests show
// that order comes from the targets and nowhere else.
const files = {
  'hosts-b.yaml': yaml`
    hosts:
      web-3: { addr: 127.0.1.3 }
      db-1: { addr: 127.0.1.11 }
      web-1: { addr: 127.0.1.1 }
  `,
  'hosts-a.yaml': yaml`
    hosts:
      web-2: { addr: 127.0.1.2 }
      db-2: { addr: 127.0.1.12 }
      "10": { addr: 127.0.1.20 }
      "9": { addr: 127.0.1.21 }
      "1": { addr: 127.0.1.22 }
  `,
  'targets.yaml': yaml`
    targets:
      web: [web-2, web-1, web-3]
      db: [db-2, db-1]
      canary: [web-1]
      numbered: ["10", "9", "1"]
      empty: []
  `,
};
const config = loadFiles(files);

function names(targets: string[]): string[] {
  return resolveHosts(config, targets).map((host) => host.name);
}

describe('resolveHosts', () => {
  it('lists a target\'s hosts in the order the target lists them', () => {
    expect(names(['web'])).toEqual(['web-2', 'web-1', 'web-3']);
  });

  it('lists the targets one after another, in the order the step names them', () => {
    expect(names(['db', 'web'])).toEqual(['db-2', 'db-1', 'web-2', 'web-1', 'web-3']);
    expect(names(['web', 'db'])).toEqual(['web-2', 'web-1', 'web-3', 'db-2', 'db-1']);
  });

  it('drops a host listed again at its later occurrences, keeping the target it first came from', () => {
    expect(resolveHosts(config, ['canary', 'web'])).toEqual([
      { name: 'web-1', target: 'canary' },
      { name: 'web-2', target: 'web' },
      { name: 'web-3', target: 'web' },
    ]);
    expect(names(['web', 'web'])).toEqual(['web-2', 'web-1', 'web-3']);
  });

  it('takes a host name as a target of that one host', () => {
    expect(resolveHosts(config, ['db-1', 'web'])).toEqual([
      { name: 'db-1', target: 'db-1' },
      { name: 'web-2', target: 'web' },
      { name: 'web-1', target: 'web' },
      { name: 'web-3', target: 'web' },
    ]);
  });

  it('keeps the order of hosts named like numbers, which object keys would sort', () => {
    expect(names(['numbered'])).toEqual(['10', '9', '1']);
  });

  it('gives the same order on every call and every load of the same config', () => {
    const targets = ['db', 'canary', 'web', 'numbered'];
    const first = names(targets);

    for (let i = 0; i < 10; i++) expect(names(targets)).toEqual(first);
    for (let i = 0; i < 3; i++) expect(resolveHosts(loadFiles(files), targets).map((host) => host.name)).toEqual(first);
  });

  it('keeps the listed order of a large target', () => {
    const count = 500;
    const hostNames = Array.from({ length: count }, (_, i) => `host-${(i * 7919) % count}`);
    const hosts = hostNames.map((name, i) => `  ${name}: { addr: 127.0.${1 + Math.floor(i / 250)}.${1 + (i % 250)} }`);
    const large = loadFiles({
      'inventory.yaml': `hosts:\n${[...hosts].reverse().join('\n')}\ntargets:\n  fleet: [${hostNames.join(', ')}]\n`,
    });

    expect(resolveHosts(large, ['fleet']).map((host) => host.name)).toEqual(hostNames);
  });

  it('gives no hosts for a target that lists none', () => {
    expect(resolveHosts(config, ['empty'])).toEqual([]);
  });
});
