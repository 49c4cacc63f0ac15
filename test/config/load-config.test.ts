import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../src/config/config-error';
import { loadConfig } from '../../src/config/load-config';
import {
  configErrorOf,
  loadErrorOf,
  loadFiles,
  removeConfigDirs,
  writeConfigDir,
  yaml,
} from '../support/config-dir';

afterAll(removeConfigDirs);

const inventory = yaml`
  hosts:
    web-1: { addr: 127.0.1.1 }
    web-2: { addr: 127.0.1.2 }
  targets:
    web: [web-1, web-2]
`;

/** deploy.yaml with `parallelism: <value>` on line 15, column 22, of its second step. */
function deployWithParallelism(value: string): string {
  return yaml`
    jobs:
      deploy:
        actions:
          - run: ./deploy.sh
    plans:
      rollout:
        steps:
          - name: canary
            job: deploy
            targets: [web]
            limit: 1
          - name: rest
            job: deploy
            targets: [web]
            parallelism: ${value}
  `;
}

const PARALLELISM_HINT =
  'use a whole number of hosts (1 or more) or a percentage above 0% and at most 100%';

describe('loadConfig', () => {
  describe('reading a config directory', () => {
    it('merges every *.yaml and *.yml file, keeping names in declaration order across files', () => {
      const config = loadFiles({
        'b-hosts.yml': yaml`
          hosts:
            web-3: { addr: 127.0.1.3 }
            web-1: { addr: 127.0.1.1 }
        `,
        'a-hosts.yaml': yaml`
          hosts:
            web-2: { addr: 127.0.1.2 }
        `,
        'c-jobs.yaml': yaml`
          jobs:
            deploy:
              actions: [{ run: ./deploy.sh }]
        `,
      });

      expect(config.files).toEqual(['a-hosts.yaml', 'b-hosts.yml', 'c-jobs.yaml']);
      expect([...config.hosts.keys()]).toEqual(['web-2', 'web-3', 'web-1']);
      expect([...config.jobs.keys()]).toEqual(['deploy']);
    });

    it('ignores files of other kinds and subfolders', () => {
      const dir = writeConfigDir({
        'hosts.yaml': inventory,
        'README.md': 'jobs: [not, yaml, config]\n',
        'hosts.yaml.bak': 'this: [is not read\n',
      });
      mkdirSync(join(dir, 'files.yaml'));
      writeFileSync(join(dir, 'files.yaml', 'inner.yaml'), 'hosts: { x: {} }\n');

      expect([...loadConfig(dir).hosts.keys()]).toEqual(['web-1', 'web-2']);
    });

    it('accepts an empty file and a file holding only comments', () => {
      const config = loadFiles({ 'empty.yaml': '', 'notes.yaml': '# nothing yet\n', 'hosts.yaml': inventory });

      expect(config.hosts.size).toBe(2);
    });

    it('rejects a folder that does not exist', () => {
      expect(configErrorOf(() => loadConfig('/nonexistent/hades-config'))).toBe(
        'config directory /nonexistent/hades-config does not exist\n' +
          '  hint: pass the folder of your hadesfiles with -c DIR',
      );
    });

    it('rejects a folder without config files', () => {
      const dir = writeConfigDir({ 'notes.txt': 'hello\n' });

      expect(configErrorOf(() => loadConfig(dir))).toBe(
        `no *.yaml or *.yml files in ${dir}\n` +
          '  hint: pass the folder of your hadesfiles with -c DIR, or write one with `hades init`',
      );
    });

    it('throws a ConfigError with the code CONFIG_INVALID and one problem per mistake', () => {
      const dir = writeConfigDir({ 'hosts.yaml': 'hosts:\n  web-1: { port: 22 }\n' });

      const error = (() => {
        try {
          loadConfig(dir);
        } catch (caught) {
          return caught;
        }
      })() as ConfigError;

      expect(error).toBeInstanceOf(ConfigError);
      expect(error.code).toBe('CONFIG_INVALID');
      expect(error.problems).toEqual([
        {
          message: 'missing key "addr"',
          at: { file: 'hosts.yaml', line: 2, column: 10, path: 'hosts.web-1.addr' },
        },
      ]);
    });
  });

  describe('invalid YAML', () => {
    it('reports a syntax error with its file, line and column', () => {
      expect(loadErrorOf({ 'hosts.yaml': 'hosts:\n  web-1: { addr: 127.0.1.1\n  web-2: {}\n' })).toBe(
        'hosts.yaml:3:3 invalid YAML: Flow map in block collection must be sufficiently indented and end with a }',
      );
    });

    it('reports a key written twice in one file', () => {
      const text = yaml`
        hosts:
          web-1: { addr: 127.0.1.1 }
          web-1: { addr: 127.0.1.2 }
      `;

      expect(loadErrorOf({ 'hosts.yaml': text })).toBe('hosts.yaml:3:3 invalid YAML: Map keys must be unique');
    });

    it('rejects a file that is a list rather than a map', () => {
      expect(loadErrorOf({ 'hosts.yaml': '- web-1\n- web-2\n' })).toBe('hosts.yaml:1:1 must be a map, not a list');
    });

    it('rejects an alias bomb quickly instead of expanding it', () => {
      let bomb = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n';
      for (const [name, previous] of [...'bcdefghi'].map((letter, i) => [letter, 'abcdefgh'[i]])) {
        bomb += `${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]\n`;
      }

      const started = Date.now();
      const message = loadErrorOf({ 'bomb.yaml': `targets:\n${bomb.replace(/^/gm, '  ')}` });

      expect(message).toBe(
        'bomb.yaml:1:1 invalid YAML: Excessive alias count indicates a resource exhaustion attack\n' +
          '  hint: write the values out instead of nesting aliases this deep',
      );
      expect(Date.now() - started).toBeLessThan(1000);
    });

    it('rejects a wide alias fan-out before checking or reporting its many values', () => {
      const names = Array.from({ length: 400 }, (_, i) => `h${i}`).join(', ');
      let text = `targets:\n  base: &all [${names}]\n`;
      for (let i = 0; i < 399; i++) text += `  t${i}: *all\n`;

      const started = Date.now();
      const message = loadErrorOf({ 'fan.yaml': text });

      expect(message).toBe(
        `fan.yaml:1:1 aliases expand this file to more than ${text.length + 10_000} values\n` +
          '  hint: write the values out, or alias fewer or smaller blocks',
      );
      // Parsing the text itself takes most of this; expanding it used to take minutes.
      expect(Date.now() - started).toBeLessThan(3000);
    });

    it('still allows an alias that repeats a block, as configs legitimately do', () => {
      const config = loadFiles({
        'hosts.yaml': inventory,
        'deploy.yaml': yaml`
          jobs:
            deploy:
              env: { REGION: }
              actions: [{ run: ./deploy.sh }]
          plans:
            one:
              env: &common { REGION: eu }
              steps: [{ name: a, job: deploy, targets: web }]
            two:
              env: *common
              steps: [{ name: a, job: deploy, targets: web }]
        `,
      });

      expect(config.plans.get('two')?.value.env).toEqual({ REGION: 'eu' });
    });

    it('refuses __proto__ as a name, which would otherwise set a prototype and vanish', () => {
      const text = yaml`
        hosts:
          __proto__: { addr: 127.0.1.1 }
      `;

      expect(loadErrorOf({ 'hosts.yaml': text })).toBe(
        'hosts.yaml:2:3 hosts.__proto__: "__proto__" cannot be used as a name\n  hint: choose another name',
      );
    });
  });

  describe('parallelism', () => {
    it.each([
      ['"0%"', '"0%"'],
      ['"0"', '"0"'],
      ['0', '0'],
      ['"1.5"', '"1.5"'],
      ['1.5', '1.5'],
      ['"101%"', '"101%"'],
      ['"-1"', '"-1"'],
      ['-1', '-1'],
      ['"abc"', '"abc"'],
      ['abc', '"abc"'],
      ['"5 %"', '"5 %"'],
      ['"50.5%"', '"50.5%"'],
      ['"05"', '"05"'],
      ['true', 'true'],
      ['[5]', '[5]'],
      ['.nan', 'NaN'],
      ['.inf', 'Infinity'],
    ])('rejects parallelism: %s at load time, naming the file and line', (written, shown) => {
      const message = loadErrorOf({ 'hosts.yaml': inventory, 'deploy.yaml': deployWithParallelism(written) });

      expect(message).toBe(
        `deploy.yaml:15:22 plans.rollout.steps[1].parallelism: ${shown} is not a parallelism; ${PARALLELISM_HINT}`,
      );
    });

    it.each([
      ['"1"', { kind: 'count', count: 1 }],
      ['5', { kind: 'count', count: 5 }],
      ['"5"', { kind: 'count', count: 5 }],
      ['"40%"', { kind: 'percent', percent: 40 }],
      ['"100%"', { kind: 'percent', percent: 100 }],
    ])('accepts parallelism: %s', (written, parallelism) => {
      const config = loadFiles({ 'hosts.yaml': inventory, 'deploy.yaml': deployWithParallelism(written) });

      expect(config.plans.get('rollout')?.value.steps[1].parallelism).toEqual(parallelism);
    });

    it('leaves parallelism unset when the step does not write it', () => {
      const config = loadFiles({ 'hosts.yaml': inventory, 'deploy.yaml': deployWithParallelism('"1"') });

      expect(config.plans.get('rollout')?.value.steps[0].parallelism).toBeUndefined();
    });
  });

  describe('keys', () => {
    it('rejects a misspelt key with a did-you-mean hint instead of ignoring it', () => {
      const text = yaml`
        jobs:
          deploy:
            actions: [{ run: ./deploy.sh }]
        plans:
          rollout:
            steps:
              - name: all
                job: deploy
                targets: [web]
                paralellism: "5"
      `;

      expect(loadErrorOf({ 'hosts.yaml': inventory, 'deploy.yaml': text })).toBe(
        'deploy.yaml:10:9 plans.rollout.steps[0].paralellism: unknown key "paralellism"\n' +
          '  hint: did you mean "parallelism"? valid keys here are name, job, targets, env, parallelism, limit, retries',
      );
    });

    it('lists the valid keys when no key is close to the unknown one', () => {
      const text = yaml`
        hosts:
          web-1: { addr: 127.0.1.1, shell: zsh }
      `;

      expect(loadErrorOf({ 'hosts.yaml': text })).toBe(
        'hosts.yaml:2:29 hosts.web-1.shell: unknown key "shell"\n' +
          '  hint: valid keys here are addr, user, port, identity_file',
      );
    });

    it('says a file with no hadesfile key at all, such as a compose file, is not a hadesfile', () => {
      expect(loadErrorOf({ 'compose.yml': 'services:\n  db: { image: postgres }\nvolumes: {}\n' })).toBe(
        'compose.yml:1:1 compose.yml is not a hadesfile: it has none of the keys jobs, plans, hosts, targets, ssh, registries\n' +
          '  hint: every *.yaml and *.yml file of the config directory is read: point -c at the folder of your hadesfiles, or move this file out of it',
      );
    });

    it('suggests the section a misspelt top-level key was meant to be', () => {
      expect(loadErrorOf({ 'hosts.yaml': 'host:\n  web-1: { addr: 127.0.1.1 }\n' })).toBe(
        'hosts.yaml:1:1 host: unknown key "host"\n' +
          '  hint: did you mean "hosts"? valid keys here are jobs, plans, hosts, targets, ssh, registries',
      );
    });

    it('suggests the action kind a misspelt action was meant to be', () => {
      const text = yaml`
        jobs:
          deploy:
            actions:
              - runn: ./deploy.sh
      `;

      expect(loadErrorOf({ 'jobs.yaml': text })).toBe(
        'jobs.yaml:4:9 jobs.deploy.actions[0].runn: unknown key "runn"\n' +
          '  hint: did you mean "run"? valid action kinds are run, copy, template, mkdir, fetch, push, pull, gpg, wait',
      );
    });
  });

  describe('names defined in several files', () => {
    it('rejects a host and a target defined in two files, pointing at both', () => {
      const message = loadErrorOf({
        'a.yaml': inventory,
        'b.yaml': yaml`
          hosts:
            web-2: { addr: 127.0.1.9 }
          targets:
            web: [web-2]
        `,
      });

      expect(message).toBe(
        'b.yaml:2:3 hosts.web-2: host "web-2" is defined twice\n' +
          '  hint: it is first defined at a.yaml:3; rename or remove one of them\n' +
          'b.yaml:4:3 targets.web: target "web" is defined twice\n' +
          '  hint: it is first defined at a.yaml:5; rename or remove one of them',
      );
    });

    it('rejects a job and a plan defined in two files', () => {
      const jobs = yaml`
        jobs:
          deploy:
            actions: [{ run: ./deploy.sh }]
        plans:
          rollout:
            steps: [{ name: all, job: deploy, targets: web }]
      `;

      expect(loadErrorOf({ 'a.yaml': inventory, 'b.yaml': jobs, 'c.yaml': jobs })).toBe(
        'c.yaml:2:3 jobs.deploy: job "deploy" is defined twice\n' +
          '  hint: it is first defined at b.yaml:2; rename or remove one of them\n' +
          'c.yaml:5:3 plans.rollout: plan "rollout" is defined twice\n' +
          '  hint: it is first defined at b.yaml:5; rename or remove one of them',
      );
    });
  });

  describe('ssh settings', () => {
    it('reads known_hosts and connect_timeout, the timeout in milliseconds', () => {
      const config = loadFiles({ 'ssh.yaml': 'ssh:\n  known_hosts: ./known_hosts\n  connect_timeout: 1m30s\n' });

      expect(config.ssh).toEqual({ knownHosts: './known_hosts', connectTimeoutMs: 90_000 });
    });

    it('rejects an ssh setting made in two files, pointing at both', () => {
      const message = loadErrorOf({
        'a.yaml': 'ssh:\n  known_hosts: ./a_known_hosts\n  connect_timeout: 10s\n',
        'b.yaml': 'ssh:\n  known_hosts: ./b_known_hosts\n',
        'c.yaml': 'ssh: { connect_timeout: 20s }\n',
      });

      expect(message).toBe(
        'b.yaml:2:3 ssh.known_hosts: ssh.known_hosts is set twice\n' +
          '  hint: it is first set at a.yaml:2; keep one of them\n' +
          'c.yaml:1:8 ssh.connect_timeout: ssh.connect_timeout is set twice\n' +
          '  hint: it is first set at a.yaml:3; keep one of them',
      );
    });

    it('rejects a connect_timeout that is not a duration', () => {
      expect(loadErrorOf({ 'ssh.yaml': 'ssh:\n  connect_timeout: soon\n' })).toBe(
        'ssh.yaml:2:20 ssh.connect_timeout: "soon" is not a duration; write it like "30s", "5m" or "1h30m"',
      );
    });
  });

  describe('shapes', () => {
    it.each([
      ['port: 0', 'hosts.web-1.port: must be a port number from 1 to 65535', 35],
      ['port: 70000', 'hosts.web-1.port: must be a port number from 1 to 65535', 35],
      ['port: "22"', 'hosts.web-1.port: must be a port number from 1 to 65535', 35],
      ['user: ""', 'hosts.web-1.user: must not be empty', 35],
      ['identity_file: [a]', 'hosts.web-1.identity_file: must be a string, not a list', 44],
    ])('rejects a host with %s', (field, expected, column) => {
      const text = `hosts:\n  web-1: { addr: 127.0.1.1, ${field} }\n`;

      expect(loadErrorOf({ 'hosts.yaml': text })).toBe(`hosts.yaml:2:${column} ${expected}`);
    });

    it.each([
      ['{ actions: [] }', 'jobs.deploy.actions: a job needs at least one action', 22],
      ['{ actions: [{ run: "" }] }', 'jobs.deploy.actions[0].run: must not be empty', 30],
      ['{ actions: [{ run: [a] }] }', 'jobs.deploy.actions[0].run: must be a command string', 30],
      [
        '{ actions: [{ run: a, wait: }] }',
        'jobs.deploy.actions[0]: an action has exactly one kind (run, copy, template, mkdir, fetch, push, pull, gpg, wait); found run and wait',
        23,
      ],
      ['{ actions: [{ name: a }] }', 'jobs.deploy.actions[0]: an action has exactly one kind (run, copy, template, mkdir, fetch, push, pull, gpg, wait); found none', 23],
      ['{ actions: ["run: a"] }', 'jobs.deploy.actions[0]: an action must be a map with one of: run, copy, template, mkdir, fetch, push, pull, gpg, wait', 23],
      [
        '{ actions: [{ wait: { timeout: 0s } }] }',
        'jobs.deploy.actions[0].wait.timeout: "0s" is not a duration; write it like "30s", "5m" or "1h30m"',
        42,
      ],
      ['{ actions: [{ wait: { timeout: 300 } }] }', 'jobs.deploy.actions[0].wait.timeout: must be a string, not a number', 42],
      ['{ env: { A: 5 }, actions: [{ run: a }] }', 'jobs.deploy.env.A: must be a map, not a number', 23],
      ['{ env: { A: { default: [1] } }, actions: [{ run: a }] }', 'jobs.deploy.env.A.default: must be a string, a number or true/false', 34],
    ])('rejects the job %s with a message that says what is wrong', (job, expected, column) => {
      expect(loadErrorOf({ 'jobs.yaml': `jobs:\n  deploy: ${job}\n` })).toBe(`jobs.yaml:2:${column} ${expected}`);
    });

    it.each([
      ['{ name: a, job: deploy, targets: [] }', 'plans.p.steps[0].targets: must name at least one target'],
      ['{ name: a, job: deploy, targets: 5 }', 'plans.p.steps[0].targets: must be a target name or a list of target names'],
      ['{ name: a, job: deploy, targets: web, limit: 0 }', 'plans.p.steps[0].limit: must be a whole number of hosts, 1 or more'],
      ['{ name: a, job: deploy, targets: web, limit: "2" }', 'plans.p.steps[0].limit: must be a whole number of hosts, 1 or more'],
      ['{ name: a, job: deploy, targets: web, limit: 1.5 }', 'plans.p.steps[0].limit: must be a whole number of hosts, 1 or more'],
    ])('rejects the step %s', (step, expected) => {
      const message = loadErrorOf({ 'plans.yaml': `plans:\n  p:\n    steps:\n      - ${step}\n` });

      expect(message.replace(/^plans\.yaml:4:\d+ /, '')).toBe(expected);
    });

    it('names the missing key of a step and points at the step', () => {
      expect(loadErrorOf({ 'plans.yaml': 'plans:\n  p:\n    steps:\n      - { name: a, targets: web }\n' })).toBe(
        'plans.yaml:4:9 plans.p.steps[0].job: missing key "job"',
      );
    });
  });

  describe('several problems', () => {
    it('reports the problems of every file together, in file order', () => {
      const message = loadErrorOf({
        'a.yaml': 'hosts:\n  web-1: { addr: 127.0.1.1, prot: 22 }\n',
        'b.yaml': 'jobs:\n  deploy: { actions: [] }\n',
        'c.yaml': 'targets: [web-1]\n',
      });

      expect(message).toBe(
        'a.yaml:2:29 hosts.web-1.prot: unknown key "prot"\n' +
          '  hint: did you mean "port"? valid keys here are addr, user, port, identity_file\n' +
          'b.yaml:2:22 jobs.deploy.actions: a job needs at least one action\n' +
          'c.yaml:1:10 targets: must be a map, not a list',
      );
    });
  });
});
