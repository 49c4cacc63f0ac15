import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../../src/config/config';
import { resolveRunSpec, type RunRequest } from '../../src/spec/resolve-run-spec';
import { configErrorOf, loadFiles, removeConfigDirs, yaml } from '../support/config-dir';

afterAll(removeConfigDirs);

const inventory = yaml`
  hosts:
    web-1: { addr: 127.0.1.1 }
    web-2: { addr: 127.0.1.2, port: 2222, user: deploy, identity_file: ~/.ssh/id_hades }
    web-3: { addr: 127.0.1.3, identity_file: keys/web }
    db-1: { addr: 127.0.1.11, identity_file: /etc/hades/db_key }
  targets:
    web: [web-2, web-1, web-3]
    db: [db-1]
    empty: []
`;

const jobs = yaml`
  jobs:
    deploy:
      env:
        VERSION:
        REGION: { default: eu }
        COLOR: { default: blue, description: which pool }
        NOTE: { default: "" }
      actions:
        - run: ./deploy.sh \${VERSION} \${REGION}
          name: ship it
        - wait: { message: "healthy on \${HADES_HOST_NAME}?", timeout: 5m }
        - wait:
    migrate:
      actions:
        - run: ./migrate.sh
`;

function load(plans: string, more: Record<string, string> = {}): Config {
  return loadFiles({ 'inventory.yaml': inventory, 'jobs.yaml': jobs, 'plans.yaml': plans, ...more });
}

function resolve(config: Config, request: Partial<RunRequest> = {}) {
  return resolveRunSpec(config, { plan: 'release', runId: 'release-1', osEnv: {}, ...request });
}

function resolveError(config: Config, request: Partial<RunRequest> = {}): string {
  return configErrorOf(() => resolve(config, request));
}

describe('resolveRunSpec', () => {
  it('resolves a plan into plain data: steps with their hosts, env and actions, and each host once', () => {
    const config = load(yaml`
      plans:
        release:
          env: { VERSION: "1.0" }
          steps:
            - { name: migrate, job: migrate, targets: db }
            - { name: canary, job: deploy, targets: web, limit: 1 }
            - { name: rest, job: deploy, targets: [web], parallelism: "50%" }
    `);

    const spec = resolve(config);

    expect(spec).toEqual({
      runId: 'release-1',
      registries: {},
      plan: 'release',
      configDir: config.dir,
      hosts: {
        'db-1': { name: 'db-1', addr: '127.0.1.11', port: 22, user: userInfo().username, identityFile: '/etc/hades/db_key' },
        'web-2': { name: 'web-2', addr: '127.0.1.2', port: 2222, user: 'deploy', identityFile: join(homedir(), '.ssh/id_hades') },
        'web-1': { name: 'web-1', addr: '127.0.1.1', port: 22, user: userInfo().username },
        'web-3': { name: 'web-3', addr: '127.0.1.3', port: 22, user: userInfo().username, identityFile: join(config.dir, 'keys/web') },
      },
      steps: [
        {
          name: 'migrate',
          job: 'migrate',
          targets: ['db'],
          hosts: [{ name: 'db-1', target: 'db' }],
          parallelism: { kind: 'all' },
          env: {},
          actions: [{ kind: 'run', index: 0, command: './migrate.sh' }],
        },
        {
          name: 'canary',
          job: 'deploy',
          targets: ['web'],
          hosts: [{ name: 'web-2', target: 'web' }],
          parallelism: { kind: 'all' },
          limit: 1,
          env: { VERSION: '1.0', REGION: 'eu', COLOR: 'blue', NOTE: '' },
          actions: [
            { kind: 'run', index: 0, label: 'ship it', command: './deploy.sh ${VERSION} ${REGION}' },
            { kind: 'wait', index: 1, message: 'healthy on ${HADES_HOST_NAME}?', timeoutMs: 300_000 },
            { kind: 'wait', index: 2 },
          ],
        },
        {
          name: 'rest',
          job: 'deploy',
          targets: ['web'],
          hosts: [
            { name: 'web-2', target: 'web' },
            { name: 'web-1', target: 'web' },
            { name: 'web-3', target: 'web' },
          ],
          parallelism: { kind: 'percent', percent: 50 },
          env: { VERSION: '1.0', REGION: 'eu', COLOR: 'blue', NOTE: '' },
          actions: [
            { kind: 'run', index: 0, label: 'ship it', command: './deploy.sh ${VERSION} ${REGION}' },
            { kind: 'wait', index: 1, message: 'healthy on ${HADES_HOST_NAME}?', timeoutMs: 300_000 },
            { kind: 'wait', index: 2 },
          ],
        },
      ],
    });
    expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
  });

  describe('hosts', () => {
    const config = load(yaml`
      plans:
        release:
          steps:
            - { name: a, job: migrate, targets: [db, web, web-1] }
            - { name: b, job: migrate, targets: web, limit: 2, parallelism: "50%" }
    `);

    it('orders a step\'s hosts by its targets in declaration order, duplicates dropped at first occurrence', () => {
      expect(resolve(config).steps[0].hosts.map((host) => host.name)).toEqual(['db-1', 'web-2', 'web-1', 'web-3']);
    });

    it('applies limit to that order before parallelism, keeping parallelism as written', () => {
      const step = resolve(config).steps[1];

      expect(step.hosts.map((host) => host.name)).toEqual(['web-2', 'web-1']);
      expect(step.limit).toBe(2);
      expect(step.parallelism).toEqual({ kind: 'percent', percent: 50 });
    });

    it('defaults the port to 22 and the user to the local user', () => {
      expect(resolve(config).hosts['web-1']).toEqual({
        name: 'web-1',
        addr: '127.0.1.1',
        port: 22,
        user: userInfo().username,
      });
    });

    it('expands ~ in identity_file to the home folder and resolves a relative one from the config folder', () => {
      const { hosts } = resolve(config);

      expect(hosts['web-2'].identityFile).toBe(join(homedir(), '.ssh', 'id_hades'));
      expect(hosts['web-3'].identityFile).toBe(join(config.dir, 'keys', 'web'));
      expect(hosts['db-1'].identityFile).toBe('/etc/hades/db_key');
    });

    it('lists a host named like an Object method among the hosts', () => {
      const odd = loadFiles({
        'all.yaml': yaml`
          hosts:
            constructor: { addr: 127.0.1.1 }
            toString: { addr: 127.0.1.2 }
          jobs:
            noop: { actions: [{ run: "true" }] }
          plans:
            release:
              steps: [{ name: a, job: noop, targets: [constructor, toString] }]
        `,
      });

      const { hosts } = resolve(odd);

      expect(Object.keys(hosts)).toEqual(['constructor', 'toString']);
      expect(hosts.constructor).toEqual({
        name: 'constructor',
        addr: '127.0.1.1',
        port: 22,
        user: userInfo().username,
      });
    });

    it('expands known_hosts like any path and leaves it out when unset', () => {
      const plans = 'plans:\n  release:\n    steps: [{ name: a, job: migrate, targets: db }]\n';
      const withFile = load(plans, { 'ssh.yaml': 'ssh: { known_hosts: ./known_hosts }\n' });

      expect(resolve(withFile).knownHostsFile).toBe(join(withFile.dir, 'known_hosts'));
      expect('knownHostsFile' in resolve(load(plans))).toBe(false);
    });

    it('rejects a step whose targets list no hosts', () => {
      const config = load('plans:\n  release:\n    steps:\n      - { name: a, job: migrate, targets: empty }\n');

      expect(resolveError(config)).toBe(
        'plans.yaml:4:43 plans.release.steps[0].targets: step "a" selects no hosts\n' +
          '  hint: targets empty list no hosts',
      );
    });
  });

  describe('-t target override', () => {
    const config = load(yaml`
      plans:
        release:
          steps:
            - { name: migrate, job: migrate, targets: db }
            - { name: deploy, job: migrate, targets: web, limit: 2 }
    `);

    it('replaces the targets of every step, keeping each step\'s limit', () => {
      const spec = resolve(config, { targets: ['web-3', 'db'] });

      expect(spec.steps.map((step) => step.targets)).toEqual([['web-3', 'db'], ['web-3', 'db']]);
      const hostNames = spec.steps.map((step) => step.hosts.map((host) => host.name));

      expect(hostNames).toEqual([['web-3', 'db-1'], ['web-3', 'db-1']]);
      expect(Object.keys(spec.hosts)).toEqual(['web-3', 'db-1']);
    });

    it('rejects an override that is neither a target nor a host, once rather than once per step', () => {
      expect(resolveError(config, { targets: ['webb'] })).toBe(
        '-t webb: neither a target nor a host\n' +
          '  hint: did you mean "web"? defined targets and hosts: web, db, empty, web-1, web-2, web-3, db-1',
      );
    });
  });

  describe('env', () => {
    const plans = yaml`
      plans:
        release:
          env: { VERSION: "\${RELEASE}", REGION: plan, COLOR: plan }
          steps:
            - { name: one, job: deploy, targets: web, env: { REGION: step } }
            - { name: two, job: deploy, targets: web }
    `;

    it('takes each variable from the CLI, then the step, then the plan, then the job default', () => {
      const spec = resolve(load(plans), { osEnv: { RELEASE: '2.0' }, cliEnv: { COLOR: 'cli' } });

      expect(spec.steps.map((step) => step.env)).toEqual([
        { VERSION: '2.0', REGION: 'step', COLOR: 'cli', NOTE: '' },
        { VERSION: '2.0', REGION: 'plan', COLOR: 'cli', NOTE: '' },
      ]);
    });

    it('takes the job default when nothing else sets a variable, an empty string included', () => {
      const spec = resolve(load('plans:\n  release:\n    steps: [{ name: a, job: deploy, targets: web, env: { VERSION: "1" } }]\n'));

      expect(spec.steps[0].env).toEqual({ VERSION: '1', REGION: 'eu', COLOR: 'blue', NOTE: '' });
    });

    it('rejects a required variable that nothing sets, for every step that needs it', () => {
      const config = load('plans:\n  release:\n    steps:\n      - { name: a, job: deploy, targets: web }\n      - { name: b, job: migrate, targets: db }\n');

      expect(resolveError(config)).toBe(
        'plans.yaml:4:9 plans.release.steps[0]: step "a" runs job "deploy", which requires VERSION, and nothing sets it\n' +
          "  hint: pass -e VERSION=VALUE, or set VERSION in the step's or the plan's env",
      );
    });

    it('fills ${VAR} in plan and step env from the OS environment, once', () => {
      const config = load(yaml`
        plans:
          release:
            env: { VERSION: "v\${RELEASE}-\${BUILD}" }
            steps: [{ name: a, job: deploy, targets: web, env: { REGION: "\${REGION_FROM_OS}" } }]
      `);

      const spec = resolve(config, { osEnv: { RELEASE: '2', BUILD: '77', REGION_FROM_OS: 'us', UNUSED: undefined } });

      expect(spec.steps[0].env).toMatchObject({ VERSION: 'v2-77', REGION: 'us' });
    });

    it('reads the OS environment of the process when the request gives none', () => {
      const config = load(plans);
      process.env.RELEASE = 'from-process';
      try {
        const spec = resolveRunSpec(config, { plan: 'release', runId: 'release-1' });

        expect(spec.steps[0].env.VERSION).toBe('from-process');
      } finally {
        delete process.env.RELEASE;
      }
    });

    it('keeps an escaped $${VAR} in plan env as a literal ${VAR}', () => {
      const config = load('plans:\n  release:\n    env: { VERSION: "$${TAG}" }\n    steps: [{ name: a, job: deploy, targets: web }]\n');

      expect(resolve(config).steps[0].env.VERSION).toBe('${TAG}');
    });

    it('rejects ${VAR} in plan or step env that the OS environment does not set', () => {
      expect(resolveError(load(plans))).toBe(
        'plans.yaml:3:21 plans.release.env.VERSION: env VERSION uses ${RELEASE}, which is not set in the environment\n' +
          '  hint: export RELEASE before running hades, or pass -e VERSION=VALUE\n' +
          'plans.yaml:5:9 plans.release.steps[0]: step "one" runs job "deploy", which requires VERSION, and nothing sets it\n' +
          "  hint: pass -e VERSION=VALUE, or set VERSION in the step's or the plan's env\n" +
          'plans.yaml:6:9 plans.release.steps[1]: step "two" runs job "deploy", which requires VERSION, and nothing sets it\n' +
          "  hint: pass -e VERSION=VALUE, or set VERSION in the step's or the plan's env",
      );
    });

    it('lets -e stand in for a plan or step env value whose OS variable is missing, as the hint says', () => {
      const config = load(yaml`
        plans:
          release:
            env: { VERSION: "\${RELEASE}" }
            steps: [{ name: a, job: deploy, targets: web, env: { VERSION: "\${RELEASE}" } }]
      `);

      expect(resolve(config, { cliEnv: { VERSION: '3' } }).steps[0].env.VERSION).toBe('3');
    });

    it('rejects -e names that are reserved or not variable names', () => {
      const config = load('plans:\n  release:\n    steps: [{ name: a, job: migrate, targets: db }]\n');

      expect(resolveError(config, { cliEnv: { HADES_STEP: 'x', 'MY-VAR': 'y' } })).toBe(
        '-e HADES_STEP: HADES_* variables are set by Hades itself\n' +
          '  hint: choose a name without the HADES_ prefix\n' +
          '-e MY-VAR: not a variable name\n' +
          '  hint: use letters, digits and _, not starting with a digit',
      );
    });
    it('rejects an -e that no job of the plan declares, suggesting the name it was likely meant to be', () => {
      const config = load('plans:\n  release:\n    env: { VERSION: "1" }\n    steps: [{ name: a, job: deploy, targets: web }]\n');

      expect(resolveError(config, { cliEnv: { VERISON: '2.0' } })).toBe(
        '-e VERISON: no job of plan "release" declares VERISON, so it would change nothing\n' +
          '  hint: did you mean "VERSION"? the plan\'s jobs declare VERSION, REGION, COLOR, NOTE',
      );
    });
  });

  it('rejects a plan that is not defined, suggesting the closest', () => {
    const config = load('plans:\n  release:\n    steps: [{ name: a, job: migrate, targets: db }]\n');

    expect(resolveError(config, { plan: 'relase' })).toBe(
      'plan "relase" is not defined\n  hint: did you mean "release"? defined plans: release',
    );
  });

  it('says where it looked when no plan is defined at all', () => {
    const config = loadFiles({ 'inventory.yaml': inventory });

    expect(resolveError(config)).toBe(`plan "release" is not defined\n  hint: no plan is defined in ${config.dir}`);
  });
});
