import { DiscordAPIError, RESTJSONErrorCodes, type TextChannel } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './clientHarness.ts';

const GUILD = '820000000000000001';
const GENERAL = '820000000000000002';
const LOCKED = '820000000000000003';
const DOOMED = '820000000000000004';

describe('REST behaviour seen by a real discord.js client', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness((sim) =>
      sim.addGuild({ id: GUILD, name: 'G', channels: [{ id: GENERAL, name: 'general' }, { id: LOCKED, name: 'locked' }, { id: DOOMED, name: 'doomed' }] }),
    );
  });
  afterAll(async () => {
    expect(h.uncaught).toEqual([]);
    await h.stop();
  });

  const channel = (id: string) => h.client.channels.cache.get(id) as TextChannel;

  it('enforce_nonce: the same nonce twice creates one message and returns the original', async () => {
    const first = await channel(GENERAL).send({ content: 'Live now!', nonce: 'live-42', enforceNonce: true });
    const second = await channel(GENERAL).send({ content: 'Live now!', nonce: 'live-42', enforceNonce: true });
    expect(second.id).toBe(first.id);
    expect(h.sim.messages(GENERAL).filter((m) => m.nonce === 'live-42')).toHaveLength(1);
    // without enforce_nonce Discord does not dedupe
    const a = await channel(GENERAL).send({ content: 'x', nonce: 'plain-1' });
    const b = await channel(GENERAL).send({ content: 'x', nonce: 'plain-1' });
    expect(a.id).not.toBe(b.id);
  });

  it('429 with Retry-After: discord.js waits, retries, and the message lands once', async () => {
    h.sim.rateLimitNext({ method: 'POST', pathPrefix: `/channels/${GENERAL}/messages` }, 0.3);
    const started = Date.now();
    const sent = await channel(GENERAL).send('after the rate limit');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    const calls = h.sim.restCalls.filter((c) => c.method === 'POST' && c.path === `/channels/${GENERAL}/messages` && (c.body as { content?: string }).content === 'after the rate limit');
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    expect(h.sim.messages(GENERAL).filter((m) => m.content === 'after the rate limit').map((m) => m.id)).toEqual([sent.id]);
  });

  it('missing permission is a DiscordAPIError 50013 and no message is created', async () => {
    h.sim.setChannelPermissions(LOCKED, { canSend: false });
    const e = await channel(LOCKED).send('nope').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DiscordAPIError);
    expect(e).toMatchObject({ status: 403, code: RESTJSONErrorCodes.MissingPermissions });
    expect(h.sim.messages(LOCKED)).toEqual([]);
    h.sim.setChannelPermissions(LOCKED, { canSend: true });
    await channel(LOCKED).send('yes');
    expect(h.sim.messages(LOCKED).map((m) => m.content)).toEqual(['yes']);
  });

  it('a deleted channel answers 404 Unknown Channel (10003); unknown message 10008', async () => {
    const doomed = channel(DOOMED);
    const gone = new Promise<void>((resolve) => h.client.once('channelDelete', () => resolve()));
    h.sim.deleteChannel(GUILD, DOOMED);
    await gone;
    const e = await doomed.send('hello?').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DiscordAPIError);
    expect(e).toMatchObject({ status: 404, code: RESTJSONErrorCodes.UnknownChannel });
    const m = await channel(GENERAL).messages.fetch('1234567890123456789').catch((x: unknown) => x);
    expect(m).toMatchObject({ status: 404, code: RESTJSONErrorCodes.UnknownMessage });
  });

  it('edit, fetch and delete a message; files go through multipart', async () => {
    const sent = await channel(GENERAL).send({ content: 'v1', files: [{ attachment: Buffer.from('a,b\n1,2\n'), name: 'data.csv' }] });
    expect(sent.attachments.first()?.name).toBe('data.csv');
    const url = sent.attachments.first()?.url as string;
    expect(await (await fetch(url)).text()).toBe('a,b\n1,2\n');
    const edited = await sent.edit({ content: 'v2', embeds: [{ title: 'T' }] });
    expect(edited.content).toBe('v2');
    const fetched = await channel(GENERAL).messages.fetch({ message: sent.id, force: true });
    expect(fetched.content).toBe('v2');
    expect(fetched.editedTimestamp).not.toBeNull();
    await fetched.delete();
    expect(h.sim.messages(GENERAL).some((m) => m.id === sent.id)).toBe(false);
    expect(h.sim.allMessages().find((m) => m.id === sent.id)?.deleted).toBe(true);
  });

  it('rejects invalid payloads like Discord: empty message, too-long content, bad commands', async () => {
    const empty = await h.client.rest.post(`/channels/${GENERAL}/messages`, { body: {} }).catch((x: unknown) => x);
    expect(empty).toMatchObject({ status: 400, code: 50006 });
    const long = await channel(GENERAL).send('x'.repeat(2001)).catch((x: unknown) => x);
    expect(long).toMatchObject({ status: 400, code: 50035 });
    expect(String((long as Error).message)).toMatch(/content/);
    const badCmd = await h.client.application?.commands.set([{ name: 'Bad Name', description: 'x' }]).catch((x: unknown) => x);
    expect(badCmd).toMatchObject({ status: 400, code: 50035 });
  });

  it('fetches guild, channels, roles, members and the bot user over REST', async () => {
    const guild = await h.client.guilds.fetch({ guild: GUILD, force: true });
    expect(guild.name).toBe('G');
    const channels = await guild.channels.fetch();
    expect(channels.has(GENERAL)).toBe(true);
    expect(channels.has(DOOMED)).toBe(false);
    const roles = await guild.roles.fetch();
    expect(roles.has(GUILD)).toBe(true);
    const me = await guild.members.fetch({ user: h.sim.botUserId, force: true });
    expect(me.user.bot).toBe(true);
    const missing = await guild.members.fetch({ user: '820000000000000999', force: true }).catch((x: unknown) => x);
    expect(missing).toMatchObject({ code: RESTJSONErrorCodes.UnknownMember });
    const gw = (await h.client.rest.get('/gateway/bot')) as { url: string; session_start_limit: { max_concurrency: number } };
    expect(gw.url).toBe(h.sim.gatewayUrl);
    expect(gw.session_start_limit.max_concurrency).toBe(1);
  });

  it('a wrong bot token gets 401', async () => {
    const res = await fetch(`${h.sim.apiUrl}/v10/users/@me`, { headers: { authorization: 'Bot wrong' } });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ message: '401: Unauthorized', code: 0 });
    const ok = await fetch(`${h.sim.apiUrl}/v10/users/@me`, { headers: { authorization: `Bot ${h.sim.token}` } });
    expect(((await ok.json()) as { id: string }).id).toBe(h.sim.botUserId);
  });
});
