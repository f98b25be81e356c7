/**
 * Scenario — OBS overlays: ONE web process (real Postgres + Redis, the flags `pnpm start:web` uses) serving `clients`
 * SSE streams spread over `guilds` guilds (a child process holds the clients). Bursts of alerts are then published
 * straight into the guilds' overlay streams (`alertsPerGuild` per guild per burst, pipelined as the bot's workers
 * would add them); each client records publish → receipt for every alert. Reports delivery latency, alerts lost or
 * repeated, and the web process's RSS before the clients, with them connected, and at its peak during the bursts.
 */
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createPrismaClient, disconnectPrisma } from '@kickcord/db';
import { createTestDatabase } from '@kickcord/db/testing';
import { OVERLAY_STREAM_MAX_LENGTH, overlayStreamKey, type OverlayAlert } from '@kickcord/queue';
import { freePort } from '@kickcord/testkit';
import { WEB_NODE_FLAGS } from '@kickcord/web';
import { Redis } from 'ioredis';
import { join } from 'node:path';
import { startChild, type BenchChild } from './child.ts';
import type { OverlayClientsReport } from './overlayClients.ts';
import { CACHE_DIR } from './pool.ts';
import { wipePrefix } from './redisKeys.ts';
import { summarize, type LatencySummary } from './stats.ts';

/** Settings of the overlays scenario. */
export interface OverlaysOptions {
  guilds: number;
  clients: number;
  bursts: number;
  alertsPerGuild: number;
  redisUrl: string;
  log: (line: string) => void;
}

/** What the overlays scenario reports. */
export interface OverlaysResult {
  guilds: number;
  clients: number;
  bursts: number;
  alertsPerGuild: number;
  /** Alerts × clients that should have arrived. */
  deliveries: number;
  received: number;
  lost: number;
  duplicates: number;
  /** Streams that ended during the run. */
  dropped: number;
  /** Bursts not fully delivered within their deadline. */
  incompleteBursts: number;
  /** Publish (XADD) → client receipt, ms. */
  latency: LatencySummary;
  /** Time to open every stream (clients opened 50 at a time). */
  connectMs: number;
  /** The web process's CPU time (user + system) per alert delivered to one client, during the bursts. */
  webCpuMicrosPerDelivery: number;
  webRss: { beforeClientsBytes: number; connectedBytes: number; peakBytes: number; perClientBytes: number };
}

interface MemoryReply {
  rss: number;
  peak: number;
  cpuMicros: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const nowMs = () => performance.timeOrigin + performance.now();

/** Runs the overlays scenario. */
export async function runOverlays(options: OverlaysOptions): Promise<OverlaysResult> {
  const { log } = options;
  const db = await createTestDatabase();
  const prisma = createPrismaClient(db.url);
  const prefix = `kc-bench-overlay-${randomBytes(4).toString('hex')}`;
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 3 });
  let web: BenchChild | undefined;
  let clients: BenchChild | undefined;
  try {
    // Guilds and their overlay keys (only the SHA-256 is stored, as the bot stores it).
    const guildIds = Array.from({ length: options.guilds }, (_, i) => String(700_000_000_000_000_000n + BigInt(i)));
    const tokens = guildIds.map(() => randomBytes(32).toString('base64url'));
    await prisma.guild.createMany({ data: guildIds.map((id, i) => ({ id, name: `Bench guild ${i}` })) });
    await prisma.overlayToken.createMany({ data: guildIds.map((guildId, i) => ({ guildId, tokenHash: createHash('sha256').update(tokens[i]!).digest('hex'), createdBy: '1' })) });

    const port = await freePort();
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    web = startChild(
      'servers/web.ts',
      {
        DATABASE_URL: db.url,
        REDIS_URL: options.redisUrl,
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        PORT: String(port),
        KICK_CLIENT_ID: 'bench-client',
        KICK_CLIENT_SECRET: 'bench-secret',
        KICK_API_URL: 'http://127.0.0.1:9',
        KICK_AUTH_URL: 'http://127.0.0.1:9',
        KICK_WEBHOOK_PUBLIC_KEY: publicKey,
        TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
        LOG_LEVEL: 'warn',
        BENCH_QUEUE_PREFIX: prefix,
      },
      { execArgv: [...WEB_NODE_FLAGS, ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${join(CACHE_DIR, 'profiles')}`] : [])] },
    );
    await web.next('listening');
    await sleep(500);
    const before = await web.request<MemoryReply>({ type: 'memory' }, 'memory');

    clients = startChild('overlayClients.ts');
    await clients.next('ready');
    // Clients spread evenly: client i watches guild i mod guilds.
    const streamTokens = Array.from({ length: options.clients }, (_, i) => tokens[i % options.guilds]!);
    log(`overlays: opening ${options.clients} SSE streams over ${options.guilds} guilds…`);
    const connected = await clients.request<{ connected: number; failed: number; ms: number }>({ type: 'connect', port, tokens: streamTokens, concurrency: 50 }, 'connected');
    if (connected.failed > 0) throw new Error(`${connected.failed} of ${options.clients} overlay streams were refused`);
    await sleep(1_000);
    const withClients = await web.request<MemoryReply>({ type: 'memory' }, 'memory');
    await web.request({ type: 'resetPeak' }, 'peakReset');

    log(`overlays: ${options.bursts} bursts of ${options.alertsPerGuild} alert(s) per guild → ${options.clients} clients…`);
    let incomplete = 0;
    for (let burst = 1; burst <= options.bursts; burst++) {
      await clients.request({ type: 'round', round: burst, expectPerClient: burst * options.alertsPerGuild, timeoutMs: 10_000 }, 'armed');
      const pipeline = redis.pipeline();
      for (let n = 0; n < options.alertsPerGuild; n++) {
        for (const guildId of guildIds) {
          const alert: OverlayAlert = { type: 'alert', kind: 'follow', text: 'bench_fan just followed!', user: 'bench_fan', message: String(nowMs()), sound: 'chime', durationMs: 5_000 };
          pipeline.xadd(overlayStreamKey(prefix, guildId), 'MAXLEN', '~', String(OVERLAY_STREAM_MAX_LENGTH), '*', 'e', JSON.stringify(alert));
        }
      }
      await pipeline.exec();
      const done = await clients.next<{ complete: boolean; reached: number }>('roundDone');
      if (!done.complete) incomplete++;
      await sleep(100);
    }
    const peak = await web.request<MemoryReply>({ type: 'memory' }, 'memory');
    const report = await clients.request<OverlayClientsReport>({ type: 'report' }, 'report');
    const deliveries = options.bursts * options.alertsPerGuild * options.clients;
    const received = report.latenciesMs.length;
    return {
      guilds: options.guilds,
      clients: options.clients,
      bursts: options.bursts,
      alertsPerGuild: options.alertsPerGuild,
      deliveries,
      received,
      lost: deliveries - received,
      duplicates: report.duplicates,
      dropped: report.dropped,
      incompleteBursts: incomplete,
      latency: summarize(report.latenciesMs),
      connectMs: connected.ms,
      webCpuMicrosPerDelivery: peak.cpuMicros / Math.max(1, received),
      webRss: {
        beforeClientsBytes: before.rss,
        connectedBytes: withClients.rss,
        peakBytes: Math.max(peak.peak, withClients.rss),
        perClientBytes: Math.max(0, (withClients.rss - before.rss) / options.clients),
      },
    };
  } finally {
    await clients?.stop();
    await web?.stop();
    await wipePrefix(redis, prefix).catch(() => undefined);
    redis.disconnect();
    await disconnectPrisma(prisma);
    await db.drop();
  }
}
