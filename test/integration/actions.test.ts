import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startRunEnv, type RunEnv } from '../support/run-env';
import { yaml } from '../support/config-dir';

/** A folder name that breaks any tool that pastes paths into a shell unquoted. */
const HOSTILE = `with space $(touch pwned) 'quote' \`tick\` -dash`;

const ARMOR_BYTES = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 37) % 256));
const ARMORED = [
  '-----BEGIN PGP PUBLIC KEY BLOCK-----',
  'Comment: test key',
  '',
  ...ARMOR_BYTES.toString('base64').match(/.{1,64}/g)!,
  '=abcd',
  '-----END PGP PUBLIC KEY BLOCK-----',
  '',
].join('\n');

function config(dir: string, keyUrl: string): string {
  return yaml`
    registries:
      local:
        type: filesystem
        path: ./registry
    jobs:
      build:
        local: true
        env:
          TAG:
          CONTENT:
            default: "app build"
        artifacts:
          bin:
            path: build/app-\${TAG}
        actions:
          - run: mkdir -p build && printf '%s' "\${CONTENT}" > "build/app-\${TAG}" && pwd > build/where
          - push: { registry: local, artifact: bin, name: app, tag: "\${TAG}" }
      files:
        env:
          TAG:
          BASE:
            default: ${JSON.stringify(dir)}
          COLOR:
            default: blue
        actions:
          - mkdir: { path: "\${BASE}/\${HADES_HOST_NAME}", mode: 0750 }
          - copy: { src: files/app.conf, dst: "\${BASE}/\${HADES_HOST_NAME}/app.conf", mode: "0600" }
          - template: { src: templates/app.liquid, dst: "\${BASE}/\${HADES_HOST_NAME}/rendered.conf" }
          - pull: { registry: local, name: app, tag: "\${TAG}", to: "\${BASE}/\${HADES_HOST_NAME}/app", mode: 0755 }
          - fetch: { src: "\${BASE}/\${HADES_HOST_NAME}/rendered.conf", dst: "fetched/\${HADES_HOST_NAME}/rendered.conf" }
          - gpg: { src: ${JSON.stringify(keyUrl)}, path: "\${BASE}/\${HADES_HOST_NAME}/key.gpg", dearmor: true }
      guarded:
        guard:
          if: test "$HADES_HOST_NAME" = host-01
        env:
          DIR:
            default: ${JSON.stringify(dir)}
        actions:
          - run: echo guarded > "$DIR/guarded-$HADES_HOST_NAME"
      broken-copy:
        actions:
          - copy: { src: files/missing.conf, dst: /tmp/never }
      broken-template:
        actions:
          - template: { src: templates/undefined.liquid, dst: /tmp/never }
      received:
        env:
          DIR:
            default: ${JSON.stringify(dir)}
          GREETING:
            default: "it's \${DIR}"
        actions:
          - run: printf '%s' "$BASH_EXECUTION_STRING" > "$DIR/received-$HADES_HOST_NAME"
    plans:
      files:
        steps:
          - { name: build, job: build, targets: [all], limit: 1, env: { TAG: v1 } }
          - { name: files, job: files, targets: [all], env: { TAG: v1 } }
      repush:
        steps:
          - { name: build, job: build, targets: [all], limit: 1, env: { TAG: v1, CONTENT: "other bytes" } }
      guarded:
        steps:
          - { name: guarded, job: guarded, targets: [all] }
      broken-copy:
        steps:
          - { name: copy, job: broken-copy, targets: [all], limit: 1 }
      broken-template:
        steps:
          - { name: template, job: broken-template, targets: [all], limit: 1 }
      received:
        steps:
          - { name: received, job: received, targets: [all] }
  `;
}

describe('actions on real sshd hosts', () => {
  let env: RunEnv;
  let server: Server;
  let dir: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === '/key.asc') response.end(ARMORED);
      else response.writeHead(404).end('not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const keyUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/key.asc`;

    env = await startRunEnv({ hosts: 2 });
    dir = join(env.markDir, HOSTILE);
    mkdirSync(dir);
    mkdirSync(join(env.configDir, 'files'));
    mkdirSync(join(env.configDir, 'templates'));
    writeFileSync(join(env.configDir, 'files', 'app.conf'), 'listen 8080\n');
    writeFileSync(join(env.configDir, 'templates', 'app.liquid'), 'host={{ Host.Name }} target={{ Target }}\n{% for i in (1..2) %}worker {{ i }}\n{% endfor %}{% if Env.COLOR == "blue" %}blue{% endif %}\n');
    writeFileSync(join(env.configDir, 'templates', 'undefined.liquid'), 'value={{ Env.NOPE }}\n');
    env.writeConfig('plan.yaml', config(dir, keyUrl));
  });
  afterAll(async () => {
    await env?.stop();
    server?.close();
  });

  it('writes every file to the path as written, with its mode, and reports what it did', async () => {
    const result = await env.hades(['run', 'files', '-c', env.configDir]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);

    const host2 = join(dir, 'host-02');
    const mode = (file: string) => (statSync(join(host2, file)).mode & 0o7777).toString(8);
    expect(mode('.')).toBe('750');
    expect(readFileSync(join(host2, 'app.conf'), 'utf8')).toBe('listen 8080\n');
    expect(mode('app.conf')).toBe('600');
    expect(readFileSync(join(host2, 'rendered.conf'), 'utf8')).toBe('host=host-02 target=all\nworker 1\nworker 2\nblue\n');
    expect(readFileSync(join(host2, 'app'), 'utf8')).toBe('app build');
    expect(mode('app')).toBe('755');
    expect(readFileSync(join(host2, 'key.gpg'))).toEqual(ARMOR_BYTES);
    expect(readFileSync(join(env.configDir, 'fetched', 'host-01', 'rendered.conf'), 'utf8')).toContain('host=host-01');
    expect(readFileSync(join(env.configDir, 'build', 'where'), 'utf8').trim()).toBe(env.configDir);
    expect(existsSync(join(dir, '..', 'pwned'))).toBe(false);
    expect(readdirSync(host2).filter((name) => name.startsWith('.hades'))).toEqual([]);

    expect(result.stdout).toContain(`[1] copy: wrote ${host2}/app.conf (12 B, mode 0600)`);
    expect(result.stdout).toMatch(/pushed app:v1 to local \(9 B\)/);
    const runId = /^Run (\S+) started/m.exec(result.stdout)![1];
    expect(readFileSync(join(env.configDir, '..', 'logs', runId, 'rendered', 'host-01', '2-rendered.conf'), 'utf8')).toContain('host=host-01');
  });

  it('skips what is already in place, and only changes the mode when just the mode differs', async () => {
    await env.hades(['run', 'files', '-c', env.configDir]);
    chmodSync(join(dir, 'host-01', 'app.conf'), 0o644);
    const result = await env.hades(['run', 'files', '-c', env.configDir]);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`[1] copy: ${dir}/host-01/app.conf unchanged, mode set to 0600`);
    expect(result.stdout).toContain(`[1] copy: ${dir}/host-02/app.conf unchanged (same sha256 and mode), skipped`);
    expect(result.stdout).toContain(`[2] template: ${dir}/host-01/rendered.conf unchanged (same sha256 and mode), skipped`);
    expect(result.stdout).toContain(`[0] mkdir: ${dir}/host-01 already there (mode 0750)`);
    expect(result.stdout).toContain('[4] fetch: ');
    expect(result.stdout).toMatch(/fetch: .*unchanged \(same sha256\), skipped/);
    expect(result.stdout).toContain('app:v1 is already in local with the same content');
  });

  it('refuses to push other content under an existing tag', async () => {
    const result = await env.hades(['run', 'repush', '-c', env.configDir]);

    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/action \[1\] push: artifact bin → local app:v1 failed: app:v1 is already in the registry with other content/);
    expect(result.stdout).toContain('hint: tags are immutable: push under a new tag');
  });

  it('fails a copy whose source is missing, naming the file', async () => {
    const result = await env.hades(['run', 'broken-copy', '-c', env.configDir]);

    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`action [0] copy: files/missing.conf → /tmp/never failed: copy source ${env.configDir}/files/missing.conf does not exist`);
  });

  it('fails a template that uses an undefined variable, before writing anything', async () => {
    const result = await env.hades(['run', 'broken-template', '-c', env.configDir]);

    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/action \[0\] template: templates\/undefined.liquid → \/tmp\/never failed: template .*undefined.liquid: undefined variable: Env.NOPE/);
    expect(existsSync('/tmp/never')).toBe(false);
  });

  it('skips a job on the hosts where its guard exits non-zero, and says so', async () => {
    const result = await env.hades(['run', 'guarded', '-c', env.configDir]);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('host-02 skipped: guard `test "$HADES_HOST_NAME" = host-01` exited 1');
    expect(result.stdout).toContain('guarded  1 succeeded, 1 skipped by the guard of 2');
    expect(existsSync(join(dir, 'guarded-host-01'))).toBe(true);
    expect(existsSync(join(dir, 'guarded-host-02'))).toBe(false);
  });

  it('sends the hosts exactly the scripts that a dry run prints', async () => {
    const dry = await env.hades(['run', 'received', '-c', env.configDir, '--dry-run', '--scripts']);
    const real = await env.hades(['run', 'received', '-c', env.configDir]);
    expect(real.code).toBe(0);

    for (const host of ['host-01', 'host-02']) {
      const received = readFileSync(join(dir, `received-${host}`), 'utf8');
      const printed = new RegExp(`^    ${host} .*\\n      \\[0\\] run: ((?:.*\\n)(?:          .*\\n)*)`, 'm').exec(dry.stdout)![1];
      const script = printed.replace(/^ {10}/gm, '').replace(/^/, '').trimEnd();
      const withoutRunId = (text: string) => text.replace(/HADES_RUN_ID=\S+/, 'HADES_RUN_ID=…');
      expect(withoutRunId(received)).toBe(withoutRunId(script));
      expect(received).toContain(`HADES_HOST_NAME=${host}`);
    }
  });

  it("refuses to copy onto a directory, keeps a folder's mode unless told, and keeps fetches inside the config directory", async () => {
    const edges = join(dir, 'edges');
    mkdirSync(join(edges, 'adir'), { recursive: true });
    mkdirSync(join(edges, 'sticky'));
    chmodSync(join(edges, 'sticky'), 0o1777);
    writeFileSync(join(edges, 'afile'), 'x');
    env.writeConfig('edges.yaml', yaml`
      jobs:
        onto-dir:
          actions:
            - copy: { src: files/app.conf, dst: ${JSON.stringify(join(edges, 'adir'))} }
        keep-mode:
          actions:
            - mkdir: { path: ${JSON.stringify(join(edges, 'sticky'))} }
            - mkdir: { path: ${JSON.stringify(join(edges, 'sticky'))}, mode: 0755 }
        escape:
          actions:
            - fetch: { src: ${JSON.stringify(join(edges, 'afile'))}, dst: "../escaped" }
      plans:
        onto-dir: { steps: [{ name: s, job: onto-dir, targets: [all], limit: 1 }] }
        keep-mode: { steps: [{ name: s, job: keep-mode, targets: [all], limit: 1 }] }
        escape: { steps: [{ name: s, job: escape, targets: [all], limit: 1 }] }
    `);

    const ontoDir = await env.hades(['run', 'onto-dir', '-c', env.configDir]);
    expect(ontoDir.code).toBe(1);
    expect(ontoDir.stdout).toContain(`failed: host-01 (127.0.1.1): ${join(edges, 'adir')} is a directory`);
    expect(readdirSync(join(edges, 'adir'))).toEqual([]);

    const keepMode = await env.hades(['run', 'keep-mode', '-c', env.configDir]);
    expect(keepMode.code).toBe(0);
    expect(keepMode.stdout).toContain(`[0] mkdir: ${join(edges, 'sticky')} already there (mode 01777)`);
    expect(keepMode.stdout).toContain(`[1] mkdir: ${join(edges, 'sticky')} already there, mode changed from 01777 to 0755`);

    const escape = await env.hades(['run', 'escape', '-c', env.configDir]);
    expect(escape.code).toBe(1);
    expect(escape.stdout).toContain('failed: fetch dst ../escaped leads outside the config directory');
    expect(existsSync(join(env.configDir, '..', 'escaped'))).toBe(false);
    rmSync(join(env.configDir, 'edges.yaml'));
  });
});
