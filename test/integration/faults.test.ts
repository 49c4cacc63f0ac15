import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { eventually, readMarks, startRunEnv, waitForOutput, waitForRunId, type CliProcess, type RunEnv } from '../support/run-env';
import { yaml } from '../support/config-dir';

// Every command writes `<host> <event> <ns>` lines, so a test counts how often each part ran.
const mark = (event: string) => `echo "$HADES_HOST_NAME ${event} $(date +%s%N)" >> "\${MARK_DIR}/$HADES_HOST_NAME"`;

// The unique text of the command the timeout test stops, for pgrep on this machine (the hosts'
// sshd sessions run here, on loopback).
const TIMEOUT_MARKER = `hades-timeout-probe-${process.pid}`;

const CONFIG = yaml`
  jobs:
    long:
      env: { MARK_DIR: }
      actions:
        - run: ${mark('first')}
        - name: slow
          run: ${mark('slow-start')}; sleep 8; ${mark('slow-end')}
        - run: ${mark('last')}
    never-twice:
      rerun_interrupted: false
      env: { MARK_DIR: }
      actions:
        - run: ${mark('first')}
        - name: slow
          run: ${mark('slow-start')}; sleep 8; ${mark('slow-end')}
        - run: ${mark('last')}
    failing:
      env: { MARK_DIR: }
      actions:
        - run: ${mark('try')}; echo "disk full on $HADES_HOST_NAME" >&2; exit 3
    failing-with-retries:
      retries: 2
      env: { MARK_DIR: }
      actions:
        - run: ${mark('try')}; exit 3
    flaky:
      retries: 3
      env: { MARK_DIR: }
      actions:
        - run: ${mark('try')}; [ "$(grep -c try "\${MARK_DIR}/$HADES_HOST_NAME")" -ge 2 ]
    hang-up:
      env: { MARK_DIR: }
      actions:
        - run: ${mark('start')}; sleep 20; ${mark('end')}
    limited:
      env: { MARK_DIR: }
      actions:
        - run: ${mark('start')}; sleep 37; echo ${TIMEOUT_MARKER}; ${mark('end')}
          timeout: 2s
        - run: ${mark('after')}
    quick:
      env: { MARK_DIR: }
      actions:
        - run: ${mark('ran')}
  plans:
    long: { env: { MARK_DIR: "\${MARK_DIR}" }, steps: [{ name: work, job: long, targets: [host-01] }] }
    never-twice: { env: { MARK_DIR: "\${MARK_DIR}" }, steps: [{ name: work, job: never-twice, targets: [host-01] }] }
    failing: { env: { MARK_DIR: "\${MARK_DIR}" }, steps: [{ name: work, job: failing, targets: [host-04] }] }
    failing-with-retries: { env: { MARK_DIR: "\${MARK_DIR}" }, steps: [{ name: work, job: failing-with-retries, targets: [host-04] }] }
    step-retries: { env: { MARK_DIR: "\${MARK_DIR}" }, steps: [{ name: work, job: failing, targets: [host-04], retries: 1 }] }
    flaky: { env: { MARK_DIR: "\${MARK_DIR}" }, steps: [{ name: work, job: flaky, targets: [host-04] }] }
    hang-up: { env: { MARK_DIR: "\${MARK_DIR}" }, steps: [{ name: work, job: hang-up, targets: [host-03] }] }
    limited: { env: { MARK_DIR: "\${MARK_DIR}" }, steps: [{ name: work, job: limited, targets: [host-04] }] }
    refused: { env: { MARK_DIR: "\${MARK_DIR}" }, steps: [{ name: work, job: quick, targets: [host-02] }] }
    wrong-key: { env: { MARK_DIR: "\${MARK_DIR}" }, steps: [{ name: work, job: quick, targets: [wrong-key] }] }
`;

describe('faults', () => {
  let env: RunEnv;
  const workers: CliProcess[] = [];
  const extraDirs: string[] = [];

  beforeAll(async () => {
    env = await startRunEnv({ hosts: 4 });
    const host04 = env.fleet.hosts[3];
    const stranger = join(mkdtempSync(join(tmpdir(), 'hades-faults-key-')), 'stranger_ed25519');
    extraDirs.push(join(stranger, '..'));
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', stranger]);
    const wrongKey = yaml`
      hosts:
        wrong-key: { addr: ${host04.addr}, port: ${host04.port}, user: ${host04.user}, identity_file: ${stranger} }
    `;
    env.writeConfig('plan.yaml', CONFIG + wrongKey);
  });
  afterAll(async () => {
    for (const worker of workers) worker.child.kill('SIGKILL');
    await env?.stop();
    for (const dir of extraDirs) rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    for (const file of readdirSync(env.markDir)) rmSync(join(env.markDir, file));
  });

  const count = (host: string, event: string) => readMarks(env.markDir).filter((m) => m.host === host && m.event === event).length;
  const hostLog = (runId: string, host: string) => {
    const logs = join(env.configDir, '..', 'logs');
    const dir = readdirSync(logs).find((name) => name.includes(runId.replace(/[^A-Za-z0-9._-]/g, '_')));
    return dir ? readFileSync(join(logs, dir, `${host}.log`), 'utf8') : '';
  };
  const startWorker = async (): Promise<CliProcess> => {
    const worker = env.start(['worker']);
    workers.push(worker);
    await waitForOutput(worker, /worker serving task queue/);
    return worker;
  };

  /**
   * Starts `plan` with its own worker, kills that worker with SIGKILL `afterMs` into action 1, and
   * starts another.
   */
  const loseWorkerInSlowAction = async (plan: string, afterMs: number) => {
    const first = await startWorker();
    const run = env.start(['run', plan, '-c', env.configDir, '--no-worker']);
    const runId = await waitForRunId(run);
    await eventually('action 1 to start on host-01', () => (count('host-01', 'slow-start') === 1 ? true : undefined));
    await sleep(afterMs);
    first.child.kill('SIGKILL');
    await first.done;
    const killedAt = Date.now();
    const second = await startWorker();
    const result = await run.done;
    second.child.kill('SIGTERM');
    await second.done;
    return { runId, result, resumedAfterMs: Date.now() - killedAt };
  };

  it('resumes a host at the action a killed worker was running, without running earlier actions again', async () => {
    // A checkpoint reaches Temporal within the worker's heartbeat throttle (2s): kill after it.
    const { runId, result, resumedAfterMs } = await loseWorkerInSlowAction('long', 3_000);
    console.log(`lost worker: run ended ${(resumedAfterMs / 1000).toFixed(1)}s after the kill (heartbeat timeout + retry pause + sleep 8)\n${result.stdout}`);

    expect(result.code).toBe(0);
    expect(count('host-01', 'first')).toBe(1);
    expect(count('host-01', 'slow-start')).toBe(2);
    expect(count('host-01', 'last')).toBe(1);
    expect(result.stdout).toContain('host-01 succeeded');
    expect(result.stdout).toContain('(action 1 run again after a lost worker)');
    expect(hostLog(runId, 'host-01')).toContain('action [1] run "slow" was interrupted by a lost worker and is run again');
    expect(resumedAfterMs).toBeLessThan(45_000);
  });

  it('fails the interrupted action instead of running it again when the job says rerun_interrupted: false', async () => {
    // Such a job waits for its checkpoint before each action: the kill may come at once.
    const { runId, result } = await loseWorkerInSlowAction('never-twice', 0);
    console.log(`rerun_interrupted: false\n${result.stdout}`);

    expect(result.code).toBe(1);
    expect(count('host-01', 'first')).toBe(1);
    expect(count('host-01', 'slow-start')).toBe(1);
    expect(count('host-01', 'last')).toBe(0);
    // The lost worker's command is not stopped: it ran to its end on the host (Known limitations).
    expect(count('host-01', 'slow-end')).toBe(1);
    const line = `error[ACTION_INTERRUPTED] host-01 (127.0.1.1): action [1] run "slow" was interrupted by a lost worker and not run again, because the job says rerun_interrupted: false`;
    expect(result.stdout).toContain(line);
    expect(hostLog(runId, 'host-01')).toContain('not run again, because the job says rerun_interrupted: false');
  });

  it('runs a failing command once when nothing asks for retries', async () => {
    const result = await env.hades(['run', 'failing', '-c', env.configDir]);
    console.log(`no retries\n${result.stdout}`);

    expect(result.code).toBe(1);
    expect(count('host-04', 'try')).toBe(1);
    expect(result.stdout).toMatch(/error\[ACTION_FAILED\] host-04 \(127\.0\.1\.4\): action \[0\] run: echo .* exited with code 3\n/);
    expect(result.stdout).toContain('disk full on host-04');
  });

  it('runs a failing command retries + 1 times when the job says retries: 2, and says so', async () => {
    const result = await env.hades(['run', 'failing-with-retries', '-c', env.configDir]);
    console.log(`retries: 2\n${result.stdout}`);

    expect(result.code).toBe(1);
    expect(count('host-04', 'try')).toBe(3);
    expect(result.stdout).toContain('exited with code 3, on each of its 3 runs');
    expect(result.stdout).toContain('exit code 3 (ran 3 times)');
  });

  it('takes retries from the step over the job', async () => {
    const result = await env.hades(['run', 'step-retries', '-c', env.configDir]);

    expect(result.code).toBe(1);
    expect(count('host-04', 'try')).toBe(2);
  });

  it('stops retrying once the command succeeds', async () => {
    const result = await env.hades(['run', 'flaky', '-c', env.configDir]);

    expect(result.code).toBe(0);
    expect(count('host-04', 'try')).toBe(2);
  });

  it('stops a run action at its timeout on the host, and fails it saying so', async () => {
    const run = env.start(['run', 'limited', '-c', env.configDir]);
    const pgrep = () => {
      try {
        return execFileSync('pgrep', ['-f', TIMEOUT_MARKER], { encoding: 'utf8' }).trim();
      } catch {
        return '';
      }
    };
    await eventually('the command to run on the host', () => (pgrep() !== '' ? true : undefined), 15_000);
    const result = await run.done;
    console.log(`timeout: 2s\n${result.stdout}`);

    expect(result.code).toBe(1);
    expect(pgrep()).toBe('');
    expect(count('host-04', 'start')).toBe(1);
    expect(count('host-04', 'end')).toBe(0);
    expect(count('host-04', 'after')).toBe(0);
    expect(result.stdout).toMatch(/error\[ACTION_FAILED\] host-04 \(127\.0\.1\.4\): action \[0\] run: .* failed: timed out after 2s; the command was stopped on the host/);
  });

  it('fails a host whose sshd refuses connections after a bounded number of tries, in one line', async () => {
    await env.fleet.kill('host-02');
    const started = Date.now();
    const result = await env.hades(['run', 'refused', '-c', env.configDir]);
    console.log(`connection refused (${((Date.now() - started) / 1000).toFixed(1)}s)\n${result.stdout}`);

    expect(result.code).toBe(1);
    const port = env.fleet.hosts[1].port;
    expect(result.stdout).toMatch(new RegExp(`error\\[CONNECT_REFUSED\\] host-02 \\(\\S+@127\\.0\\.1\\.2:${port}\\): connection refused \\(tried 4 times over [\\d.]+s\\)`));
    expect(result.stdout).toContain(`FAILED work: host-02 (127.0.1.2): CONNECT_REFUSED: connection refused (tried 4 times over`);
    expect(result.stdout).toContain(`check that sshd runs on the host and listens on port ${port}`);
    expect(count('host-02', 'ran')).toBe(0);
  });

  it('fails a host that accepts TCP but never speaks SSH at the connect timeout, after bounded tries', async () => {
    const silent = net.createServer(() => undefined);
    const sockets: net.Socket[] = [];
    silent.on('connection', (socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as net.AddressInfo).port;
    const dir = mkdtempSync(join(tmpdir(), 'hades-faults-silent-'));
    extraDirs.push(dir);
    copyFileSync(join(env.configDir, 'inventory.yaml'), join(dir, 'inventory.yaml'));
    writeFileSync(join(dir, 'plan.yaml'), yaml`
      ssh:
        connect_timeout: 2s
      hosts:
        silent: { addr: 127.0.0.1, port: ${port}, identity_file: ${env.fleet.identityFile} }
      jobs:
        quick: { actions: [{ run: "true" }] }
      plans:
        silent: { steps: [{ name: work, job: quick, targets: [silent] }] }
    `);
    try {
      const started = Date.now();
      const result = await env.hades(['run', 'silent', '-c', dir]);
      console.log(`connect timeout (${((Date.now() - started) / 1000).toFixed(1)}s, ${sockets.length} connections)\n${result.stdout}${result.stderr}`);

      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(new RegExp(`error\\[CONNECT_TIMEOUT\\] silent \\(\\S+@127\\.0\\.0\\.1:${port}\\): no SSH handshake within 2s \\(ssh\\.connect_timeout\\) \\(tried 4 times over [\\d.]+s\\)`));
      expect(result.stdout).toContain(`check that 127.0.0.1:${port} is the host's sshd`);
      expect(sockets.length).toBe(4);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });

  it('fails a host that refuses the key at once, naming the key', async () => {
    const result = await env.hades(['run', 'wrong-key', '-c', env.configDir]);
    console.log(`authentication refused\n${result.stdout}`);

    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/error\[AUTH_REFUSED\] wrong-key \(\S+@127\.0\.1\.4:\d+\): authentication refused for user \S+ with identity_file \S+stranger_ed25519\n/);
    expect(result.stdout).toContain('check that the host\'s authorized_keys for');
  });

  it('fails a host whose connection drops mid-command, once, without running it again', async () => {
    const run = env.start(['run', 'hang-up', '-c', env.configDir]);
    await eventually('the command to start on host-03', () => (count('host-03', 'start') === 1 ? true : undefined));
    await env.fleet.kill('host-03');
    const result = await run.done;
    console.log(`connection dropped\n${result.stdout}`);
    await sleep(500);

    expect(result.code).toBe(1);
    expect(result.stdout).toContain('error[CONNECTION_LOST] host-03 (127.0.1.3): connection lost while action [0] run');
    expect(result.stdout).toContain('the command may or may not have finished on the host');
    expect(count('host-03', 'start')).toBe(1);
    expect(count('host-03', 'end')).toBe(0);
  });
});
