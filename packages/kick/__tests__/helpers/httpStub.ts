import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach } from 'vitest';

/** One request the stub received. */
export type StubRequest = { method: string; url: URL; headers: IncomingMessage['headers']; body: string };

export type StubReply = { status?: number; headers?: Record<string, string>; json?: unknown; text?: string; hang?: boolean };

export type StubHandler = (req: StubRequest) => StubReply | Promise<StubReply>;

/**
 * A tiny HTTP server on 127.0.0.1:0 that imitates Kick: the test sets `handler` and inspects
 * `requests`. Hanging replies are released on close.
 */
export async function startHttpStub(handler: StubHandler = () => ({ status: 404, json: { message: 'Not found' } })) {
  const requests: StubRequest[] = [];
  const hanging = new Set<ServerResponse>();
  const stub = {
    handler,
    requests,
    url: '',
    async close(): Promise<void> {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry: StubRequest = {
        method: req.method ?? 'GET',
        url: new URL(req.url ?? '/', 'http://stub'),
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(entry);
      void Promise.resolve(stub.handler(entry)).then((reply) => {
        if (reply.hang) {
          hanging.add(res);
          return;
        }
        const headers: Record<string, string> = { ...reply.headers };
        let payload = '';
        if (reply.json !== undefined) {
          headers['content-type'] ??= 'application/json';
          payload = JSON.stringify(reply.json);
        } else if (reply.text !== undefined) {
          headers['content-type'] ??= 'text/plain';
          payload = reply.text;
        }
        res.writeHead(reply.status ?? 200, headers).end(payload);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return stub;
}

export type HttpStub = Awaited<ReturnType<typeof startHttpStub>>;

/**
 * One stub for the calling test file: started before all its tests (handed to `use`), closed after them,
 * its request log cleared before each test.
 */
export function useHttpStub(use: (stub: HttpStub) => void): void {
  let stub: HttpStub | undefined;
  beforeAll(async () => {
    stub = await startHttpStub();
    use(stub);
  });
  afterAll(() => stub?.close());
  beforeEach(() => {
    if (stub) stub.requests.length = 0;
  });
}

/** A 127.0.0.1 URL on which nothing listens (a port that was just bound and released). */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
