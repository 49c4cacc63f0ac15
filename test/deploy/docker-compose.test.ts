import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { parse } from 'yaml';

/**
 * No container engine runs where the tests do, so the compose file is checked as data: the
 * services a team needs exist, agree with each other on names, ports and credentials, start
 * in an order their healthchecks can vouch for, and never float on `latest`.
 */
const ROOT = join(__dirname, '..', '..');

interface Service {
  image?: string;
  build?: unknown;
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
};
const services = compose.services;
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const dockerignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'));

/** `[host address, host port, container port]` of each published port. */
function published(service: Service): [string, number, number][] {
  return (service.ports ?? []).map((port) => {
    const parts = port.split(':');
    return [parts.length === 3 ? parts[0] : '0.0.0.0', Number(parts.at(-2)), Number(parts.at(-1))];
  });
}

/** A short-syntax volume; the source may be a `${VAR:-default}`, which holds a colon itself. */
function parseVolume(volume: string): { source: string; target: string; mode: string } {
  const [, source, target, mode] = /^(\$\{[^}]*\}|[^:]+):([^:]+)(?::(ro|rw))?$/.exec(volume) ?? [];
  return { source, target, mode: mode ?? 'rw' };
}

function env(name: string): Record<string, string> {
  return services[name].environment ?? {};
}

/** The service that runs the Temporal server, found by image rather than assumed by name. */
const serviceNames = Object.keys(services);
const serverName = serviceNames.find((name) => /^temporalio\/(auto-setup|server):/.test(services[name].image ?? ''))!;
const postgresName = serviceNames.find((name) => /^postgres:/.test(services[name].image ?? ''))!;

describe('docker-compose.yml', () => {
  it('runs PostgreSQL, a Temporal server, the Temporal Web UI and a Hades worker', () => {
    expect(postgresName).toBeDefined();
    expect(serverName).toBeDefined();
    expect(services['temporal-ui'].image).toMatch(/^temporalio\/ui:/);
    expect(services['hades-worker'].build).toBeDefined();
  });

  it.each(serviceNames)('pins the image of %s to a version, never latest', (name) => {
    const image = services[name].image ?? '';
    const tag = image.split(':')[1] ?? '';

    expect(tag).toMatch(/^\d+(\.\d+)+(-[a-z0-9]+)?$/);
    expect(image).not.toMatch(/latest/);
  });

  describe('ports and addresses', () => {
    it('publishes the Temporal frontend on 7233 and the Web UI on 8080, on loopback only', () => {
      expect(published(services[serverName])).toEqual([['127.0.0.1', 7233, 7233]]);
      expect(published(services['temporal-ui'])).toEqual([['127.0.0.1', 8080, 8080]]);
      for (const service of Object.values(services)) {
        for (const [address] of published(service)) expect(address).toBe('127.0.0.1');
      }
    });

    it.each(['temporal-ui', 'hades-worker'])('points %s at the server by its service name and port', (name) => {
      const [, , port] = published(services[serverName])[0];

      expect(env(name).TEMPORAL_ADDRESS).toBe(`${serverName}:${port}`);
    });

    it('gives the worker the namespace the server creates and the task queue the CLI uses', () => {
      expect(env('hades-worker')).toEqual({
        TEMPORAL_ADDRESS: `${serverName}:7233`,
        TEMPORAL_NAMESPACE: 'default',
        HADES_TASK_QUEUE: 'hades',
      });
      expect(env(serverName).DEFAULT_NAMESPACE).toBe(env('hades-worker').TEMPORAL_NAMESPACE);
    });

    it('connects the server to the PostgreSQL service with that service\'s credentials', () => {
      const server = env(serverName);
      const postgres = env(postgresName);

      expect(server.DB).toBe('postgres12');
      expect(server.DB_PORT).toBe('5432');
      expect(server.POSTGRES_SEEDS).toBe(postgresName);
      expect(server.POSTGRES_USER).toBe(postgres.POSTGRES_USER);
      expect(server.POSTGRES_PWD).toBe(postgres.POSTGRES_PASSWORD);
    });
  });

  describe('start order', () => {
    it.each(serviceNames)('makes %s wait only for services that exist and can report health', (name) => {
      for (const [dependency, { condition }] of Object.entries(services[name].depends_on ?? {})) {
        expect(serviceNames).toContain(dependency);
        expect(condition).toBe('service_healthy');
        expect(services[dependency].healthcheck).toBeDefined();
      }
    });

    it('starts the server after the database, and the UI and the worker after the server', () => {
      expect(Object.keys(services[serverName].depends_on ?? {})).toEqual([postgresName]);
      expect(Object.keys(services['temporal-ui'].depends_on ?? {})).toEqual([serverName]);
      expect(Object.keys(services['hades-worker'].depends_on ?? {})).toEqual([serverName]);
    });

    it('has no dependency cycle', () => {
      const visiting = new Set<string>();
      const done = new Set<string>();
      const visit = (name: string): void => {
        if (done.has(name)) return;
        expect(visiting.has(name)).toBe(false);
        visiting.add(name);
        for (const dependency of Object.keys(services[name].depends_on ?? {})) visit(dependency);
        visiting.delete(name);
        done.add(name);
      };

      for (const name of serviceNames) visit(name);
    });

    it('calls the server healthy once the workers\' namespace answers on the server\'s address', () => {
      const test = services[serverName].healthcheck!.test;

      expect(test.slice(0, 4)).toEqual(['CMD', 'temporal', 'operator', 'namespace']);
      expect(test[test.indexOf('--namespace') + 1]).toBe(env('hades-worker').TEMPORAL_NAMESPACE);
      expect(test[test.indexOf('--address') + 1]).toBe(env('hades-worker').TEMPORAL_ADDRESS);
    });

    it('checks the database as the user the server connects with', () => {
      const test = services[postgresName].healthcheck!.test.join(' ');

      expect(test).toContain(`pg_isready -U ${env(postgresName).POSTGRES_USER}`);
    });
  });

  describe('the worker', () => {
    const mounts = (services['hades-worker'].volumes ?? []).map(parseVolume);
    const mount = (target: RegExp) => mounts.find((volume) => target.test(volume.target));

    it('mounts a config folder and the SSH keys and known_hosts read-only', () => {
      expect(mount(/^\/hades\/config$/)).toMatchObject({ source: '${HADES_CONFIG_DIR:-./hadesfiles}', mode: 'ro' });
      expect(mount(/\/\.ssh$/)).toMatchObject({ source: '${HADES_SSH_DIR:-./ssh}', mode: 'ro' });
    });

    it('keeps host logs in a writable named volume where the worker writes them', () => {
      const workdir = /^WORKDIR (.+)$/m.exec(dockerfile.split(/^FROM /m).at(-1)!)![1];

      // `hades worker` writes to `logs` in its working folder unless told otherwise.
      expect(mount(/\/logs$/)).toEqual({ source: 'hades-logs', target: posix.join(workdir, 'logs'), mode: 'rw' });
      expect(Object.keys(compose.volumes ?? {})).toContain('hades-logs');
    });

    it('mounts SSH files into the home of the user the image runs as', () => {
      const user = /^USER (.+)$/m.exec(dockerfile)![1];

      expect(user).not.toBe('root');
      expect(mount(/\/\.ssh$/)?.target).toBe(`/home/${user}/.ssh`);
    });
  });
});

describe('Dockerfile', () => {
  it('builds on Node 20 with npm ci and npm run build, and starts `hades worker`', () => {
    const froms = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((match) => match[1]);

    for (const image of froms) expect(image).toMatch(/^node:20(\.\d+)*(-[a-z]+)*$/);
    expect(dockerfile).toMatch(/^RUN npm ci\b/m);
    expect(dockerfile).toMatch(/^RUN npm run build\b/m);
    expect(dockerfile).toMatch(/^CMD \["node", "bin\/hades", "worker"\]$/m);
  });

  it('copies nothing that .dockerignore leaves out of the build context', () => {
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((match) => match[1].split(' '));

    expect(sources).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', 'src', 'bin', 'scripts']));
    for (const source of sources) expect(dockerignore).not.toContain(source);
  });
});

describe('.dockerignore', () => {
  it('keeps dependencies, build output, logs, keys and history out of the build context', () => {
    expect(dockerignore).toEqual(expect.arrayContaining(['node_modules', 'dist', 'logs', '.git', 'ssh']));
  });
});
