import { createServer } from 'node:net';

function tryListen(port: number, host: string): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') resolve(null);
      else reject(error);
    });
    server.listen(port, host, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(bound));
    });
  });
}

/**
 * `preferred` when it is free on `host` (default 127.0.0.1), otherwise any free port; `0` = any free port.
 * The port is released before returning (tiny race, fine for a local sandbox).
 */
export async function pickPort(preferred: number, host = '127.0.0.1'): Promise<number> {
  if (preferred > 0) {
    const port = await tryListen(preferred, host);
    if (port !== null) return port;
  }
  const any = await tryListen(0, host);
  if (any === null) throw new Error(`No free TCP port on ${host}.`);
  return any;
}
