import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { shellPath } from '../../src/actions/remote-file';
import { startRunEnv, type RunEnv } from '../support/run-env';

/** Names that break a tool which pastes paths into a shell unquoted, or passes them as options. */
const NAMES = ['new\nline', '-leading dash', '--help', `it's "quoted"`, '$(touch pwned-dollar)', '`touch pwned-tick`', ' spaced\ttab ', '*'];

const CONF = 'listen 8080\n';

function config(base: string): string {
  const steps = NAMES.map((name, index) => `      - { name: "name-${index}", job: hostile, targets: [all], env: { NAME: ${JSON.stringify(name)} } }`);
  return [
    'jobs:',
    '  hostile:',
    '    env:',
    '      NAME:',
    `      BASE: { default: ${JSON.stringify(base)} }`,
    '    actions:',
    '      - mkdir: { path: "${BASE}/${NAME}", mode: 0750 }',
    '      - copy: { src: files/-leading.conf, dst: "${BASE}/${NAME}/${NAME}.conf", mode: "0600" }',
    '      - template: { src: templates/-t.liquid, dst: "${BASE}/${NAME}/t-${NAME}" }',
    '      - fetch: { src: "${BASE}/${NAME}/${NAME}.conf", dst: "fetched/-${NAME}" }',
    'plans:',
    '  hostile:',
    '    steps:',
    ...steps,
    '',
  ].join('\n');
}

describe('hostile paths through copy, mkdir, template and fetch', () => {
  let env: RunEnv;
  let base: string;

  beforeAll(async () => {
    env = await startRunEnv({ hosts: 1 });
    base = join(env.markDir, 'landed');
    mkdirSync(base);
    mkdirSync(join(env.configDir, 'files'));
    mkdirSync(join(env.configDir, 'templates'));
    writeFileSync(join(env.configDir, 'files', '-leading.conf'), CONF);
    writeFileSync(join(env.configDir, 'templates', '-t.liquid'), 'name=[{{ Env.NAME }}]\n');
    env.writeConfig('plan.yaml', config(base));
  });
  afterAll(() => env?.stop());

  it('writes every file exactly where the name says, runs nothing hidden in a name, and fetches it back', async () => {
    const result = await env.hades(['run', 'hostile', '-c', env.configDir]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);

    expect(readdirSync(base).sort()).toEqual([...NAMES].sort());
    for (const name of NAMES) {
      const dir = join(base, name);
      expect([name, statSync(dir).isDirectory(), statSync(dir).mode & 0o777]).toEqual([name, true, 0o750]);
      expect(readdirSync(dir).sort()).toEqual([`${name}.conf`, `t-${name}`].sort());
      expect(readFileSync(join(dir, `${name}.conf`), 'utf8')).toBe(CONF);
      expect(statSync(join(dir, `${name}.conf`)).mode & 0o777).toBe(0o600);
      expect(readFileSync(join(dir, `t-${name}`), 'utf8')).toBe(`name=[${name}]\n`);
      expect(readFileSync(join(env.configDir, 'fetched', `-${name}`), 'utf8')).toBe(CONF);
    }
    for (const marker of ['pwned-dollar', 'pwned-tick']) {
      for (const where of [homedir(), base, env.configDir, env.markDir]) expect(existsSync(join(where, marker))).toBe(false);
    }
  });

  it('puts ./ before a relative path, so a leading dash is never read as an option', () => {
    expect(shellPath('-rf')).toBe('./-rf');
    expect(shellPath('--help me')).toBe(`'./--help me'`);
    expect(shellPath('/abs/-x')).toBe('/abs/-x');
  });
});
