/** Child process: the node:http baseline — read the body, answer 200. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveBenchIpc } from './memory.ts';

const OK = Buffer.from('{"status":"ok"}');
const server = createServer((req, res) => {
  req.on('data', () => undefined);
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': OK.length });
    res.end(OK);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  serveBenchIpc(() => new Promise((resolve) => server.close(() => resolve())));
  process.send?.({ type: 'listening', port: (server.address() as AddressInfo).port });
});
