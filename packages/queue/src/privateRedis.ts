/**
 * A Redis server of its own on a free loopback port (no persistence): for tests that run server-wide commands
 * (SCRIPT FLUSH, MONITOR of everything) that must not touch other test files on the shared Redis, and for bench
 * sections whose Redis CPU figure must count only their own commands.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { waitFor } from './testing.ts';

/** A running private Redis: its URL and how to stop it. */
export interface PrivateRedis {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port assigned'))));
    });
  });
}

/** Starts `redis-server` (from the PATH) and resolves once it answers PING, within `timeoutMs`. */
export async function startPrivateRedis(timeoutMs = 10_000): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'kickcord-redis-'));
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--logfile', join(dir, 'redis.log')], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const url = `redis://127.0.0.1:${port}`;
  const ping = async (): Promise<'ready' | 'exited' | undefined> => {
    if (spawnError || child.exitCode !== null) return 'exited';
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
    probe.on('error', () => undefined);
    const pong = await probe
      .connect()
      .then(() => probe.ping())
      .catch(() => undefined);
    probe.disconnect();
    return pong === 'PONG' ? 'ready' : undefined;
  };
  let state: 'ready' | 'exited';
  try {
    state = await waitFor(ping, { timeoutMs, intervalMs: 50, description: `redis-server on port ${port} to answer PING` });
  } catch (error) {
    await stop();
    throw error;
  }
  if (state === 'exited') {
    await stop();
    throw new Error(`could not start redis-server${spawnError ? `: ${spawnError.message}` : ' (it exited)'}`);
  }
  return { url, pid: child.pid ?? 0, stop };
}
