/**
 * What /kick status and the dashboard's overview show, gathered once (gatherGuildStatus), and the Discord REST calls
 * the dashboard makes (the user's guilds with permissions; a member's and a server's roles as the bot sees them).
 */
import { createTestDatabase, type TestDatabase } from '@kickcord/db/testing';
import { startDiscordSim, type DiscordSim } from '@kickcord/discord-sim';
import { KICKCORD_SCOPES } from '@kickcord/kick';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordUserApi, DiscordUserOAuth, gatherGuildStatus } from '../src/index.ts';

let db: TestDatabase;
let sim: DiscordSim;
const now = new Date('2026-12-06T12:00:00Z');

beforeAll(async () => {
  db = await createTestDatabase();
  sim = await startDiscordSim({ oauth2: { redirectUris: ['http://dash.test/cb'] } });
  const p = db.prisma;
  await p.guild.createMany({ data: [{ id: 'gs-a', name: 'A' }, { id: 'gs-b', name: 'B' }] });
  await p.kickChannel.createMany({ data: [{ broadcasterUserId: 901, slug: 'owned', displayName: 'Owned' }, { broadcasterUserId: 902, slug: 'watched', displayName: 'Watched' }, { broadcasterUserId: 903, slug: 'other', displayName: 'Other' }] });
  await p.kickConnection.create({ data: { guildId: 'gs-a', broadcasterUserId: 901, kickUsername: 'owned', accessTokenEnc: 'x', refreshTokenEnc: 'y', scopes: ['user:read', 'channel:read'], expiresAt: now, connectedByDiscordId: '1' } });
  await p.guildChannelLink.createMany({
    data: [
      { guildId: 'gs-a', broadcasterUserId: 902, kind: 'watch', createdByDiscordId: '1' },
      { guildId: 'gs-a', broadcasterUserId: 901, kind: 'owner', createdByDiscordId: '1' },
      { guildId: 'gs-b', broadcasterUserId: 903, kind: 'watch', createdByDiscordId: '2' },
    ],
  });
  await p.kickSubscription.createMany({
    data: [
      { id: 's1', broadcasterUserId: 901, event: 'livestream.status.updated', version: 1, lastDeliveryAt: new Date(now.getTime() - 60_000) },
      { id: 's2', broadcasterUserId: 901, event: 'chat.message.sent', version: 1 },
      { id: 's3', broadcasterUserId: 901, event: 'channel.followed', version: 1, status: 'deleted' },
    ],
  });
  await p.announcementSetting.create({ data: { guildId: 'gs-a', event: 'live', discordChannelId: '55', brokenReason: 'Missing Access' } });
  const at = (ms: number) => new Date(now.getTime() - ms);
  await p.outgoingChatMessage.createMany({
    data: [
      { guildId: 'gs-a', broadcasterUserId: 901, dedupeKey: 'a', content: 'x', status: 'pending', createdAt: at(1000) },
      { guildId: 'gs-a', broadcasterUserId: 901, dedupeKey: 'b', content: 'x', status: 'failed', error: 'Kick said no', createdAt: at(2000) },
      { guildId: 'gs-a', broadcasterUserId: 901, dedupeKey: 'c', content: 'x', status: 'failed', error: 'old', createdAt: at(2 * 86_400_000) },
      { guildId: 'gs-b', broadcasterUserId: 903, dedupeKey: 'd', content: 'x', status: 'failed', error: 'other guild', createdAt: at(1000) },
    ],
  });
});
afterAll(async () => {
  await sim?.close();
  await db?.drop();
});

describe('gatherGuildStatus', () => {
  it("gathers one guild's connection, missing scopes, channels with active subscriptions, broken announcements and last-24-h chat replies", async () => {
    const s = await gatherGuildStatus(db.prisma, 'gs-a', now);
    expect(s.connection).toMatchObject({ slug: 'owned', status: 'active', scopes: ['user:read', 'channel:read'] });
    expect(s.connection?.missingScopes).toEqual(KICKCORD_SCOPES.filter((x) => x !== 'user:read' && x !== 'channel:read'));
    expect(s.links.map((l) => [l.kind, l.slug, l.subscriptions.map((x) => x.event)])).toEqual([
      ['owner', 'owned', ['chat.message.sent', 'livestream.status.updated']],
      ['watch', 'watched', []],
    ]);
    expect(s.links[0]?.subscriptions[1]?.lastDeliveryAt).toEqual(new Date(now.getTime() - 60_000));
    expect(s.brokenAnnouncements).toEqual([{ event: 'live', discordChannelId: '55', reason: 'Missing Access' }]);
    expect(s.chatFailures.map((f) => f.error)).toEqual(['Kick said no']);
    expect(s.chatReplies).toEqual({ pending: 1, failed: 1 });
  });

  it('a guild without a connection shows none', async () => {
    const s = await gatherGuildStatus(db.prisma, 'gs-b', now);
    expect(s.connection).toBeNull();
    expect(s.links.map((l) => l.slug)).toEqual(['other']);
  });
});

describe('DiscordUserApi: the dashboard calls', () => {
  it("lists the user's guilds with permissions (user token), and a member's and a server's roles (bot token)", async () => {
    const owner = '880000000000000001';
    const mod = '880000000000000002';
    const stranger = '880000000000000003';
    sim.addUser({ id: stranger, username: 'stranger' });
    const helpers = { id: '880000000000000010', name: 'Helpers' };
    const guild = sim.addGuild({ name: 'Status Fans', ownerId: owner, roles: [helpers], members: [{ id: owner, username: 'owner' }, { id: mod, username: 'mod', roles: [helpers.id] }] });
    const oauth = new DiscordUserOAuth({ clientId: sim.applicationId, clientSecret: sim.oauthClientSecret, apiUrl: sim.apiUrl });
    const url = new URL(oauth.authorizeUrl({ redirectUri: 'http://dash.test/cb', state: 's', scopes: ['identify', 'guilds'] }));
    url.searchParams.set('sim_user_id', mod);
    const back = await fetch(url, { redirect: 'manual' });
    const code = new URL(back.headers.get('location') ?? '').searchParams.get('code') ?? '';
    const tokens = await oauth.exchangeCode({ code, redirectUri: 'http://dash.test/cb' });
    const api = new DiscordUserApi({ apiUrl: sim.apiUrl });
    const guilds = await api.getCurrentUserGuilds(tokens.accessToken);
    expect(guilds.find((g) => g.id === guild.id)).toMatchObject({ name: 'Status Fans', owner: false });
    expect(typeof guilds[0]?.permissions).toBe('bigint');
    expect((await api.getGuildMember(sim.token, guild.id, mod))?.roles).toEqual([helpers.id]);
    expect(await api.getGuildMember(sim.token, guild.id, stranger)).toBeNull();
    const roles = await api.getGuildRoles(sim.token, guild.id);
    expect(roles.map((r) => r.name)).toContain('Helpers');
    await expect(api.getCurrentUserGuilds('not-a-token')).rejects.toMatchObject({ status: 401, call: 'get_current_user_guilds' });
  });
});
