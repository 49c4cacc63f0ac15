import { DevServer, DevServerOptions, startDevServer } from '../../src/devkit/temporal-dev-server';

/**
 * Starts a Temporal dev server (in memory, free ports on 127.0.0.1) before the file's tests and
 * stops it after; returns a getter for its address and controls.
 */
export function useTemporal(opts: DevServerOptions = {}): () => DevServer {
  let server: DevServer | undefined;

  beforeAll(async () => {
    server = await startDevServer(opts);
  });
  afterAll(async () => {
    await server?.stop();
  });

  return () => {
    if (!server) throw new Error('the Temporal server is not running: use it inside a test, after beforeAll');
    return server;
  };
}
