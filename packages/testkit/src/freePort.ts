import { createServer } from 'node:net';

/**
 * A free TCP port on 127.0.0.1, released before it is returned (so a URL such as PUBLIC_URL can be known
 * before the server that will use the port listens).
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
