import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Client, Connection } from '@temporalio/client';

import { DevServer, startDevServer } from '../../src/devkit/temporal-dev-server';
import { isProcessAlive } from '../../src/devkit/process-state';
import { useTemporal } from '../harness/temporal';

async function withClient<T>(address: string, use: (client: Client) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address });
  try {
    return await use(new Client({ connection }));
  } finally {
    await connection.close();
  }
}

describe('a dev server kept in memory', () => {
  const temporal = useTemporal();

  it('answers for namespace "default" on loopback', async () => {
    expect(temporal().address).toMatch(/^127\.0\.0\.1:\d+$/);

    const info = await withClient(temporal().address, (client) =>
      client.workflowService.describeNamespace({ namespace: 'default' }),
    );
    expect(info.namespaceInfo?.name).toBe('default');
  });
});

describe('a dev server with a SQLite file', () => {
  let server: DevServer | undefined;
  let dir: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hades-temporal-test-'));
  });
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps a started workflow across restart() on the same address', async () => {
    server = await startDevServer({ dbFile: path.join(dir, 'temporal.db'), logFile: path.join(dir, 'server.log') });
    const first = server;
    // No worker polls this queue: the workflow just stays open, which is all we need to find.
    const workflow = { taskQueue: 'restart-check', workflowId: 'survives-restart' };
    await withClient(first.address, (client) => client.workflow.start('notRegisteredWorkflow', workflow));

    server = await first.restart();

    expect(isProcessAlive(first.pid)).toBe(false);
    expect(server.address).toBe(first.address);
    expect(fs.statSync(path.join(dir, 'temporal.db')).size).toBeGreaterThan(0);
    const status = await withClient(server.address, async (client) => {
      const handle = client.workflow.getHandle('survives-restart');
      const description = await handle.describe();
      await handle.terminate('test done');
      return description.status.name;
    });
    expect(status).toBe('RUNNING');
  });
});
