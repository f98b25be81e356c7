import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { waitFor } from './testing.ts';

const run = promisify(execFile);

/** A local Redis Cluster of masters on loopback ports, for tests; `stop()` ends the servers and removes their files. */
export interface LocalRedisCluster {
  /** `redis+cluster://127.0.0.1:<first>?nodes=…` — a `REDIS_URL` for kickcord. */
  url: string;
  ports: number[];
  stop(): Promise<void>;
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** `count` ports p with p and p + 10000 (the cluster bus) free on 127.0.0.1. */
async function clusterPorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  for (let attempt = 0; ports.length < count && attempt < 500; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 30_000);
    if (ports.includes(port) || ports.includes(port + 10_000) || ports.includes(port - 10_000)) continue;
    if ((await portIsFree(port)) && (await portIsFree(port + 10_000))) ports.push(port);
  }
  if (ports.length < count) throw new Error(`found only ${ports.length} of ${count} free port pairs for a Redis Cluster`);
  return ports;
}

/**
 * Starts `masters` (default 3) `redis-server --cluster-enabled yes` processes on free loopback ports,
 * joins them with `redis-cli --cluster create --cluster-replicas 0`, and resolves once every node says
 * `cluster_state:ok`. Needs `redis-server` and `redis-cli` on the PATH (Redis 7).
 */
export async function startLocalRedisCluster(options: { masters?: number; timeoutMs?: number } = {}): Promise<LocalRedisCluster> {
  const masters = options.masters ?? 3;
  const ports = await clusterPorts(masters);
  const dir = mkdtempSync(join(tmpdir(), 'kickcord-cluster-'));
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGKILL');
          }),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const port of ports) {
      const nodeDir = mkdtempSync(join(dir, `${port}-`));
      const child = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-config-file', join(nodeDir, 'nodes.conf'), '--dir', nodeDir, '--save', '', '--appendonly', 'no', '--logfile', join(nodeDir, 'redis.log')],
        { stdio: 'ignore' },
      );
      children.push(child);
    }
    const deadline = { timeoutMs: options.timeoutMs ?? 20_000, intervalMs: 50 };
    for (const port of ports) {
      await waitFor(async () => (await run('redis-cli', ['-p', String(port), 'ping'])).stdout.trim() === 'PONG', { ...deadline, description: `redis-server on port ${port}` });
    }
    await run('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes']);
    for (const port of ports) {
      await waitFor(
        async () => {
          const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0 });
          try {
            await client.connect();
            return String(await client.cluster('INFO')).includes('cluster_state:ok');
          } finally {
            client.disconnect();
          }
        },
        { ...deadline, description: `cluster_state:ok on port ${port}` },
      );
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const [first, ...rest] = ports;
  return { url: `redis+cluster://127.0.0.1:${first}?nodes=${rest.map((p) => `127.0.0.1:${p}`).join(',')}`, ports, stop };
}
