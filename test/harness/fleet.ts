import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Fleet, FleetOptions, startFleet } from '../../src/devkit/ssh-fleet';

/**
 * Starts `count` sshd hosts in a temporary state dir before the file's tests and stops them after;
 * returns a getter, since the fleet exists only once beforeAll has run.
 */
export function useFleet(count: number, opts: Partial<Omit<FleetOptions, 'count'>> = {}): () => Fleet {
  let fleet: Fleet | undefined;
  let stateDir: string | undefined;

  beforeAll(async () => {
    stateDir = opts.stateDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'hades-fleet-'));
    fleet = await startFleet({ ...opts, count, stateDir });
  });
  afterAll(async () => {
    await fleet?.stop();
    if (stateDir && !opts.stateDir) fs.rmSync(stateDir, { recursive: true, force: true });
  });

  return () => {
    if (!fleet) throw new Error('the fleet is not running: use it inside a test, after beforeAll');
    return fleet;
  };
}
