import { completeKickConnect, issueConnectLink, KickConnectionStore, type CompleteKickConnectInput } from '@kickcord/connections';
import type { KickTokenSet } from '@kickcord/kick';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnectionsHarness, createGuild, type ConnectionsHarness } from './harness.ts';

let h: ConnectionsHarness;
let store: KickConnectionStore;

beforeAll(async () => {
  h = await createConnectionsHarness();
  store = new KickConnectionStore({ prisma: h.db.prisma, cipher: h.cipher, oauth: h.oauth, apiUrl: h.sim.apiUrl });
});
afterAll(async () => {
  await h?.close();
});

const DISCORD_USER = '200000000000000009';
let stateSeq = 0;

function tokens(tag: string): KickTokenSet {
  return { accessToken: `access-${tag}`, refreshToken: `refresh-${tag}`, tokenType: 'Bearer', scopes: ['user:read', 'chat:write'], expiresAt: new Date(Date.now() + 3600_000) };
}

/** A connect link and an OAuth state started from it (what the callback finds before it saves anything). */
async function startedSignIn(guildId: string): Promise<{ state: string; connectLinkId: string }> {
  const { linkId } = await issueConnectLink(h.db.prisma, h.cipher, { guildId, discordUserId: DISCORD_USER, publicUrl: 'https://kc.example.com' });
  const state = `state-${Date.now()}-${stateSeq++}`;
  await h.db.prisma.oAuthState.create({ data: { state, connectLinkId: linkId, codeVerifierEnc: 'unused', expiresAt: new Date(Date.now() + 600_000) } });
  return { state, connectLinkId: linkId };
}

/** A Kick streamer at the sim (no KickChannel row yet: the callback creates it). */
function streamer(username: string): CompleteKickConnectInput['broadcaster'] {
  const user = h.sim.createUser({ username });
  return { userId: user.userId, name: user.username, profilePicture: null, channelSlug: user.channel.slug };
}

async function input(guildId: string, broadcaster: CompleteKickConnectInput['broadcaster'], tag: string): Promise<CompleteKickConnectInput> {
  return { ...(await startedSignIn(guildId)), guildId, discordUserId: DISCORD_USER, broadcaster, tokens: tokens(tag) };
}

/** Everything the callback may write for a guild. */
async function written(guildId: string) {
  const p = h.db.prisma;
  return {
    connection: await p.kickConnection.findUnique({ where: { guildId }, select: { broadcasterUserId: true, kickUsername: true, status: true } }),
    links: await p.guildChannelLink.findMany({ where: { guildId }, select: { broadcasterUserId: true, kind: true }, orderBy: { broadcasterUserId: 'asc' } }),
    usedLinks: await p.connectLink.count({ where: { guildId, usedAt: { not: null } } }),
    usedStates: await p.oAuthState.count({ where: { connectLink: { guildId }, usedAt: { not: null } } }),
  };
}

describe('completeKickConnect', () => {
  it('saves the channel, the encrypted connection and the owner link, and claims the state and the link', async () => {
    const guildId = await createGuild(h, 'First');
    const who = { ...streamer('connect_one'), profilePicture: 'https://files.kick.test/one.png' };
    const now = new Date(Date.now() - 1000);
    const signIn = await input(guildId, who, 'one');
    expect(await completeKickConnect(h.db.prisma, store, { ...signIn, now })).toEqual({ ok: true, broadcasterUserId: who.userId });

    const p = h.db.prisma;
    expect(await p.kickChannel.findUniqueOrThrow({ where: { broadcasterUserId: who.userId } })).toMatchObject({ slug: who.channelSlug, displayName: 'connect_one', profilePicture: 'https://files.kick.test/one.png' });
    const row = await p.kickConnection.findUniqueOrThrow({ where: { guildId } });
    expect(row).toMatchObject({ broadcasterUserId: who.userId, kickUsername: 'connect_one', status: 'active', connectedByDiscordId: DISCORD_USER, scopes: ['user:read', 'chat:write'] });
    expect(row.accessTokenEnc).not.toContain('access-one');
    expect(row.refreshTokenEnc).not.toContain('refresh-one');
    expect(await store.load(guildId)).toMatchObject({ accessToken: 'access-one', refreshToken: 'refresh-one' });
    expect(await p.guildChannelLink.findUniqueOrThrow({ where: { guildId_broadcasterUserId: { guildId, broadcasterUserId: who.userId } } })).toMatchObject({ kind: 'owner', createdByDiscordId: DISCORD_USER });
    expect((await p.oAuthState.findUniqueOrThrow({ where: { state: signIn.state } })).usedAt).toEqual(now);
    expect((await p.connectLink.findUniqueOrThrow({ where: { id: signIn.connectLinkId } })).usedAt).toEqual(now);
  });

  it('re-connecting the same channel replaces the tokens and turns a watch link into the owner link', async () => {
    const guildId = await createGuild(h, 'Renew');
    const who = streamer('connect_renew');
    await h.db.prisma.kickChannel.create({ data: { broadcasterUserId: who.userId, slug: who.channelSlug, displayName: 'old name' } });
    await h.db.prisma.guildChannelLink.create({ data: { guildId, broadcasterUserId: who.userId, kind: 'watch', createdByDiscordId: '1' } });
    expect((await completeKickConnect(h.db.prisma, store, await input(guildId, who, 'first'))).ok).toBe(true);
    expect((await completeKickConnect(h.db.prisma, store, await input(guildId, who, 'second'))).ok).toBe(true);
    expect(await store.load(guildId)).toMatchObject({ accessToken: 'access-second', refreshToken: 'refresh-second' });
    expect(await written(guildId)).toEqual({
      connection: { broadcasterUserId: who.userId, kickUsername: 'connect_renew', status: 'active' },
      links: [{ broadcasterUserId: who.userId, kind: 'owner' }],
      usedLinks: 2,
      usedStates: 2,
    });
    expect((await h.db.prisma.kickChannel.findUniqueOrThrow({ where: { broadcasterUserId: who.userId } })).displayName).toBe('connect_renew');
  });

  it('refuses a channel another guild owns and writes nothing (the state and the link stay unused)', async () => {
    const owner = await createGuild(h, 'Owner');
    const other = await createGuild(h, 'Other');
    const who = streamer('connect_owned');
    expect((await completeKickConnect(h.db.prisma, store, await input(owner, who, 'owner'))).ok).toBe(true);
    expect(await completeKickConnect(h.db.prisma, store, await input(other, who, 'other'))).toEqual({ ok: false, reason: 'already_owned', channel: who.channelSlug });
    expect(await written(other)).toEqual({ connection: null, links: [], usedLinks: 0, usedStates: 0 });
    expect(await store.load(owner)).toMatchObject({ accessToken: 'access-owner' });
  });

  it('refuses a second channel for a guild that is connected to another one, naming it', async () => {
    const guildId = await createGuild(h, 'Taken');
    const first = streamer('connect_first');
    const second = streamer('connect_second');
    expect((await completeKickConnect(h.db.prisma, store, await input(guildId, first, 'a'))).ok).toBe(true);
    const before = await written(guildId);
    expect(await completeKickConnect(h.db.prisma, store, await input(guildId, second, 'b'))).toEqual({ ok: false, reason: 'already_connected', channel: 'connect_first' });
    expect(await written(guildId)).toEqual(before);
    expect(await h.db.prisma.kickChannel.findUnique({ where: { broadcasterUserId: second.userId } })).toBeNull();
  });

  it('refuses a state or a link that is already used, without writing anything', async () => {
    const guildId = await createGuild(h, 'Used');
    const who = streamer('connect_used');
    const usedState = await input(guildId, who, 's');
    await h.db.prisma.oAuthState.update({ where: { state: usedState.state }, data: { usedAt: new Date() } });
    expect(await completeKickConnect(h.db.prisma, store, usedState)).toEqual({ ok: false, reason: 'state_used' });

    const usedLink = await input(guildId, who, 'l');
    await h.db.prisma.connectLink.update({ where: { id: usedLink.connectLinkId }, data: { usedAt: new Date() } });
    expect(await completeKickConnect(h.db.prisma, store, usedLink)).toEqual({ ok: false, reason: 'link_used' });

    const p = h.db.prisma;
    expect(await p.kickConnection.findUnique({ where: { guildId } })).toBeNull();
    expect(await p.kickChannel.findUnique({ where: { broadcasterUserId: who.userId } })).toBeNull();
    // The refusals rolled back their own claims: the used-state sign-in's link and the used-link sign-in's state are still free.
    expect((await p.connectLink.findUniqueOrThrow({ where: { id: usedState.connectLinkId } })).usedAt).toBeNull();
    expect((await p.oAuthState.findUniqueOrThrow({ where: { state: usedLink.state } })).usedAt).toBeNull();
  });

  it('two guilds racing for one channel: exactly one connects, the other is refused as already owned', async () => {
    const who = streamer('connect_race');
    await h.db.prisma.kickChannel.create({ data: { broadcasterUserId: who.userId, slug: who.channelSlug, displayName: who.name } });
    const guilds = [await createGuild(h, 'Race A'), await createGuild(h, 'Race B'), await createGuild(h, 'Race C')];
    const inputs = await Promise.all(guilds.map((g, i) => input(g, who, `race-${i}`)));
    const results = await Promise.all(inputs.map((i) => completeKickConnect(h.db.prisma, store, i)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([
      { ok: false, reason: 'already_owned', channel: who.channelSlug },
      { ok: false, reason: 'already_owned', channel: who.channelSlug },
    ]);
    const winner = guilds[results.findIndex((r) => r.ok)]!;
    expect((await h.db.prisma.kickConnection.findUniqueOrThrow({ where: { broadcasterUserId: who.userId } })).guildId).toBe(winner);
    expect(await h.db.prisma.guildChannelLink.findMany({ where: { broadcasterUserId: who.userId }, select: { guildId: true, kind: true } })).toEqual([{ guildId: winner, kind: 'owner' }]);
  });
});
