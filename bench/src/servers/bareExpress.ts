/** Child process: the Express 5 baseline — one route that reads the body and answers 200. */
import type { AddressInfo } from 'node:net';
import express from 'express';
import { serveBenchIpc } from './memory.ts';

const app = express();
app.post('/webhooks/kick', (req, res) => {
  req.on('data', () => undefined);
  req.on('end', () => {
    res.status(200).json({ status: 'ok' });
  });
});
const server = app.listen(0, '127.0.0.1', () => {
  serveBenchIpc(() => new Promise((resolve) => server.close(() => resolve())));
  process.send?.({ type: 'listening', port: (server.address() as AddressInfo).port });
});
server.keepAliveTimeout = 65_000;
