import net from 'node:net';

/**
 * A TCP port that is free on `host` right now: the kernel picks one for a listener on port 0,
 * which is closed again. Another process may take it before the caller binds it; on loopback
 * addresses of our own that race is rare enough for tests.
 */
export function findFreePort(host: string = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', (err) =>
      reject(new Error(`no free port on ${host}: ${err.message}; is the address configured?`)),
    );
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** `count` distinct free ports on `host`. */
export async function findFreePorts(count: number, host: string = '127.0.0.1'): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await findFreePort(host));
  return [...ports];
}
