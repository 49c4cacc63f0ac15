import { tmpdir } from 'node:os';
import type { ActionContext } from '../../src/actions/action-context';
import { localShell } from '../../src/actions/local-shell';
import { runCommand } from '../../src/actions/run-action';

function contextFor(signal?: AbortSignal): ActionContext {
  const log = { write: () => undefined, note: () => undefined };
  return { shell: localShell(tmpdir(), 'here (local)'), env: {}, log, signal } as unknown as ActionContext;
}

describe('run actions with a timeout', () => {
  it('stops a command that outlives its timeout and fails saying after how long', async () => {
    const started = Date.now();
    const outcome = await runCommand({ kind: 'run', command: 'sleep 20', timeoutMs: 300, index: 0 }, contextFor());

    expect(Date.now() - started).toBeLessThan(5_000);
    expect(outcome).toMatchObject({ status: 'failed', command: 'sleep 20', detail: 'timed out after 300ms; the command was stopped on the host' });
    expect(outcome).not.toHaveProperty('exitCode');
  });

  it('lets a command that ends in time end as it did', async () => {
    const outcome = await runCommand({ kind: 'run', command: 'exit 4', timeoutMs: 5_000, index: 0 }, contextFor());

    expect(outcome).toMatchObject({ status: 'failed', exitCode: 4 });
    expect(outcome).not.toHaveProperty('detail');
  });

  it('leaves a cancelled run a cancel, not a timeout', async () => {
    const cancel = new AbortController();
    setTimeout(() => cancel.abort(), 100);
    const outcome = await runCommand({ kind: 'run', command: 'sleep 20', timeoutMs: 10_000, index: 0 }, contextFor(cancel.signal));

    expect(outcome.detail).toBeUndefined();
    expect(outcome.status).toBe('failed');
  });
});
