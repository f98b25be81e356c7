/**
 * Linked Roles in the bot: `pnpm discord:register`'s metadata registration and the updater that keeps role
 * connections in step (a value change, a subscription, a 429, a revoked grant), against discord-sim, real
 * PostgreSQL and Redis.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { DiscordUserOAuth, RoleConnectionService, STATS_REWRITE_INTERVAL_MS } from '@kickcord/connections';
import { appendLedgerEntries, TokenCipher } from '@kickcord/db';
import { createTestDatabase, type TestDatabase } from '@kickcord/db/testing';
import { startDiscordSim, type DiscordSim } from '@kickcord/discord-sim';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBotEnv, type BotEnv } from '../src/env.ts';
import { runLinkedRolesSync } from '../src/features/linkedRoles/linkedRolesSync.ts';
import { registerRoleConnectionMetadata } from '../src/features/linkedRoles/registerMetadata.ts';
import { RedisKeys } from '../src/redisKeys.ts';
import { MINIMAL_BOT_ENV } from './helpers/minimalEnv.ts';

const REDIRECT = 'http://127.0.0.1:9/linked-roles/callback';
const ALICE = '880000000000000001';
const GUILD_A = '880000000000000101';
const GUILD_B = '880000000000000102';
const KICK_ALICE = 7701;

class Lines extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _e: BufferEncoding, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
}

let db: TestDatabase;
let sim: DiscordSim;
let redis: Redis;
let env: BotEnv;
let ctx: Parameters<typeof runLinkedRolesSync>[0];
const logs = new Lines();
const keys = new RedisKeys(`kc-test-lr-${randomBytes(3).toString('hex')}`);
const encryptionKey = randomBytes(32).toString('hex');

/** As if the role connection was last written longer ago than the rewrite interval. */
const writtenLongAgo = () => db.prisma.discordRoleConnection.updateMany({ data: { writtenAt: new Date(Date.now() - STATS_REWRITE_INTERVAL_MS - 1000) } });

const points = (guildId: string, amount: number, key: string) =>
  appendLedgerEntries(db.prisma, [{ guildId, kickUserId: KICK_ALICE, username: 'alice_k', kind: 'admin', points: amount, idempotencyKey: key }]);

beforeAll(async () => {
  [db, sim] = await Promise.all([createTestDatabase(), startDiscordSim({ oauth2: { redirectUris: [REDIRECT] } })]);
  redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 2 });
  sim.addUser({ id: ALICE, username: 'alice' });
  env = parseBotEnv({
    ...MINIMAL_BOT_ENV,
    DATABASE_URL: db.url,
    TOKEN_ENCRYPTION_KEY: encryptionKey,
    DISCORD_TOKEN: sim.token,
    DISCORD_CLIENT_ID: sim.applicationId,
    DISCORD_CLIENT_SECRET: sim.oauthClientSecret,
    DISCORD_API_URL: sim.apiUrl,
  });
  ctx = { env, prisma: db.prisma, redis, keys, cipher: new TokenCipher(encryptionKey), logger: pino({ level: 'info' }, logs), now: () => new Date() };
  await db.prisma.guild.createMany({ data: [{ id: GUILD_A, name: 'A' }, { id: GUILD_B, name: 'B' }] });
});
afterAll(async () => {
  const own = await redis.keys(`${keys.prefix}:*`);
  if (own.length > 0) await redis.del(...own);
  redis?.disconnect();
  await sim?.close();
  await db?.drop();
});

describe('Linked Roles: registration and the updater', () => {
  it('pnpm discord:register registers the five metadata fields Discord accepts', async () => {
    const stored = await registerRoleConnectionMetadata(env);
    expect(stored.map((r) => r.key)).toEqual(['kick_subscriber', 'watch_hours', 'points', 'linked_since', 'subscribed_since']);
    expect(sim.roleConnectionMetadata().map((r) => [r.key, r.type])).toEqual([
      ['kick_subscriber', 7],
      ['watch_hours', 2],
      ['points', 2],
      ['linked_since', 5],
      ['subscribed_since', 5],
    ]);
  });

  it('writes the connection of a verified, linked user once, then only when something changed', async () => {
    // The user verifies (as /linked-roles does): consent on discord-sim, code exchanged, grant stored.
    const oauth = new DiscordUserOAuth({ clientId: sim.applicationId, clientSecret: sim.oauthClientSecret, apiUrl: sim.apiUrl });
    const consent = await fetch(`${oauth.authorizeUrl({ redirectUri: REDIRECT, state: 's' })}&sim_user_id=${ALICE}`, { redirect: 'manual' });
    const code = new URL(consent.headers.get('location') as string).searchParams.get('code') as string;
    const service = new RoleConnectionService({ prisma: db.prisma, cipher: ctx.cipher, oauth, api: undefined as never, applicationId: sim.applicationId });
    await service.saveGrant({ discordUserId: ALICE, discordUsername: 'alice', tokens: await oauth.exchangeCode({ code, redirectUri: REDIRECT }) });
    await db.prisma.accountLink.create({ data: { discordUserId: ALICE, kickUserId: KICK_ALICE, kickUsername: 'alice_k', verifiedAt: new Date('2026-09-01T00:00:00.000Z') } });
    await points(GUILD_A, 250, 'admin:a1');
    await points(GUILD_B, 900, 'admin:b1');

    expect(await runLinkedRolesSync(ctx, { writeGapMs: 0 })).toMatchObject({ ran: true, checked: 1, written: 1 });
    expect(sim.roleConnection(ALICE)).toEqual({
      platform_name: 'Kick',
      platform_username: 'alice_k',
      metadata: { kick_subscriber: '0', watch_hours: '0', points: '900', linked_since: '2026-09-01T00:00:00.000Z' },
    });
    const puts = () => sim.restCalls.filter((c) => c.method === 'PUT' && c.path.endsWith('/role-connection')).length;
    const before = puts();
    expect(await runLinkedRolesSync(ctx, { writeGapMs: 0 })).toMatchObject({ ran: true, checked: 0, written: 0 });
    expect(puts()).toBe(before);
  });

  it('a points change is written after the rewrite interval; a new subscription at the next run', async () => {
    await points(GUILD_B, 100, 'admin:b2');
    expect(await runLinkedRolesSync(ctx, { writeGapMs: 0 })).toMatchObject({ checked: 0 });
    await db.prisma.roleRewardSubscription.create({ data: { guildId: GUILD_A, kickUserId: KICK_ALICE, expiresAt: new Date(Date.now() + 30 * 86_400_000) } });
    expect(await runLinkedRolesSync(ctx, { writeGapMs: 0 })).toMatchObject({ checked: 1, written: 1 });
    // The subscription forced a write, which carried the new points along.
    expect(sim.roleConnection(ALICE)?.metadata).toMatchObject({ kick_subscriber: '1', points: '1000' });

    await points(GUILD_B, 50, 'admin:b3');
    await writtenLongAgo();
    expect(await runLinkedRolesSync(ctx, { writeGapMs: 0 })).toMatchObject({ checked: 1, written: 1 });
    expect(sim.roleConnection(ALICE)?.metadata.points).toBe('1050');
  });

  it('a 429 stops the run and leaves the user due; the next run writes', async () => {
    await points(GUILD_B, 1, 'admin:b4');
    await writtenLongAgo();
    sim.rateLimitNext({ method: 'PUT', pathPrefix: '/users/@me/applications' }, 1.5);
    expect(await runLinkedRolesSync(ctx, { writeGapMs: 0 })).toMatchObject({ checked: 1, written: 0, failed: 1, rateLimitedForMs: 1500 });
    expect(logs.lines.some((l) => l.includes('the remaining users are updated at the next run'))).toBe(true);
    expect(await runLinkedRolesSync(ctx, { writeGapMs: 0 })).toMatchObject({ checked: 1, written: 1 });
    expect(sim.roleConnection(ALICE)?.metadata.points).toBe('1051');
  });

  it('one worker at a time: a held lock skips the run', async () => {
    await redis.set(keys.lock('linked-roles'), 'someone-else', 'PX', 5000);
    try {
      expect(await runLinkedRolesSync(ctx, { writeGapMs: 0 })).toMatchObject({ ran: false });
    } finally {
      await redis.del(keys.lock('linked-roles'));
    }
  });

  it('a revoked grant is dropped with one clear log line, never retried, and no token is logged', async () => {
    const row = await db.prisma.discordRoleConnection.findUniqueOrThrow({ where: { discordUserId: ALICE } });
    const access = ctx.cipher.decrypt(row.accessTokenEnc, `discord-role-connection:${ALICE}:access`);
    sim.revokeUserAuthorization(ALICE);
    await points(GUILD_B, 1, 'admin:b5');
    await writtenLongAgo();
    expect(await runLinkedRolesSync(ctx, { writeGapMs: 0 })).toMatchObject({ checked: 1, dropped: 1 });
    expect(await db.prisma.discordRoleConnection.count()).toBe(0);
    const dropped = logs.lines.filter((l) => l.includes('removed the app under Authorized Apps'));
    expect(dropped).toHaveLength(1);
    expect(dropped[0]).toContain(ALICE);
    expect(await runLinkedRolesSync(ctx, { writeGapMs: 0 })).toMatchObject({ ran: true, checked: 0 });
    expect(logs.lines.join('\n')).not.toContain(access);
  });

  it('does nothing without DISCORD_CLIENT_SECRET', async () => {
    const off = { ...ctx, env: { ...env, DISCORD_CLIENT_SECRET: undefined } };
    expect(await runLinkedRolesSync(off)).toMatchObject({ ran: false, checked: 0 });
  });
});
