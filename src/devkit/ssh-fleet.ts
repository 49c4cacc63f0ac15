import { ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

import { stringify } from 'yaml';

import { forgetOnExit, killOnExit } from './exit-cleanup';
import { findOnPath, isExecutable } from './find-executable';
import { findFreePort } from './free-port';
import { readLogTail } from './log-tail';
import { isProcessAlive, listDescendants, readCommandLine } from './process-state';
import { killProcess, terminateProcess } from './stop-process';

const execFileAsync = promisify(execFile);

const INSTALL_HINT =
  'install it with: sudo apt-get install openssh-server openssh-client\n' +
  '  or run: bash scripts/setup.sh';

/** Options of {@link startFleet}. */
export interface FleetOptions {
  /** How many hosts to start. */
  count: number;
  /** Folder for keys, configs, pid files and logs; created when missing, its keys reused. */
  stateDir: string;
  /** Loopback address of the first host; the next hosts count up from it. 127.0.1.1 by default. */
  firstAddress?: string;
  /** Host names are `<prefix>-01`, `<prefix>-02`, ...; "host" by default. */
  namePrefix?: string;
  /** Let the servers outlive this process (stop them with {@link stopFleet}); false by default. */
  detached?: boolean;
  /** How long each server may take to send its SSH banner; 10 s by default. */
  readyTimeoutMs?: number;
}

/** One running sshd of a fleet, as a Hades inventory describes it. */
export interface FleetHost {
  name: string;
  addr: string;
  port: number;
  user: string;
  /** Private key that this host accepts for `user`. */
  identityFile: string;
  pid: number;
  logFile: string;
}

/** Options of {@link Fleet.inventoryYaml}. */
export interface InventoryOptions {
  /** Targets to declare, name to host names; `all: [every host]` by default. */
  targets?: Record<string, string[]>;
  /** Write file paths relative to this folder (the config dir) instead of absolute. */
  relativeTo?: string;
}

/** OpenSSH servers on loopback addresses, one per host. */
export interface Fleet {
  hosts: FleetHost[];
  /** known_hosts with a `[addr]:port ssh-ed25519 ...` line for every host. */
  knownHostsFile: string;
  /** The client key every host accepts. */
  identityFile: string;
  stateDir: string;
  /** A Hades inventory: `hosts`, `targets` and `ssh.known_hosts`. */
  inventoryYaml(opts?: InventoryOptions): string;
  /** Stops every server and its sessions; resolves once they are gone. */
  stop(): Promise<void>;
  /** SIGKILL for one host's server and its sessions, as if the host died. */
  kill(name: string): Promise<void>;
}

interface Layout {
  stateDir: string;
  identityFile: string;
  authorizedKeys: string;
  knownHostsFile: string;
}

interface HostPlan {
  name: string;
  addr: string;
  dir: string;
  keyFile: string;
  configFile: string;
  logFile: string;
}

type BannerAddress = { host: string; port: number };

interface Launch {
  sshd: string;
  layout: Layout;
  user: string;
  detached: boolean;
  readyTimeoutMs: number;
}

/** Where sshd is: $HADES_SSHD_BIN, else /usr/sbin/sshd, else sshd on PATH. */
export function findSshd(): string {
  const fromEnv = process.env.HADES_SSHD_BIN;
  if (fromEnv) {
    if (isExecutable(fromEnv)) return path.resolve(fromEnv);
    throw new Error(`HADES_SSHD_BIN is ${fromEnv}: not an executable file\n  hint: ${INSTALL_HINT}`);
  }

  const found = ['/usr/sbin/sshd', '/usr/local/sbin/sshd'].find(isExecutable) ?? findOnPath('sshd');
  if (found) return path.resolve(found);
  throw new Error(`sshd (the OpenSSH server) is not in /usr/sbin or PATH\n  hint: ${INSTALL_HINT}`);
}

/** Starts `count` sshd hosts on loopback; resolves once every one has sent its SSH banner. */
export async function startFleet(opts: FleetOptions): Promise<Fleet> {
  const sshd = findSshd();
  const plans = planHosts(opts);
  const user = checkAccountUsable();
  const layout = await prepareState(path.resolve(opts.stateDir), plans);

  const detached = opts.detached ?? false;
  const launch = { sshd, layout, user, detached, readyTimeoutMs: opts.readyTimeoutMs ?? 10_000 };
  const started = await Promise.allSettled(plans.map((plan) => startHost(plan, launch)));
  const hosts = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failure = started.find((result) => result.status === 'rejected');
  if (failure) {
    await Promise.all(hosts.map((host) => stopHost(host.pid, terminateProcess)));
    throw (failure as PromiseRejectedResult).reason;
  }

  writeKnownHosts(layout, plans, hosts);
  return describeFleet(layout, hosts);
}

/** Stops the servers of the fleet in `stateDir`, detached or not; resolves to how many ran. */
export async function stopFleet(stateDir: string): Promise<number> {
  const hostsDir = path.join(path.resolve(stateDir), 'hosts');
  if (!fs.existsSync(hostsDir)) throw new Error(`no fleet in ${stateDir}: it has no hosts folder`);

  const pids = fs
    .readdirSync(hostsDir)
    .map((name) => readFleetPid(path.join(hostsDir, name)))
    .filter((pid): pid is number => pid !== undefined);
  await Promise.all(pids.map((pid) => stopHost(pid, terminateProcess)));
  return pids.length;
}

function planHosts(opts: FleetOptions): HostPlan[] {
  if (!Number.isInteger(opts.count) || opts.count < 1) {
    throw new Error(`a fleet needs a whole number of hosts of at least 1, got ${opts.count}`);
  }
  const firstAddress = opts.firstAddress ?? '127.0.1.1';
  const first = parseLoopback(firstAddress);
  if (first + opts.count - 1 >= parseLoopback('127.255.255.255')) {
    throw new Error(`${opts.count} hosts from ${firstAddress} run past the end of 127.0.0.0/8`);
  }

  const width = Math.max(2, String(opts.count).length);
  const hostsDir = path.join(path.resolve(opts.stateDir), 'hosts');
  return Array.from({ length: opts.count }, (_, i) => {
    const name = `${opts.namePrefix ?? 'host'}-${String(i + 1).padStart(width, '0')}`;
    const dir = path.join(hostsDir, name);
    return {
      name,
      addr: formatIpv4(first + i),
      dir,
      keyFile: path.join(dir, 'ssh_host_ed25519_key'),
      configFile: path.join(dir, 'sshd_config'),
      logFile: path.join(dir, 'sshd.log'),
    };
  });
}

// Only 127.0.0.0/8: all of it is on the loopback interface, so nothing leaves the machine.
function parseLoopback(addr: string): number {
  const parts = addr.split('.');
  const isOctet = (part: string): boolean => /^\d{1,3}$/.test(part) && Number(part) <= 255;
  if (parts.length !== 4 || !parts.every(isOctet) || parts[0] !== '127') {
    throw new Error(
      `fleet address ${addr} is not a loopback IPv4 address\n` +
        `  hint: use one in 127.0.0.0/8, like 127.0.1.1`,
    );
  }
  return parts.reduce((n, part) => n * 256 + Number(part), 0);
}

function formatIpv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

async function prepareState(stateDir: string, plans: HostPlan[]): Promise<Layout> {
  if (/["%\n]/.test(stateDir)) {
    throw new Error(`state dir ${stateDir} holds a quote, % or newline: sshd_config cannot say it`);
  }
  const running = plans.find((plan) => readFleetPid(plan.dir) !== undefined);
  if (running) {
    throw new Error(
      `a fleet already runs in ${stateDir} (${running.name} is up)\n` +
        `  hint: stop it first: node dist/scripts/fleet.js stop --state-dir ${stateDir}`,
    );
  }

  const clientDir = path.join(stateDir, 'client');
  for (const dir of [clientDir, ...plans.map((plan) => plan.dir)]) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  }
  // Privilege separation: an sshd started by root chroots its pre-auth child into this folder.
  if (process.getuid?.() === 0) fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });

  const layout: Layout = {
    stateDir,
    identityFile: path.join(clientDir, 'id_ed25519'),
    authorizedKeys: path.join(stateDir, 'authorized_keys'),
    knownHostsFile: path.join(stateDir, 'known_hosts'),
  };
  await ensureKey(layout.identityFile, 'hades-fleet client');
  await Promise.all(plans.map((plan) => ensureKey(plan.keyFile, `hades-fleet ${plan.name}`)));
  fs.copyFileSync(`${layout.identityFile}.pub`, layout.authorizedKeys);
  return layout;
}

// Keys are kept across restarts of a fleet in the same folder, so host identities stay put.
async function ensureKey(file: string, comment: string): Promise<void> {
  if (fs.existsSync(file) && fs.existsSync(`${file}.pub`)) return;

  fs.rmSync(file, { force: true });
  fs.rmSync(`${file}.pub`, { force: true });
  const keygen = findOnPath('ssh-keygen') ?? '/usr/bin/ssh-keygen';
  try {
    await execFileAsync(keygen, ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file]);
  } catch (err) {
    const reason = (err as Error).message.trim();
    throw new Error(`ssh-keygen could not write ${file}: ${reason}\n  hint: ${INSTALL_HINT}`);
  }
}

// With UsePAM off, sshd refuses an account whose password field starts with "!" (locked), even
// for key logins. getent asks the name services sshd asks: /etc/shadow when readable, and
// modules like nss-systemd, which report "nobody" as locked. Say so now, not at every login.
function checkAccountUsable(): string {
  const user = os.userInfo().username;
  let entry: string;
  try {
    entry = execFileSync('getent', ['shadow', user], {
      encoding: 'utf8',
      timeout: 5_000,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    return user;
  }

  if (!entry.split(':')[1]?.startsWith('!')) return user;
  throw new Error(
    `account ${user} is locked (its password field starts with "!"), so sshd would refuse ` +
      `every login to it\n  hint: run as a user whose account is not locked; to unlock one ` +
      `for key logins: usermod -p '*' ${user}`,
  );
}

function sshdConfig(plan: HostPlan, port: number, layout: Layout): string {
  return [
    `ListenAddress ${plan.addr}:${port}`,
    `HostKey "${plan.keyFile}"`,
    `AuthorizedKeysFile "${layout.authorizedKeys}"`,
    `PidFile "${path.join(plan.dir, 'sshd.pid')}"`,
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    // The state dir may sit in a world-writable temp folder, which StrictModes would refuse.
    'StrictModes no',
    'PermitRootLogin prohibit-password',
    'Subsystem sftp internal-sftp',
    // A batch opens one connection per host at once; the default 10:30:100 drops some of them.
    'MaxStartups 200',
    'MaxSessions 64',
    'PrintMotd no',
    'PrintLastLog no',
    'X11Forwarding no',
    'LogLevel VERBOSE',
    '',
  ].join('\n');
}

async function startHost(plan: HostPlan, launch: Launch): Promise<FleetHost> {
  // free-port's answer can go stale before sshd binds; a port taken meanwhile is tried again.
  for (let attempt = 1; ; attempt += 1) {
    const port = await findFreePort(plan.addr);
    fs.writeFileSync(plan.configFile, sshdConfig(plan, port, launch.layout));
    const child = spawnSshd(plan, launch);
    const pid = child.pid as number;
    try {
      await waitForBanner(child, { host: plan.addr, port }, launch.readyTimeoutMs);
      const { name, addr, logFile } = plan;
      const { user, layout } = launch;
      return { name, addr, port, user, identityFile: layout.identityFile, pid, logFile };
    } catch (err) {
      await stopHost(pid, killProcess);
      if (attempt < 3 && /Address already in use/.test(readLogTail(plan.logFile, 5))) continue;
      throw new Error(
        `sshd of ${plan.name} on ${plan.addr}:${port} ${(err as Error).message}\n` +
          `  command: ${launch.sshd} -D -e -f ${plan.configFile}\n` +
          `  log ${plan.logFile}, last lines:\n${readLogTail(plan.logFile)}`,
      );
    }
  }
}

function spawnSshd(plan: HostPlan, launch: Launch): ChildProcess {
  const out = fs.openSync(plan.logFile, 'a');
  // sshd re-executes itself for each connection, which needs the absolute path it started from.
  const child = spawn(launch.sshd, ['-D', '-e', '-f', plan.configFile], {
    detached: launch.detached,
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  if (child.pid === undefined) {
    throw new Error(`sshd did not start (${launch.sshd})\n  hint: ${INSTALL_HINT}`);
  }

  if (launch.detached) child.unref();
  else killOnExit(child.pid);
  return child;
}

async function waitForBanner(
  child: ChildProcess,
  at: BannerAddress,
  timeoutMs: number,
): Promise<void> {
  let exit: string | undefined;
  child.once('exit', (code, signal) => (exit = signal ? `signal ${signal}` : `code ${code}`));

  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exit) throw new Error(`exited (${exit}) before it was ready`);
    if (await readsSshBanner(at)) return;
    await sleep(50);
  }
  throw new Error(`sent no SSH banner in ${timeoutMs / 1000} s`);
}

// Accepting TCP is not enough: the banner shows that sshd loaded its keys and speaks SSH.
function readsSshBanner(at: BannerAddress): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(at);
    let received = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      if (received.includes('\n')) done(received.startsWith('SSH-2.0-'));
    });
    socket.once('error', () => done(false));
    socket.once('close', () => done(false));
  });
}

function writeKnownHosts(layout: Layout, plans: HostPlan[], hosts: FleetHost[]): void {
  const lines = hosts.map((host, i) => {
    const [type, key] = fs.readFileSync(`${plans[i].keyFile}.pub`, 'utf8').trim().split(/\s+/);
    const pattern = host.port === 22 ? host.addr : `[${host.addr}]:${host.port}`;
    return `${pattern} ${type} ${key}\n`;
  });
  fs.writeFileSync(layout.knownHostsFile, lines.join(''));
}

function describeFleet(layout: Layout, hosts: FleetHost[]): Fleet {
  const findHost = (name: string): FleetHost => {
    const host = hosts.find((h) => h.name === name);
    if (host) return host;
    const names = hosts.map((h) => h.name).join(', ');
    throw new Error(`no host ${name} in this fleet\n  hint: its hosts are ${names}`);
  };
  return {
    hosts,
    knownHostsFile: layout.knownHostsFile,
    identityFile: layout.identityFile,
    stateDir: layout.stateDir,
    inventoryYaml: (opts = {}) => renderInventory(hosts, layout, opts),
    stop: async () => {
      await Promise.all(hosts.map((host) => stopHost(host.pid, terminateProcess)));
    },
    kill: async (name) => stopHost(findHost(name).pid, killProcess),
  };
}

function renderInventory(hosts: FleetHost[], layout: Layout, opts: InventoryOptions): string {
  const { relativeTo } = opts;
  const shown = (file: string): string => (relativeTo ? path.relative(relativeTo, file) : file);
  const entry = (h: FleetHost): object => ({
    addr: h.addr,
    port: h.port,
    user: h.user,
    identity_file: shown(h.identityFile),
  });
  return stringify({
    hosts: Object.fromEntries(hosts.map((h) => [h.name, entry(h)])),
    targets: opts.targets ?? { all: hosts.map((h) => h.name) },
    ssh: { known_hosts: shown(layout.knownHostsFile) },
  });
}

// Connection handlers are children of the listening sshd and would outlive it: they go too.
async function stopHost(pid: number, stopper: (pid: number) => Promise<void>): Promise<void> {
  const sessions = listDescendants(pid);
  await stopper(pid);
  await Promise.all(sessions.map((session) => killProcess(session)));
  forgetOnExit(pid);
}

// The pid of a host's sshd while it runs; a stale pid file, or its pid reused by another
// program, reads as not running.
function readFleetPid(hostDir: string): number | undefined {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(path.join(hostDir, 'sshd.pid'), 'utf8').trim());
  } catch {
    return undefined;
  }

  if (!Number.isInteger(pid) || pid <= 0 || !isProcessAlive(pid)) return undefined;
  return readCommandLine(pid)?.includes(path.join(hostDir, 'sshd_config')) ? pid : undefined;
}
