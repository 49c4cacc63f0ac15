import { actionTexts, validateConfig } from '../../src/config/validate-config';
import { loadErrorOf, loadFiles, removeConfigDirs, yaml } from '../support/config-dir';

afterAll(removeConfigDirs);

const inventory = yaml`
  hosts:
    web-1: { addr: 127.0.1.1 }
    web-2: { addr: 127.0.1.2 }
    db-1: { addr: 127.0.1.3 }
  targets:
    web: [web-1, web-2]
    db: [db-1]
`;

const jobs = yaml`
  jobs:
    deploy:
      env:
        VERSION:
        REGION: { default: eu }
      actions:
        - run: ./deploy.sh \${VERSION} \${REGION}
    migrate:
      actions:
        - run: ./migrate.sh
`;

/** Loads inventory.yaml and jobs.yaml with `plans` as plans.yaml; returns the rendered error. */
function planError(plans: string): string {
  return loadErrorOf({ 'inventory.yaml': inventory, 'jobs.yaml': jobs, 'plans.yaml': plans });
}

describe('validateConfig', () => {
  it('finds nothing wrong in a config whose names all resolve', () => {
    const config = loadFiles({
      'inventory.yaml': inventory,
      'jobs.yaml': jobs,
      'plans.yaml': yaml`
        plans:
          release:
            env: { VERSION: "1.0" }
            steps:
              - { name: migrate, job: migrate, targets: db }
              - { name: deploy, job: deploy, targets: [web, db-1], env: { REGION: us } }
      `,
    });

    expect(validateConfig(config)).toEqual([]);
  });

  describe('references', () => {
    it('rejects a step whose job is not defined, pointing at the step\'s job and suggesting the closest', () => {
      const message = planError(yaml`
        plans:
          release:
            steps:
              - name: migrate
                job: migrat
                targets: db
      `);

      expect(message).toBe(
        'plans.yaml:5:14 plans.release.steps[0].job: step "migrate" uses job "migrat", which is not defined\n' +
          '  hint: did you mean "migrate"? defined jobs: deploy, migrate',
      );
    });

    it('rejects a step target that is neither a target nor a host', () => {
      const message = planError(yaml`
        plans:
          release:
            steps:
              - name: deploy
                job: migrate
                targets: [web, webs, db-2]
      `);

      expect(message).toBe(
        'plans.yaml:6:24 plans.release.steps[0].targets[1]: target "webs" is neither a target nor a host\n' +
          '  hint: did you mean "web"? defined targets and hosts: web, db, web-1, web-2, db-1\n' +
          'plans.yaml:6:30 plans.release.steps[0].targets[2]: target "db-2" is neither a target nor a host\n' +
          '  hint: did you mean "db-1"? defined targets and hosts: web, db, web-1, web-2, db-1',
      );
    });

    it('accepts a host name where a step expects a target', () => {
      const plans = 'plans:\n  one:\n    steps: [{ name: a, job: migrate, targets: db-1 }]\n';

      expect(() => loadFiles({ 'inventory.yaml': inventory, 'jobs.yaml': jobs, 'plans.yaml': plans })).not.toThrow();
    });

    it('rejects a target that lists a host which is not defined, in any file', () => {
      const message = loadErrorOf({
        'inventory.yaml': inventory,
        'more.yaml': yaml`
          targets:
            all: [web-1, web-3, db-1]
        `,
      });

      expect(message).toBe(
        'more.yaml:2:16 targets.all[1]: target "all" lists host "web-3", which is not defined\n' +
          '  hint: did you mean "web-1"? defined hosts: web-1, web-2, db-1',
      );
    });

    it('says that there are no hosts when a target lists one and none is defined', () => {
      expect(loadErrorOf({ 'targets.yaml': 'targets:\n  web: [web-1]\n' })).toBe(
        'targets.yaml:2:9 targets.web[0]: target "web" lists host "web-1", which is not defined\n' +
          '  hint: there are no defined hosts',
      );
    });

    it('rejects two steps of a plan with the same name', () => {
      const message = planError(yaml`
        plans:
          release:
            steps:
              - { name: migrate, job: migrate, targets: db }
              - { name: migrate, job: migrate, targets: web }
      `);

      expect(message).toBe(
        'plans.yaml:5:17 plans.release.steps[1].name: plan "release" has two steps named "migrate"\n' +
          '  hint: give each step its own name: runs, logs and the Web UI refer to steps by name',
      );
    });
  });

  describe('variables in actions', () => {
    it('rejects an undeclared ${VAR} in a run command, pointing at the command', () => {
      const message = loadErrorOf({
        'jobs.yaml': yaml`
          jobs:
            deploy:
              env:
                VERSION:
              actions:
                - run: echo start
                - run: ./deploy.sh \${VERSON}
        `,
      });

      expect(message).toBe(
        'jobs.yaml:7:14 jobs.deploy.actions[1].run: action 1 (run) of job "deploy" uses ${VERSON}, which the job does not declare\n' +
          '  hint: declare it under jobs.deploy.env (`VERSON:` for a required value), or write $${VERSON} for a literal ${VERSON}',
      );
    });

    it('rejects an undeclared ${VAR} in a wait message', () => {
      const message = loadErrorOf({ 'jobs.yaml': 'jobs:\n  confirm:\n    actions:\n      - wait: { message: "ship ${VERSION}?" }\n' });

      expect(message).toBe(
        'jobs.yaml:4:26 jobs.confirm.actions[0].wait.message: action 0 (wait) of job "confirm" uses ${VERSION}, which the job does not declare\n' +
          '  hint: declare it under jobs.confirm.env (`VERSION:` for a required value), or write $${VERSION} for a literal ${VERSION}',
      );
    });

    it('explains what a variable name is when ${...} holds something else', () => {
      const message = loadErrorOf({ 'jobs.yaml': 'jobs:\n  deploy:\n    actions:\n      - run: echo ${release-tag}\n' });

      expect(message).toBe(
        'jobs.yaml:4:14 jobs.deploy.actions[0].run: action 0 (run) of job "deploy" uses ${release-tag}, which the job does not declare\n' +
          '  hint: a variable name is ASCII letters, digits and _; write $${...} for a literal ${...}',
      );
    });

    it('accepts HADES_* built-ins, escaped $${...} and the shell\'s own $VAR in commands', () => {
      const text = 'jobs:\n  deploy:\n    actions:\n      - run: echo ${HADES_HOST_NAME} $${HOME} $PATH\n';

      expect(() => loadFiles({ 'jobs.yaml': text })).not.toThrow();
    });

    it('rejects a HADES_* name that is not one of the built-ins', () => {
      const message = loadErrorOf({ 'jobs.yaml': 'jobs:\n  deploy:\n    actions:\n      - run: echo ${HADES_VERSION}\n' });

      expect(message).toBe(
        'jobs.yaml:4:14 jobs.deploy.actions[0].run: action 0 (run) of job "deploy" uses ${HADES_VERSION}, which the job does not declare\n' +
          "  hint: HADES_* names are Hades' own: HADES_PLAN, HADES_RUN_ID, HADES_STEP, HADES_TARGET, HADES_HOST_NAME, HADES_HOST_ADDR",
      );
    });

    it('lists the texts of each action kind that may hold ${VAR}', () => {
      expect(actionTexts({ kind: 'run', command: 'echo ${A}' })).toEqual([[['run'], 'echo ${A}']]);
      expect(actionTexts({ kind: 'wait', message: 'go?' })).toEqual([[['wait', 'message'], 'go?']]);
      expect(actionTexts({ kind: 'wait' })).toEqual([]);
    });
  });

  describe('declared names', () => {
    it.each([
      ['a job', 'jobs:\n  deploy:\n    env: { HADES_STEP: }\n    actions: [{ run: a }]\n', 'jobs.yaml:3:12 jobs.deploy.env.HADES_STEP'],
      [
        'a plan',
        'jobs:\n  deploy: { actions: [{ run: a }] }\nplans:\n  p:\n    env: { HADES_STEP: x }\n    steps: [{ name: a, job: deploy, targets: db-1 }]\n',
        'jobs.yaml:5:12 plans.p.env.HADES_STEP',
      ],
      [
        'a step',
        'jobs:\n  deploy: { actions: [{ run: a }] }\nplans:\n  p:\n    steps: [{ name: a, job: deploy, targets: db-1, env: { HADES_STEP: x } }]\n',
        'jobs.yaml:5:59 plans.p.steps[0].env.HADES_STEP',
      ],
    ])('reserves HADES_* names in the env of %s', (_, text, where) => {
      expect(loadErrorOf({ 'inventory.yaml': inventory, 'jobs.yaml': text })).toBe(
        `${where}: "HADES_STEP" is reserved: HADES_* variables are set by Hades itself\n` +
          '  hint: choose a name without the HADES_ prefix',
      );
    });

    it('rejects a declared name that is not a variable name', () => {
      const message = loadErrorOf({ 'jobs.yaml': 'jobs:\n  deploy:\n    env: { 1ST: , MY-VAR: }\n    actions: [{ run: a }]\n' });

      expect(message).toBe(
        'jobs.yaml:3:12 jobs.deploy.env.1ST: "1ST" is not a variable name\n' +
          '  hint: use letters, digits and _, not starting with a digit\n' +
          'jobs.yaml:3:19 jobs.deploy.env.MY-VAR: "MY-VAR" is not a variable name\n' +
          '  hint: use letters, digits and _, not starting with a digit',
      );
    });

    it('rejects a step env variable that its job does not declare, suggesting the closest', () => {
      const message = planError(yaml`
        plans:
          release:
            steps:
              - name: deploy
                job: deploy
                targets: web
                env: { VERSION: "1.0", REGOIN: us }
      `);

      expect(message).toBe(
        'plans.yaml:7:32 plans.release.steps[0].env.REGOIN: step env sets "REGOIN", which job "deploy" does not declare\n' +
          '  hint: did you mean "REGION"? job "deploy" declares VERSION, REGION',
      );
    });

    it('rejects a step env variable named like an Object method that its job does not declare', () => {
      const message = planError(yaml`
        plans:
          release:
            steps:
              - { name: migrate, job: migrate, targets: db, env: { constructor: x } }
      `);

      expect(message).toBe(
        'plans.yaml:4:60 plans.release.steps[0].env.constructor: step env sets "constructor", which job "migrate" does not declare\n' +
          '  hint: job "migrate" declares no variables; add constructor to its env',
      );
    });
  });

  it('reports every problem of the config together, targets first, then jobs, then plans', () => {
    const message = loadErrorOf({
      'inventory.yaml': yaml`
        hosts:
          web-1: { addr: 127.0.1.1 }
        targets:
          web: [web-1, web-9]
      `,
      'jobs.yaml': yaml`
        jobs:
          deploy:
            actions:
              - run: ./deploy.sh \${VERSION}
      `,
      'plans.yaml': yaml`
        plans:
          release:
            steps:
              - { name: one, job: deploi, targets: web }
              - { name: two, job: deploy, targets: [lb], env: { VERSION: "1" } }
      `,
    });

    expect(message).toBe(
      [
        'inventory.yaml:4:16 targets.web[1]: target "web" lists host "web-9", which is not defined',
        '  hint: did you mean "web-1"? defined hosts: web-1',
        'jobs.yaml:4:14 jobs.deploy.actions[0].run: action 0 (run) of job "deploy" uses ${VERSION}, which the job does not declare',
        '  hint: declare it under jobs.deploy.env (`VERSION:` for a required value), or write $${VERSION} for a literal ${VERSION}',
        'plans.yaml:4:27 plans.release.steps[0].job: step "one" uses job "deploi", which is not defined',
        '  hint: did you mean "deploy"? defined jobs: deploy',
        'plans.yaml:5:45 plans.release.steps[1].targets[0]: target "lb" is neither a target nor a host',
        '  hint: defined targets and hosts: web, web-1',
        'plans.yaml:5:57 plans.release.steps[1].env.VERSION: step env sets "VERSION", which job "deploy" does not declare',
        '  hint: job "deploy" declares no variables; add VERSION to its env',
      ].join('\n'),
    );
  });
});
