import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { parse } from 'yaml';

import { isProcessAlive, readCommandLine } from '../../src/devkit/process-state';
import { FleetHost, startFleet, stopFleet } from '../../src/devkit/ssh-fleet';
import { useFleet } from '../harness/fleet';

const execFileAsync = promisify(execFile);

interface SshResult {
  code: number;
  stdout: string;
  stderr: string;
}

// The system client, told to trust nothing but the given known_hosts file and key.
async function sshEcho(
  host: FleetHost,
  knownHosts: string,
  identity = host.identityFile,
): Promise<SshResult> {
  const args = [
    ...['-F', '/dev/null', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes'],
    ...['-o', `UserKnownHostsFile=${knownHosts}`, '-o', 'GlobalKnownHostsFile=/dev/null'],
    ...['-o', 'IdentitiesOnly=yes', '-o', 'ConnectTimeout=5', '-i', identity, '-p', String(host.port)],
    `${host.user}@${host.addr}`,
    'echo $SSH_CONNECTION',
  ];
  try {
    const { stdout, stderr } = await execFileAsync('ssh', args, { timeout: 20_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

function sshdPidsUnder(stateDir: string): number[] {
  return fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => isProcessAlive(pid) && (readCommandLine(pid) ?? '').includes(stateDir));
}

function scratchDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'hades-fleet-test-'));
}

// For options rejected before anything is written: the folder must still not exist afterwards.
function neverCreatedDir(): string {
  return path.join(os.tmpdir(), `hades-fleet-never-${process.pid}`);
}

describe('startFleet', () => {
  const fleet = useFleet(3);

  it('names hosts in sorting order on consecutive loopback addresses', () => {
    const hosts = fleet().hosts.map((h) => `${h.name} ${h.addr}`);
    expect(hosts).toEqual(['host-01 127.0.1.1', 'host-02 127.0.1.2', 'host-03 127.0.1.3']);
  });

  it('lets the system ssh client log in to every host with the client key and known_hosts', async () => {
    for (const host of fleet().hosts) {
      const result = await sshEcho(host, fleet().knownHostsFile);

      expect(result).toMatchObject({ code: 0 });
      const [, , serverAddr, serverPort] = result.stdout.trim().split(' ');
      expect(`${serverAddr}:${serverPort}`).toBe(`${host.addr}:${host.port}`);
    }
  });

  it('is refused by the client when the known_hosts entry holds another host key', async () => {
    const first = fleet().hosts[0];
    const lines = fs.readFileSync(fleet().knownHostsFile, 'utf8').trim().split('\n');
    const keyOfSecond = lines[1].split(' ').slice(1).join(' ');
    const forged = path.join(fleet().stateDir, 'forged_known_hosts');
    fs.writeFileSync(forged, `[${first.addr}]:${first.port} ${keyOfSecond}\n`);

    const result = await sshEcho(first, forged);

    expect(result.code).toBe(255);
    expect(result.stderr).toContain('REMOTE HOST IDENTIFICATION HAS CHANGED');
  });

  it('is refused by the client when known_hosts has no entry for the host', async () => {
    const empty = path.join(fleet().stateDir, 'empty_known_hosts');
    fs.writeFileSync(empty, '');

    const result = await sshEcho(fleet().hosts[0], empty);

    expect(result.code).toBe(255);
    expect(result.stderr).toContain('Host key verification failed');
  });

  it('refuses a client key it was not given', async () => {
    const stranger = path.join(fleet().stateDir, 'stranger_ed25519');
    await execFileAsync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', stranger]);

    const result = await sshEcho(fleet().hosts[0], fleet().knownHostsFile, stranger);

    expect(result.code).toBe(255);
    expect(result.stderr).toContain('Permission denied (publickey)');
  });

  it('writes an inventory that names every host, an "all" target and the known_hosts file', () => {
    const { hosts, identityFile, knownHostsFile } = fleet();
    const inventory = parse(fleet().inventoryYaml());

    expect(inventory.targets).toEqual({ all: ['host-01', 'host-02', 'host-03'] });
    expect(inventory.ssh).toEqual({ known_hosts: knownHostsFile });
    expect(inventory.hosts['host-02']).toEqual({
      addr: '127.0.1.2',
      port: hosts[1].port,
      user: os.userInfo().username,
      identity_file: identityFile,
    });
  });

  it('writes inventory paths relative to a config dir when asked', () => {
    const configDir = path.join(fleet().stateDir, 'config');
    const inventory = parse(fleet().inventoryYaml({ relativeTo: configDir, targets: { web: ['host-03'] } }));

    expect(inventory.targets).toEqual({ web: ['host-03'] });
    expect(inventory.ssh.known_hosts).toBe('../known_hosts');
    expect(inventory.hosts['host-01'].identity_file).toBe('../client/id_ed25519');
  });
});

describe('a fleet host that is killed', () => {
  const fleet = useFleet(2, { firstAddress: '127.0.2.1', namePrefix: 'web' });

  it('refuses connections while the other hosts still answer', async () => {
    const [dead, alive] = fleet().hosts;
    await fleet().kill('web-01');

    expect(isProcessAlive(dead.pid)).toBe(false);
    expect((await sshEcho(dead, fleet().knownHostsFile)).stderr).toContain('Connection refused');
    expect((await sshEcho(alive, fleet().knownHostsFile)).code).toBe(0);
  });

  it('names the fleet hosts when asked to kill an unknown one', async () => {
    await expect(fleet().kill('web-09')).rejects.toThrow(
      'no host web-09 in this fleet\n  hint: its hosts are web-01, web-02',
    );
  });
});

describe('stopping a fleet', () => {
  it('leaves no sshd of the fleet running after stop()', async () => {
    const stateDir = scratchDir();
    const fleet = await startFleet({ count: 3, stateDir });
    expect(sshdPidsUnder(stateDir)).toHaveLength(3);
    await sshEcho(fleet.hosts[0], fleet.knownHostsFile);

    await fleet.stop();

    expect(sshdPidsUnder(stateDir)).toEqual([]);
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  it('stops a detached fleet from its state dir alone', async () => {
    const stateDir = scratchDir();
    const fleet = await startFleet({ count: 2, stateDir, firstAddress: '127.0.3.1', detached: true });
    try {
      expect(await stopFleet(stateDir)).toBe(2);
      expect(sshdPidsUnder(stateDir)).toEqual([]);
      expect(await stopFleet(stateDir)).toBe(0);
    } finally {
      await fleet.stop();
      fs.rmSync(stateDir, { recursive: true, force: true });
    }
  });

  it('refuses to start a second fleet in a state dir whose fleet still runs', async () => {
    const stateDir = scratchDir();
    const fleet = await startFleet({ count: 1, stateDir, firstAddress: '127.0.4.1' });
    try {
      await expect(startFleet({ count: 1, stateDir, firstAddress: '127.0.4.1' })).rejects.toThrow(
        `a fleet already runs in ${stateDir} (host-01 is up)`,
      );
    } finally {
      await fleet.stop();
      fs.rmSync(stateDir, { recursive: true, force: true });
    }
  });
});

describe('a fleet whose sshd cannot run', () => {
  const saved = process.env.HADES_SSHD_BIN;
  afterEach(() => {
    if (saved === undefined) delete process.env.HADES_SSHD_BIN;
    else process.env.HADES_SSHD_BIN = saved;
  });

  it('names the missing sshd and how to install it', async () => {
    process.env.HADES_SSHD_BIN = '/nonexistent/sshd';

    await expect(startFleet({ count: 1, stateDir: neverCreatedDir() })).rejects.toThrow(
      'HADES_SSHD_BIN is /nonexistent/sshd: not an executable file\n' +
        '  hint: install it with: sudo apt-get install openssh-server openssh-client',
    );
  });

  it('shows the command and the end of its log when sshd exits at start', async () => {
    const stateDir = scratchDir();
    const fake = path.join(stateDir, 'sshd-that-exits');
    fs.writeFileSync(fake, '#!/bin/sh\necho "cannot serve today" >&2\nexit 255\n', { mode: 0o755 });
    process.env.HADES_SSHD_BIN = fake;

    const failure = startFleet({ count: 2, stateDir, firstAddress: '127.0.7.1' });

    await expect(failure).rejects.toThrow(/^sshd of host-0[12] on 127\.0\.7\.[12]:\d+ exited \(code 255\)/);
    await expect(failure).rejects.toThrow(/command: .*sshd-that-exits -D -e -f .*sshd_config\n/);
    await expect(failure).rejects.toThrow(/last lines:\n {4}cannot serve today/);
    fs.rmSync(stateDir, { recursive: true, force: true });
  });
});

describe('fleet options', () => {
  it.each([
    ['10.0.0.1', 'fleet address 10.0.0.1 is not a loopback IPv4 address'],
    ['127.0.1', 'fleet address 127.0.1 is not a loopback IPv4 address'],
    ['127.255.255.254', '2 hosts from 127.255.255.254 run past the end of 127.0.0.0/8'],
  ])('rejects first address %s before writing anything', async (firstAddress, message) => {
    const stateDir = neverCreatedDir();

    await expect(startFleet({ count: 2, stateDir, firstAddress })).rejects.toThrow(message);
    expect(fs.existsSync(stateDir)).toBe(false);
  });

  it('rejects a host count that is not a positive whole number', async () => {
    await expect(startFleet({ count: 0, stateDir: neverCreatedDir() })).rejects.toThrow(
      'a fleet needs a whole number of hosts of at least 1, got 0',
    );
  });
});
