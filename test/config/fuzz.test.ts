import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ConfigError, type ConfigProblem } from '../../src/config/config-error';
import { loadConfig } from '../../src/config/load-config';
import { planBatches } from '../../src/rollout/plan-batches';
import { resolveRunSpec } from '../../src/spec/resolve-run-spec';
import { yaml } from '../support/config-dir';

/** mulberry32: a small seeded PRNG, so a failing case can be replayed from its seed and number. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = ReturnType<typeof prng>;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)];
const int = (random: Random, max: number): number => Math.floor(random() * max);

/** Valid hadesfiles that use every section and action kind: what the mutations start from. */
const VALID: Record<string, string> = {
  'inventory.yaml': yaml`
    hosts:
      web-1: { addr: 127.0.1.1, port: 2222, user: deploy }
      web-2:
        addr: 127.0.1.2
        identity_file: ~/.ssh/id_ed25519
    targets:
      web: [web-1, web-2]
    ssh:
      known_hosts: ./known_hosts
      connect_timeout: 10s
    registries:
      store: { type: filesystem, path: ./registry }
  `,
  'deploy.yaml': yaml`
    jobs:
      deploy:
        guard:
          if: systemctl is-enabled app
        env:
          VERSION:
          CHANNEL:
            default: stable
            description: release channel
        artifacts:
          app: { path: "build/app-\${VERSION}" }
        actions:
          - name: install
            run: |
              echo "installing \${VERSION} on \${HADES_HOST_NAME}"
              ./install.sh "\${VERSION}"
          - copy: { artifact: app, dst: /usr/local/bin/app, mode: 0755 }
          - template: { src: app.liquid, dst: /etc/app.conf, mode: "0644" }
          - mkdir: { path: "/srv/\${CHANNEL}", mode: 755 }
          - fetch: { src: /etc/app.conf, dst: "fetched/\${HADES_HOST_NAME}.conf" }
          - push: { registry: store, artifact: app, name: app, tag: "\${VERSION}" }
          - pull: { registry: store, name: app, tag: "\${VERSION}", to: /opt/app }
          - gpg: { src: "https://example.invalid/key.asc", path: /etc/apt/keyrings/k.gpg, dearmor: true }
          - wait:
              message: "Smoke tests green?"
              timeout: 30m
          - wait:
    plans:
      release:
        env:
          VERSION: "\${RELEASE}"
        steps:
          - name: canary
            job: deploy
            targets: [web]
            limit: 1
          - name: rollout
            job: deploy
            targets: web
            parallelism: "50%"
            env:
              CHANNEL: beta
      quick:
        steps:
          - { name: all, job: deploy, targets: [web-1, web], parallelism: 1, env: { VERSION: 2 } }
  `,
};

const KEYS = ['jobs', 'plans', 'hosts', 'targets', 'ssh', 'registries', 'env', 'steps', 'actions', 'run', 'copy', 'wait', 'name', 'job', 'limit', 'parallelism', 'addr', 'port', 'default', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'HADES_X', '0', '', 'a b'];
const SCALARS = ['', '~', 'null', 'true', 'no', '0', '-1', '1.5', '0x1F', '1e400', '"0%"', '"150%"', '"${X}"', '"$${Y}"', '${', '&a x', '*a', '*nope', '!!binary aGk=', '!!str 1', '!tag x', '? x', '|', '>-', '[', '{', ']', '}', '"', "'", '#', '- ', ': ', '<<: *a', '0755', '493', '"\\u0000"', '"\\uD800"', 'x'.repeat(300)];
const NOISE = ['\t', '\r', '\u0000', '\uFEFF', '\u2028', '\uFFFD', ' ', ':', '-', '&', '*', '!', '%', '@', '`', '|', '>', '\\', '\n', '---', '...'];

/** One random change to a YAML text, of the kinds a person or a bad merge makes. */
function mutate(random: Random, text: string): string {
  const lines = text.split('\n');
  const at = int(random, lines.length);
  switch (int(random, 9)) {
    case 0:
      lines.splice(at, 1);
      break;
    case 1:
      lines.splice(at, 0, lines[at]);
      break;
    case 2: {
      const line = lines[at];
      if (line.length < 2) break;
      const i = int(random, line.length - 1);
      lines[at] = line.slice(0, i) + line[i + 1] + line[i] + line.slice(i + 2);
      break;
    }
    case 3:
      lines.splice(at, 0, `${' '.repeat(int(random, 12))}${pick(random, KEYS)}: ${pick(random, SCALARS)}`);
      break;
    case 4:
      lines[at] = ' '.repeat(int(random, 14)) + lines[at].trimStart();
      break;
    case 5: {
      const line = lines[at];
      const i = int(random, line.length + 1);
      lines[at] = line.slice(0, i) + pick(random, NOISE) + line.slice(i);
      break;
    }
    case 6: {
      const colon = lines[at].indexOf(': ');
      if (colon >= 0) lines[at] = `${lines[at].slice(0, colon + 2)}${pick(random, SCALARS)}`;
      break;
    }
    case 7:
      lines.splice(at, 0, `${' '.repeat(int(random, 10))}- ${pick(random, SCALARS)}`);
      break;
    default: {
      const from = int(random, lines.length);
      lines.splice(at, 0, ...lines.slice(from, from + 1 + int(random, 6)));
    }
  }
  return lines.join('\n');
}

/** A random value built from the config's own words, so it gets past the parser into the schema. */
function randomValue(random: Random, depth: number): unknown {
  const kind = depth > 4 ? int(random, 4) : int(random, 7);
  switch (kind) {
    case 0:
      return pick(random, KEYS);
    case 1:
      return pick(random, [0, -1, 1, 1.5, 65536, 2 ** 53, Number.MAX_VALUE, true, false, null]);
    case 2:
      return pick(random, SCALARS);
    case 3:
      return String.fromCharCode(...Array.from({ length: int(random, 8) }, () => int(random, 0xffff)));
    case 4:
      return Array.from({ length: int(random, 4) }, () => randomValue(random, depth + 1));
    default: {
      const object: Record<string, unknown> = {};
      for (let i = int(random, 5); i > 0; i--) object[pick(random, KEYS)] = randomValue(random, depth + 1);
      return object;
    }
  }
}

/** Bytes of no shape at all, YAML's special characters over-represented. */
function randomText(random: Random): string {
  const chars: string[] = [];
  for (let i = int(random, 200); i > 0; i--) chars.push(random() < 0.5 ? pick(random, NOISE) : String.fromCharCode(32 + int(random, 95)));
  return chars.join('');
}

/** A problem a person can act on: it names a file of the directory, a line and a column. */
function located(problem: ConfigProblem, files: Record<string, string>): boolean {
  const at = problem.at;
  if (at === undefined || !Object.hasOwn(files, at.file)) return false;
  const lines = files[at.file].split('\n').length;
  return Number.isInteger(at.line) && at.line >= 1 && at.line <= lines && Number.isInteger(at.column) && at.column >= 1;
}

interface Tally {
  valid: number;
  specs: number;
  refused: number;
}

/** Loads `dir` and resolves every plan; fails the test on anything but a located ConfigError. */
function check(dir: string, files: Record<string, string>, label: string, tally: Tally): void {
  const expectLocated = (error: unknown): void => {
    if (!(error instanceof ConfigError)) throw new Error(`${label}: ${String((error as Error)?.stack ?? error)}\n--- input ---\n${JSON.stringify(files)}`);
    const bad = error.problems.filter((problem) => !located(problem, files));
    if (bad.length > 0) throw new Error(`${label}: problems without file:line:col: ${JSON.stringify(bad)}\n--- input ---\n${JSON.stringify(files)}`);
  };
  for (const file of readdirSync(dir)) rmSync(join(dir, file));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);

  let config;
  try {
    config = loadConfig(dir);
  } catch (error) {
    expectLocated(error);
    tally.refused++;
    return;
  }
  tally.valid++;
  for (const plan of config.plans.keys()) {
    try {
      const spec = resolveRunSpec(config, { plan, runId: `${plan}-fuzz`, cliEnv: {}, osEnv: { RELEASE: '1.2.3' } });
      // The spec is the workflow's input: it must survive JSON and batch without surprises.
      const copy = JSON.parse(JSON.stringify(spec));
      expect(copy.steps.length).toBeGreaterThan(0);
      for (const step of spec.steps) {
        for (const host of step.hosts) expect(Object.hasOwn(spec.hosts, host.name)).toBe(true);
        expect(planBatches(step.hosts.map((host) => host.name), step.parallelism).flat()).toHaveLength(step.hosts.length);
      }
      tally.specs++;
    } catch (error) {
      expectLocated(error);
    }
  }
}

describe('loading random and mutated hadesfiles', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'hades-fuzz-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads the unmutated files and resolves both plans', () => {
    const tally = { valid: 0, specs: 0, refused: 0 };
    check(dir, VALID, 'unmutated', tally);
    expect(tally).toEqual({ valid: 1, specs: 2, refused: 0 });
  });

  it.each([
    ['flow lists nested 20,000 deep', `jobs: ${'['.repeat(20_000)}${']'.repeat(20_000)}`],
    ['flow maps nested 5,000 deep', `jobs: ${'{a: '.repeat(5_000)}1${'}'.repeat(5_000)}`],
    ['block maps nested 3,000 deep', `${Array.from({ length: 3_000 }, (_, i) => `${' '.repeat(i)}a:`).join('\n')} 1`],
    ['a key of a million characters', `hosts:\n  ${'k'.repeat(1_000_000)}: { addr: 127.0.0.1 }\n`],
    ['a merge key', 'base: &b { addr: 127.0.0.1 }\nhosts:\n  h: { <<: *b }\n'],
    ['__proto__ through a merge key', 'a: &a { __proto__: { addr: 1 } }\nhosts: { <<: *a }\n'],
    ['an alias of itself', 'a: &a [*a]\n'],
    ['a binary, a set and an omap', 'hosts: { h: { addr: !!binary aGk= } }\ntargets: !!set { a, b }\nregistries: !!omap [ a: 1 ]\n'],
    ['a port past 2^64', 'hosts: { h: { addr: x, port: 99999999999999999999999 } }\n'],
    ['.nan and .inf', 'plans: { p: { steps: [ { name: s, job: j, targets: t, limit: .nan, parallelism: .inf } ] } }\n'],
    ['two documents', 'hosts: {}\n---\njobs: {}\n'],
    ['a YAML 1.1 directive', '%YAML 1.1\n---\nhosts: { h: { addr: 1, port: 0o26 } }\njobs: { j: { local: yes, actions: [ { run: x } ] } }\n'],
  ])('refuses %s with located errors, quickly', (_title, text) => {
    const tally = { valid: 0, specs: 0, refused: 0 };
    const started = Date.now();
    check(dir, { 'hostile.yaml': text }, _title, tally);
    expect(tally.refused).toBe(1);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('never crashes on 2,000 mutated copies of valid files: a config and spec, or located errors', () => {
    const random = prng(0x4ade5);
    const tally = { valid: 0, specs: 0, refused: 0 };
    for (let n = 0; n < 2000; n++) {
      const files = { ...VALID };
      const file = pick(random, Object.keys(files));
      for (let k = 1 + int(random, 4); k > 0; k--) files[file] = mutate(random, files[file]);
      check(dir, files, `mutation #${n}`, tally);
    }
    console.log(`fuzz: 2000 mutated configs: ${tally.valid} loaded (${tally.specs} specs resolved), ${tally.refused} refused with located errors`);
    expect(tally.valid + tally.refused).toBe(2000);
    expect(tally.valid).toBeGreaterThan(0);
  });

  it('never crashes on 1,500 random documents built from config words, nor on 500 of random bytes', () => {
    const random = prng(0x5eed);
    const tally = { valid: 0, specs: 0, refused: 0 };
    for (let n = 0; n < 1500; n++) {
      const document: Record<string, unknown> = {};
      for (let i = 1 + int(random, 4); i > 0; i--) document[pick(random, KEYS)] = randomValue(random, 0);
      const text = stringify(document, { aliasDuplicateObjects: false });
      check(dir, { 'random.yaml': text, ...(random() < 0.5 ? { 'inventory.yaml': VALID['inventory.yaml'] } : {}) }, `document #${n}`, tally);
    }
    for (let n = 0; n < 500; n++) check(dir, { 'noise.yml': randomText(random) }, `noise #${n}`, tally);
    console.log(`fuzz: 2000 random files: ${tally.valid} loaded, ${tally.refused} refused with located errors`);
    expect(tally.valid + tally.refused).toBe(2000);
  });
});
