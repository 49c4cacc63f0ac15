import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeExample } from '../../src/client/commands/init';
import { listPlans } from '../../src/client/commands/plans';
import { UserError } from '../../src/client/user-error';
import { loadConfig } from '../../src/config/load-config';
import { resolveRunSpec } from '../../src/spec/resolve-run-spec';
import { renderDryRun } from '../../src/ui/render-dry-run';

describe('hades init', () => {
  let base: string;

  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), 'hades-init-'));
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  it('writes a config that loads, with a plan of canary, gate and rollout on one host on 127.0.0.1', () => {
    const dir = join(base, 'new', 'example');
    expect(writeExample(dir)).toEqual(['hadesfile.yaml', 'inventory.yaml']);

    const config = loadConfig(dir);
    expect(listPlans(config, true)).toEqual([
      '  release  (3 steps: canary, approve, rollout)',
      '    - canary: job greet on web, all at once, limit 1',
      '    - approve: job approval on web, all at once, limit 1',
      '    - rollout: job greet on web, 50% at a time',
    ]);
    const spec = resolveRunSpec(config, { plan: 'release', runId: 'release-1', cliEnv: {} });
    expect(spec.hosts.local.addr).toBe('127.0.0.1');
    expect(spec.steps[1].actions.map((action) => action.kind)).toEqual(['wait']);
    const dryRun = renderDryRun(spec).join('\n');
    expect(dryRun).toContain('echo "hello from local (127.0.0.1), step canary"');
    expect(dryRun).toContain('echo "hi again from local (127.0.0.1), step rollout"');
    expect(dryRun).toContain('gate once per batch: The canary looks fine. Roll out to every host?');
  });

  it('is what the built CLI writes, and the CLI lists and dry-runs it', () => {
    const hades = (...args: string[]) => spawnSync(process.execPath, [join(__dirname, '..', '..', 'bin', 'hades'), ...args], { cwd: base, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    const init = hades('init', 'example');
    const plans = hades('plans', '-c', 'example');
    const dryRun = hades('run', 'release', '-c', 'example', '--dry-run');
    const again = hades('init', 'example');

    expect(init.stdout.split('\n')[0]).toBe('wrote example/hadesfile.yaml, example/inventory.yaml');
    expect(init.status).toBe(0);
    expect(plans.stdout).toContain('release  (3 steps: canary, approve, rollout)');
    expect(plans.status).toBe(0);
    expect(dryRun.stdout).toContain('Dry run of plan release: nothing is executed, no host is contacted.');
    expect(dryRun.status).toBe(0);
    expect(again.stderr).toBe(`error: ${join(base, 'example')} is not empty (2 entries); hades init writes only into an empty folder\n  hint: name a new folder: hades init DIR\n`);
    expect(again.status).toBe(1);
  });

  it('writes into an empty folder that already exists', () => {
    writeExample(base);

    expect(readdirSync(base).sort()).toEqual(['hadesfile.yaml', 'inventory.yaml']);
  });

  it('refuses a folder that holds anything, and leaves it as it was', () => {
    writeFileSync(join(base, 'notes.txt'), 'mine');
    mkdirSync(join(base, 'sub'));

    expect(() => writeExample(base)).toThrow(new UserError(`${base} is not empty (2 entries); hades init writes only into an empty folder`));
    expect(readdirSync(base).sort()).toEqual(['notes.txt', 'sub']);
  });

  it('refuses a file', () => {
    const file = join(base, 'file.yaml');
    writeFileSync(file, '');

    expect(() => writeExample(file)).toThrow(`${file} is a file, not a folder`);
  });
});
