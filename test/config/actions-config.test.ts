import { symlinkSync } from 'node:fs';
import { loadConfig } from '../../src/config/load-config';
import { configErrorOf, loadErrorOf, loadFiles, removeConfigDirs, writeConfigDir, yaml } from '../support/config-dir';

afterAll(removeConfigDirs);

describe('loading jobs with file actions', () => {
  it('loads every action kind the reference accepts, with its fields', () => {
    const config = loadFiles({
      'jobs.yaml': yaml`
        registries:
          store: { type: filesystem, path: ./registry }
        jobs:
          all:
            local: true
            guard: { if: "test -d /srv" }
            env:
              TAG:
            artifacts:
              bin: { path: "build/app-\${TAG}" }
            actions:
              - run: make
              - copy: { src: files/a.conf, dst: /etc/a.conf, mode: 0600 }
              - copy: { artifact: bin, dst: /usr/local/bin/app, mode: "0755" }
              - template: { src: t.liquid, dst: /etc/t.conf }
              - mkdir: { path: /srv/app }
              - fetch: { src: /var/log/app.log, dst: "logs/\${HADES_HOST_NAME}.log" }
              - push: { registry: store, artifact: bin, name: app, tag: "\${TAG}" }
              - pull: { registry: store, name: app, tag: "\${TAG}", to: /opt/app }
              - gpg: { src: "https://example.org/key.asc", path: /etc/apt/keyrings/k.gpg, dearmor: true }
              - name: confirm
                wait: { timeout: 5m }
      `,
    });
    const job = config.jobs.get('all')!.value;
    expect(job.actions.map((action) => action.kind)).toEqual(['run', 'copy', 'copy', 'template', 'mkdir', 'fetch', 'push', 'pull', 'gpg', 'wait']);
    expect(job.actions[1]).toEqual({ kind: 'copy', src: 'files/a.conf', dst: '/etc/a.conf', mode: 0o600 });
    expect(job.actions[7]).toEqual({ kind: 'pull', registry: 'store', name: 'app', tag: '${TAG}', to: '/opt/app' });
    expect(job.actions[9]).toEqual({ kind: 'wait', label: 'confirm', timeoutMs: 300_000 });
    expect(job.local).toBe(true);
    expect(job.guard).toEqual({ if: 'test -d /srv' });
  });

  it('rejects a decimal mode, showing how to write it', () => {
    expect(
      loadErrorOf({
        'jobs.yaml': yaml`
          jobs:
            j:
              actions:
                - mkdir: { path: /srv, mode: 493 }
        `,
      }),
    ).toBe('jobs.yaml:4:36 jobs.j.actions[0].mkdir.mode: mode 493 is not an octal file mode (493 is 0755 written in decimal); write it in octal, like 0755 or "0644"');
  });

  it('rejects a copy with both src and artifact', () => {
    expect(
      loadErrorOf({
        'jobs.yaml': yaml`
          jobs:
            j:
              artifacts: { bin: { path: b } }
              actions:
                - copy: { src: a, artifact: bin, dst: /x }
        `,
      }),
    ).toBe("jobs.yaml:5:15 jobs.j.actions[0].copy: copy takes exactly one of src (a file in the config directory) or artifact (a name from the job's artifacts)");
  });

  it('rejects an artifact and a registry that are not defined, with what is', () => {
    expect(
      loadErrorOf({
        'jobs.yaml': yaml`
          registries:
            store: { type: filesystem, path: ./r }
          jobs:
            j:
              artifacts: { binary: { path: b } }
              actions:
                - push: { registry: stor, artifact: binry, name: app, tag: v1 }
        `,
      }),
    ).toBe(
      [
        'jobs.yaml:7:43 jobs.j.actions[0].push.artifact: action 0 (push) of job "j" uses artifact "binry", which the job does not define',
        '  hint: did you mean "binary"? job "j" defines binary',
        'jobs.yaml:7:27 jobs.j.actions[0].push.registry: action 0 (push) of job "j" uses registry "stor", which is not defined',
        '  hint: did you mean "store"? defined registries: store',
      ].join('\n'),
    );
  });

  it('rejects ${VAR} in any field of any action, and in the guard, unless the job declares it', () => {
    expect(
      loadErrorOf({
        'jobs.yaml': yaml`
          jobs:
            j:
              guard: { if: "test \${READY}" }
              actions:
                - copy: { src: "\${SRC}", dst: /x }
        `,
      }),
    ).toBe(
      [
        'jobs.yaml:3:18 jobs.j.guard.if: the guard of job "j" uses ${READY}, which the job does not declare',
        '  hint: declare it under jobs.j.env (`READY:` for a required value), or write $${READY} for a literal ${READY}',
        'jobs.yaml:5:22 jobs.j.actions[0].copy.src: action 0 (copy) of job "j" uses ${SRC}, which the job does not declare',
        '  hint: declare it under jobs.j.env (`SRC:` for a required value), or write $${SRC} for a literal ${SRC}',
      ].join('\n'),
    );
  });

  it('rejects a registry of an unknown type', () => {
    expect(loadErrorOf({ 'r.yaml': 'registries:\n  s3: { type: s3, path: x }\n' })).toBe('r.yaml:2:15 registries.s3.type: the only registry type is filesystem');
  });
});

describe('loading hosts and targets', () => {
  it('rejects a target named like a host, which would silently stand for other hosts', () => {
    expect(
      loadErrorOf({
        'inv.yaml': yaml`
          hosts:
            web-1: { addr: 127.0.1.1 }
            web-2: { addr: 127.0.1.2 }
          targets:
            web-1: [web-2]
        `,
      }),
    ).toBe('inv.yaml:5:3 targets.web-1: target "web-1" has the name of a host\n  hint: a host name already stands for a target of that one host (defined at inv.yaml:2); rename the target');
  });

  it('rejects host names that could lead a path elsewhere', () => {
    expect(loadErrorOf({ 'inv.yaml': 'hosts:\n  "../etc": { addr: 127.0.1.1 }\n' })).toBe(
      'inv.yaml:2:3 hosts.../etc: host name "../etc" is not allowed\n  hint: use letters, digits, ".", "_" and "-", starting with a letter or a digit: host names become file names and appear in ${HADES_HOST_NAME}',
    );
  });
});

describe('reading the config directory', () => {
  it('says that -c names a file rather than a folder', () => {
    const dir = writeConfigDir({ 'plan.yaml': 'plans: {}\n' });
    expect(configErrorOf(() => loadConfig(`${dir}/plan.yaml`))).toBe(`${dir}/plan.yaml is a file, not a config directory\n  hint: -c takes the folder that holds your hadesfiles: -c ${dir}`);
  });

  it('reports a *.yaml link that leads nowhere instead of crashing', () => {
    const dir = writeConfigDir({ 'plan.yaml': 'plans: {}\n' });
    symlinkSync(`${dir}/missing.yaml`, `${dir}/broken.yaml`);
    expect(configErrorOf(() => loadConfig(dir))).toBe('broken.yaml is a link to a file that does not exist\n  hint: every *.yaml and *.yml file of the config directory is read: fix or remove it');
  });
});

describe('gpg actions', () => {
  it('rejects a key source that is not an http or https address when loading', () => {
    expect(loadErrorOf({ 'j.yaml': 'jobs:\n  k:\n    actions:\n      - gpg: { src: "file:///etc/passwd", path: /etc/k.gpg }\n' })).toBe(
      'j.yaml:4:21 jobs.k.actions[0].gpg.src: must be an http:// or https:// address of the key',
    );
  });
});
