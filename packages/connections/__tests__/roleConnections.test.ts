import { randomBytes } from 'node:crypto';
import {
  DiscordUserApi,
  DiscordUserApiError,
  DiscordUserOAuth,
  LINKED_ROLES_METADATA,
  RoleConnectionService,
  STATS_REWRITE_INTERVAL_MS,
  SUBSCRIBER_GRACE_MS,
  type ConnectionsLogger,
} from '@kickcord/connections';
import { TokenCipher } from '@kickcord/db';
import { createTestDatabase, type TestDatabase } from '@kickcord/db/testing';
import { startDiscordSim, type DiscordSim } from '@kickcord/discord-sim';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const REDIRECT = 'http://kickcord.test/linked-roles/callback';
const ALICE = '860000000000000001';
const GUILD_A = '860000000000000101';
const GUILD_B = '860000000000000102';
const KICK_ALICE = 9101;

let db: TestDatabase;
let sim: DiscordSim;
let oauth: DiscordUserOAuth;
let api: DiscordUserApi;
let service: RoleConnectionService;
let clock: Date;
const warnings: { obj: object; msg: string | undefined }[] = [];
const logger: ConnectionsLogger = { info() {}, warn: (obj, msg) => warnings.push({ obj, msg }), error() {} };
const cipher = new TokenCipher(randomBytes(32));

/** The user approves on discord-sim's consent page; the code is exchanged through simple-oauth2. */
async function verifyAs(userId: string) {
  const url = oauth.authorizeUrl({ redirectUri: REDIRECT, state: 'state-1' });
  const res = await fetch(`${url}&sim_user_id=${userId}`, { redirect: 'manual' });
  const code = new URL(res.headers.get('location') as string).searchParams.get('code') as string;
  return oauth.exchangeCode({ code, redirectUri: REDIRECT });
}

beforeAll(async () => {
  db = await createTestDatabase();
  sim = await startDiscordSim({ oauth2: { redirectUris: [REDIRECT] } });
  sim.addUser({ id: ALICE, username: 'alice' });
  oauth = new DiscordUserOAuth({ clientId: sim.applicationId, clientSecret: sim.oauthClientSecret, apiUrl: sim.apiUrl });
  api = new DiscordUserApi({ apiUrl: sim.apiUrl });
  service = new RoleConnectionService({ prisma: db.prisma, cipher, oauth, api, applicationId: sim.applicationId, logger, now: () => clock });
  await api.putRoleConnectionMetadata(sim.token, sim.applicationId, LINKED_ROLES_METADATA);
  await db.prisma.guild.createMany({ data: [{ id: GUILD_A, name: 'A' }, { id: GUILD_B, name: 'B' }] });
});
afterAll(async () => {
  await sim?.close();
  await db?.drop();
});
beforeEach(() => {
  clock = new Date();
});

describe('RoleConnectionService against discord-sim', () => {
  it('the metadata kickcord registers is accepted by Discord as is', () => {
    expect(sim.roleConnectionMetadata().map((r) => [r.key, r.type])).toEqual([
      ['kick_subscriber', 7],
      ['watch_hours', 2],
      ['points', 2],
      ['linked_since', 5],
      ['subscribed_since', 5],
    ]);
  });

  it('an unlinked user gets the platform name and no metadata; tokens are stored encrypted', async () => {
    const tokens = await verifyAs(ALICE);
    expect(tokens.scopes).toEqual(['identify', 'role_connections.write']);
    await service.saveGrant({ discordUserId: ALICE, discordUsername: 'alice', tokens });
    const row = await db.prisma.discordRoleConnection.findUniqueOrThrow({ where: { discordUserId: ALICE } });
    expect(JSON.stringify(row)).not.toContain(tokens.accessToken);
    expect(JSON.stringify(row)).not.toContain(tokens.refreshToken);
    expect(await service.sync(ALICE)).toMatchObject({ outcome: 'written' });
    expect(sim.roleConnection(ALICE)).toEqual({ platform_name: 'Kick', platform_username: null, metadata: {} });
    expect(await service.dirtyUserIds(10)).toEqual([]);
  });

  it('a link makes the user dirty; the largest points and watch hours across active servers are written', async () => {
    const linkedAt = new Date('2026-11-01T12:00:00.000Z');
    await db.prisma.accountLink.create({ data: { discordUserId: ALICE, kickUserId: KICK_ALICE, kickUsername: 'alice_k', verifiedAt: new Date() } });
    await db.prisma.viewerStats.createMany({
      data: [
        { guildId: GUILD_A, kickUserId: KICK_ALICE, username: 'alice_k', points: 1200, activeMinutes: 125 },
        { guildId: GUILD_B, kickUserId: KICK_ALICE, username: 'alice_k', points: 300, activeMinutes: 610 },
      ],
    });
    clock = new Date(Date.now() + 1000);
    expect(await service.dirtyUserIds(10, clock)).toEqual([ALICE]);
    await db.prisma.accountLink.update({ where: { discordUserId: ALICE }, data: { verifiedAt: linkedAt } });
    clock = new Date();
    expect(await service.sync(ALICE)).toMatchObject({ outcome: 'written' });
    expect(sim.roleConnection(ALICE)).toEqual({
      platform_name: 'Kick',
      platform_username: 'alice_k',
      metadata: { kick_subscriber: '0', watch_hours: '10', points: '1200', linked_since: linkedAt.toISOString() },
    });
    expect(await service.sync(ALICE)).toMatchObject({ outcome: 'unchanged' });
  });

  it('a subscription makes the user dirty at once and is written; its expiry makes them dirty again', async () => {
    const expiresAt = new Date(Date.now() + 60_000);
    const since = new Date('2026-08-01T00:00:00.000Z');
    await db.prisma.roleRewardSubscription.create({ data: { guildId: GUILD_A, kickUserId: KICK_ALICE, expiresAt, since } });
    expect(await service.dirtyUserIds(10, new Date(Date.now() + 1000))).toEqual([ALICE]);
    clock = new Date();
    await service.sync(ALICE);
    expect(sim.roleConnection(ALICE)?.metadata.kick_subscriber).toBe('1');
    // "Kick sub for 3+ months" is a requirement on subscribed_since.
    expect(sim.roleConnection(ALICE)?.metadata.subscribed_since).toBe(since.toISOString());
    expect(await service.dirtyUserIds(10, clock)).toEqual([]);
    // Still a subscriber through the grace after expires_at (a renewal may arrive late)...
    expect(await service.dirtyUserIds(10, new Date(expiresAt.getTime() + SUBSCRIBER_GRACE_MS - 1000))).toEqual([]);
    clock = new Date(expiresAt.getTime() + SUBSCRIBER_GRACE_MS - 1000);
    expect(await service.sync(ALICE)).toMatchObject({ outcome: 'unchanged' });
    // ...and no longer once it has passed.
    clock = new Date(expiresAt.getTime() + SUBSCRIBER_GRACE_MS + 1000);
    expect(await service.dirtyUserIds(10, clock)).toEqual([ALICE]);
    await service.sync(ALICE);
    expect(sim.roleConnection(ALICE)?.metadata.kick_subscriber).toBe('0');
    expect(sim.roleConnection(ALICE)?.metadata).not.toHaveProperty('subscribed_since');
  });

  it('points changes are written at most every STATS_REWRITE_INTERVAL_MS', async () => {
    // Written just now, checked a moment ago: the change below comes after the check.
    await db.prisma.discordRoleConnection.update({ where: { discordUserId: ALICE }, data: { checkedAt: new Date(Date.now() - 1), writtenAt: new Date() } });
    await db.prisma.viewerStats.update({ where: { guildId_kickUserId: { guildId: GUILD_A, kickUserId: KICK_ALICE } }, data: { points: 5000 } });
    const soon = new Date(Date.now() + 1000);
    expect(await service.dirtyUserIds(10, soon)).toEqual([]);
    const later = new Date(Date.now() + STATS_REWRITE_INTERVAL_MS + 1000);
    expect(await service.dirtyUserIds(10, later)).toEqual([ALICE]);
    clock = later;
    await service.sync(ALICE);
    expect(sim.roleConnection(ALICE)?.metadata.points).toBe('5000');
  });

  it('an expired access token is refreshed (the rotated refresh token is stored) before writing', async () => {
    const before = await db.prisma.discordRoleConnection.findUniqueOrThrow({ where: { discordUserId: ALICE } });
    await db.prisma.discordRoleConnection.update({ where: { discordUserId: ALICE }, data: { expiresAt: new Date(Date.now() - 1000) } });
    sim.expireUserAccessTokens(ALICE);
    expect(await service.sync(ALICE, { force: true })).toMatchObject({ outcome: 'written' });
    const after = await db.prisma.discordRoleConnection.findUniqueOrThrow({ where: { discordUserId: ALICE } });
    expect(after.refreshTokenEnc).not.toBe(before.refreshTokenEnc);
    expect(after.expiresAt.getTime()).toBeGreaterThan(Date.now() + 6 * 24 * 3600_000);
  });

  it('a 429 is thrown with Discord retry_after and leaves the user dirty', async () => {
    await db.prisma.viewerStats.update({ where: { guildId_kickUserId: { guildId: GUILD_B, kickUserId: KICK_ALICE } }, data: { points: 7000 } });
    sim.rateLimitNext({ method: 'PUT', pathPrefix: `/users/@me/applications/${sim.applicationId}/role-connection` }, 2);
    clock = new Date(Date.now() + STATS_REWRITE_INTERVAL_MS + 1000);
    const error = await service.sync(ALICE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscordUserApiError);
    expect(error).toMatchObject({ status: 429, retryAfterMs: 2000 });
    expect(await service.dirtyUserIds(10, clock)).toEqual([ALICE]);
  });

  it('unlinking clears the metadata at the next sync', async () => {
    await db.prisma.accountLink.delete({ where: { discordUserId: ALICE } });
    clock = new Date(Date.now() + 1000);
    expect(await service.dirtyUserIds(10, clock)).toEqual([ALICE]);
    await service.sync(ALICE);
    expect(sim.roleConnection(ALICE)).toEqual({ platform_name: 'Kick', platform_username: null, metadata: {} });
  });

  it('a user who removed the app is dropped once, with a clear warning and no token in it, and never retried', async () => {
    await db.prisma.accountLink.create({ data: { discordUserId: ALICE, kickUserId: KICK_ALICE, kickUsername: 'alice_k' } });
    const row = await db.prisma.discordRoleConnection.findUniqueOrThrow({ where: { discordUserId: ALICE } });
    const access = cipher.decrypt(row.accessTokenEnc, `discord-role-connection:${ALICE}:access`);
    sim.revokeUserAuthorization(ALICE);
    clock = new Date(Date.now() + 1000);
    expect(await service.dirtyUserIds(10, clock)).toEqual([ALICE]);
    expect(await service.sync(ALICE)).toEqual({ outcome: 'dropped' });
    expect(await db.prisma.discordRoleConnection.count()).toBe(0);
    expect(await service.dirtyUserIds(10, clock)).toEqual([]);
    expect(await service.sync(ALICE)).toEqual({ outcome: 'missing' });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.msg).toMatch(/removed the app under Authorized Apps/);
    expect(JSON.stringify(warnings)).not.toContain(access);
  });
});
