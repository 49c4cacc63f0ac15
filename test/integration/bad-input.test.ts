import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { stringify } from 'yaml';
import { ConfigError } from '../../src/config/config-error';
import { loadConfig } from '../../src/config/load-config';
import { resolveRunSpec } from '../../src/spec/resolve-run-spec';
import { startRunEnv, type RunEnv } from '../support/run-env';
import { yaml } from '../support/config-dir';

const FLOOD_BYTES = 100_000_000;

const CONFIG = yaml`
  jobs:
    flood:
      actions:
        - name: flood
          run: |
            yes 'a line of output, again and again' | head -c ${FLOOD_BYTES}
            head -c 2000000 /dev/urandom
            head -c 1000000 /dev/urandom >&2
            echo; echo "the last line"; echo "the last error" >&2
            exit 3
    binary:
      actions:
        - run: head -c 3000000 /dev/urandom; head -c 3000000 /dev/urandom >&2
  plans:
    flood:
      steps:
        - { name: flood, job: flood, targets: [all] }
    binary:
      steps:
        - { name: binary, job: binary, targets: [all] }
`;

/** A plan whose one job runs `commands`, each on one host. */
function commandsPlan(name: string, commands: string[]): string {
  const actions = commands.map((command) => `        - run: ${JSON.stringify(command)}`).join('\n');
  return `jobs:\n  ${name}:\n    actions:\n${actions.replace(/^ {8}/gm, '      ')}\nplans:\n  ${name}:\n    steps:\n      - { name: ${name}, job: ${name}, targets: [all] }\n`;
}

/** How big the run's history is, encoded as the server keeps it, and its largest event. */
async function historySize(env: RunEnv, runId: string): Promise<{ events: number; bytes: number; largest: number }> {
  const history = await env.client.workflow.getHandle(runId).fetchHistory();
  const events = history.events ?? [];
  const sizes = events.map((event) => temporal.api.history.v1.HistoryEvent.encode(event).finish().length);
  return { events: events.length, bytes: temporal.api.history.v1.History.encode(history).finish().length, largest: Math.max(...sizes) };
}

const runIdOf = (stdout: string) => /^Run (\S+) started/m.exec(stdout)![1];

describe('bad input: huge output, huge commands, huge and hostile configs', () => {
  let env: RunEnv;

  beforeAll(async () => {
    env = await startRunEnv({ hosts: 1 });
    env.writeConfig('plan.yaml', CONFIG);
  });
  afterAll(() => env?.stop());

  it('keeps a run healthy and its history small when a command prints 100 MB and binary bytes', async () => {
    const started = Date.now();
    const result = await env.hades(['run', 'flood', '-c', env.configDir]);
    const runId = runIdOf(result.stdout);
    const elapsed = Date.now() - started;

    expect(result.code).toBe(1);
    expect(result.stdout).toContain('action [0] run "flood" exited with code 3');
    expect(result.stdout).toContain('the last error');
    expect(result.stdout.length + result.stderr.length).toBeLessThan(64 * 1024);

    const failure = (await env.finalProgress(runId))!.steps[0].hosts[0].failure!;
    for (const tail of [failure.action!.stdoutTail, failure.action!.stderrTail]) {
      expect(tail.length).toBeLessThanOrEqual(20);
      expect(tail.join('\n').length).toBeLessThanOrEqual(2048);
    }
    expect(failure.action!.stdoutTail.at(-1)).toBe('the last line');

    const history = await historySize(env, runId);
    expect(history.largest).toBeLessThan(100 * 1024);
    expect(history.bytes).toBeLessThan(200 * 1024);

    const log = join(dirname(env.configDir), 'logs', runId, 'host-01.log');
    const logBytes = statSync(log).size;
    expect(logBytes).toBeGreaterThan(FLOOD_BYTES + 3_000_000);
    console.log(`bad-input: 100 MB flood: run failed as told (exit 3) in ${elapsed} ms; log ${logBytes} bytes; history ${history.events} events, ${history.bytes} bytes, largest event ${history.largest} bytes; CLI printed ${result.stdout.length + result.stderr.length} chars`);
  });

  it('succeeds on a command that prints 6 MB of random bytes, with small tails', async () => {
    const result = await env.hades(['run', 'binary', '-c', env.configDir]);
    const runId = runIdOf(result.stdout);

    expect(result.code).toBe(0);
    const history = await historySize(env, runId);
    expect(history.largest).toBeLessThan(100 * 1024);
    const logBytes = statSync(join(dirname(env.configDir), 'logs', runId, 'host-01.log')).size;
    expect(logBytes).toBeGreaterThan(6_000_000);
    console.log(`bad-input: 6 MB of binary: succeeded; log ${logBytes} bytes; history ${history.events} events, ${history.bytes} bytes, largest event ${history.largest} bytes`);
  });

  it('refuses a 1 MB command at load time, naming its file and line, and starts nothing', async () => {
    env.writeConfig('huge.yaml', commandsPlan('huge', [`: ${'x'.repeat(1_000_000)}`]));
    const started = Date.now();
    const result = await env.hades(['run', 'huge', '-c', env.configDir]);
    rmSync(join(env.configDir, 'huge.yaml'));

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('huge.yaml:4:14 jobs.huge.actions[0].run: is longer than 100000 characters, more than a host\'s shell takes as one argument');
    expect(result.stdout).not.toContain('started');
    console.log(`bad-input: 1 MB command: refused at load in ${Date.now() - started} ms`);
  });

  it('runs a 90 KB command as written', async () => {
    const filler = 'y'.repeat(90_000);
    env.writeConfig('long.yaml', commandsPlan('long', [`printf '%s' '${filler}' > ${JSON.stringify(join(env.markDir, 'long'))}`]));
    const result = await env.hades(['run', 'long', '-c', env.configDir]);
    rmSync(join(env.configDir, 'long.yaml'));

    expect(result.code).toBe(0);
    expect(readFileSync(join(env.markDir, 'long'), 'utf8')).toBe(filler);
  });

  it('refuses before starting a plan whose resolved spec is too big for one Temporal payload', async () => {
    env.writeConfig('wide.yaml', commandsPlan('wide', Array.from({ length: 8 }, (_, i) => `: ${String(i).repeat(90_000)}`)));
    const before = (await env.client.workflow.count('WorkflowType = "planWorkflow"')).count;
    const result = await env.hades(['run', 'wide', '-c', env.configDir]);
    rmSync(join(env.configDir, 'wide.yaml'));

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: plan wide is too big to run: the resolved plan is 7\d\d KB, more than the 512 KB a run's input may be$/m);
    expect((await env.client.workflow.count('WorkflowType = "planWorkflow"')).count).toBe(before);
  });

  describe('a 10,000-host inventory', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'hades-big-'));
      const names = Array.from({ length: 10_000 }, (_, i) => `web-${String(i + 1).padStart(5, '0')}`);
      const hosts = names.map((name, i) => `  ${name}: { addr: 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}, port: 22 }`).join('\n');
      writeFileSync(join(dir, 'inventory.yaml'), `hosts:\n${hosts}\ntargets:\n  web: [${names.join(', ')}]\n`);
      writeFileSync(join(dir, 'plan.yaml'), yaml`
        jobs:
          deploy:
            actions:
              - run: echo deploy on "$HADES_HOST_NAME"
        plans:
          big:
            steps:
              - { name: canary, job: deploy, targets: [web], limit: 10 }
              - { name: rollout, job: deploy, targets: [web], parallelism: "10%" }
      `);
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('loads, resolves and dry-runs in reasonable time, and a real run is refused with the reason', async () => {
      let started = Date.now();
      const config = loadConfig(dir);
      const loadMs = Date.now() - started;
      started = Date.now();
      const spec = resolveRunSpec(config, { plan: 'big', runId: 'big-1', osEnv: {} });
      const resolveMs = Date.now() - started;
      expect(spec.steps[1].hosts).toHaveLength(10_000);

      started = Date.now();
      const dry = await env.hades(['run', 'big', '-c', dir, '--dry-run']);
      const dryMs = Date.now() - started;
      expect(dry.code).toBe(0);
      expect(dry.stdout.trimEnd().endsWith('web-10000 (root@10.0.39.15:22)\n      [0] run: echo deploy on "$HADES_HOST_NAME"')).toBe(true);

      started = Date.now();
      const run = await env.hades(['run', 'big', '-c', dir]);
      const runMs = Date.now() - started;
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^error: plan big is too big to run: the resolved plan is \d\.\d MB, more than the 512 KB a run's input may be$/m);
      console.log(`bad-input: 10,000 hosts: load ${loadMs} ms, resolve ${resolveMs} ms, CLI dry-run ${dryMs} ms (${dry.stdout.length} chars), CLI run refused in ${runMs} ms; heap ${Math.round(process.memoryUsage().heapUsed / 1e6)} MB`);
    });
  });

  it('refuses an alias bomb quickly, with the file and line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hades-bomb-'));
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let level = 1; level < 10; level++) {
      const prev = String.fromCharCode(96 + level);
      const name = String.fromCharCode(97 + level);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    writeFileSync(join(dir, 'bomb.yaml'), `${levels.join('\n')}\n`);
    const started = Date.now();
    let error: unknown;
    try {
      loadConfig(dir);
    } catch (caught) {
      error = caught;
    }
    rmSync(dir, { recursive: true, force: true });
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(/^bomb\.yaml:1:1 /);
    console.log(`bad-input: alias bomb (9^10 values): refused in ${Date.now() - started} ms: ${(error as ConfigError).message.split('\n')[0]}`);
  });

  it('runs a host and a step with 3,000-character names and a plan with a 151-character name', async () => {
    const host = `h${'o'.repeat(3_000)}`;
    const step = `s${'t'.repeat(3_000)}`;
    const plan = `p${'l'.repeat(150)}`;
    const { addr, port, user, identityFile } = env.fleet.hosts[0];
    // Keys past 1,024 characters must be written as explicit keys (`? key`), as stringify does.
    env.writeConfig('long-names.yaml', stringify({
      hosts: { [host]: { addr, port, user, identity_file: identityFile } },
      jobs: { touch: { actions: [{ run: `echo "$HADES_STEP" > ${JSON.stringify(join(env.markDir, 'long-names'))}` }] } },
      plans: { [plan]: { steps: [{ name: step, job: 'touch', targets: [host] }] } },
    }));
    const result = await env.hades(['run', plan, '-c', env.configDir]);
    rmSync(join(env.configDir, 'long-names.yaml'));

    console.log(`bad-input: long names: exit ${result.code}\n${(result.stdout + result.stderr).replace(/o{50,}|t{50,}|l{50,}/g, (run) => `<${run.length} x ${run[0]}>`).slice(-1500)}`);
    expect(result.code).toBe(0);
    expect(readFileSync(join(env.markDir, 'long-names'), 'utf8').trim()).toBe(step);
    expect(existsSync(join(dirname(env.configDir), 'logs'))).toBe(true);
    expect(readdirSync(join(dirname(env.configDir), 'logs')).length).toBeGreaterThan(0);
  });
});
