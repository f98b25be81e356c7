/**
 * kick-sim's moderation endpoints as Kick documents them: DELETE /public/v1/chat/{message_id}
 * (moderation:chat_message:manage), POST /public/v1/moderation/bans (a ban without `duration`, a timeout with
 * `duration` minutes, 1–10080; `reason` ≤ 100 characters) and DELETE /public/v1/moderation/bans (moderation:ban),
 * with Kick's error envelopes, and the `moderation.banned` webhook for bans and timeouts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KickSim, startKickSim } from '@kickcord/kick-sim';
import { startReceiver, type Receiver } from './receiver.ts';

/** Polls until `check` holds (5 s deadline). */
async function waitFor(check: () => boolean, { description }: { description: string }): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('moderation endpoints', () => {
  let sim: KickSim;
  let receiver: Receiver;
  let streamerId: number;
  let viewerId: number;
  let otherId: number;
  let mod: string;
  let banOnly: string;
  let chatOnly: string;

  const call = async (method: string, path: string, token: string, body?: unknown): Promise<{ status: number; json: unknown }> => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${sim.apiUrl}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as unknown) : null };
  };
  const banned = () => receiver.received.filter((r) => r.headers['kick-event-type'] === 'moderation.banned').map((r) => JSON.parse(r.body) as { moderator: { user_id: number }; banned_user: { user_id: number }; metadata: { reason: string; created_at: string; expires_at: string | null } });

  beforeAll(async () => {
    [sim, receiver] = await Promise.all([startKickSim({ webhookRetries: 1 }), startReceiver()]);
    sim.registerApp({ clientId: 'mod-app', clientSecret: 's', redirectUris: ['http://localhost/cb'], name: 'kickcord', webhookUrl: receiver.url });
    streamerId = sim.createUser({ username: 'ModStreamer' }).userId;
    viewerId = sim.createUser({ username: 'mod_target' }).userId;
    otherId = sim.createUser({ username: 'other_channel' }).userId;
    sim.addSubscription({ clientId: 'mod-app', broadcasterUserId: streamerId, event: 'moderation.banned' });
    const token = (scopes: string[]) => sim.issueUserToken({ clientId: 'mod-app', userId: streamerId, scopes }).accessToken;
    mod = token(['moderation:ban', 'moderation:chat_message:manage']);
    banOnly = token(['moderation:ban']);
    chatOnly = token(['moderation:chat_message:manage']);
  });
  afterAll(async () => {
    await sim.close();
    await receiver.close();
  });

  it('a ban (no duration) and a timeout (duration in minutes) each send moderation.banned; expires_at only for the timeout', async () => {
    expect(await call('POST', '/public/v1/moderation/bans', mod, { broadcaster_user_id: streamerId, user_id: viewerId, reason: 'spam' })).toEqual({ status: 200, json: { data: {}, message: 'OK' } });
    await waitFor(() => banned().length === 1, { description: 'the ban webhook' });
    expect(await call('DELETE', '/public/v1/moderation/bans', banOnly, { broadcaster_user_id: streamerId, user_id: viewerId })).toEqual({ status: 200, json: { data: {}, message: 'OK' } });
    await expect(sim.sendChat(streamerId, viewerId, 'unbanned')).resolves.toMatchObject({ messageId: expect.any(String) });

    expect((await call('POST', '/public/v1/moderation/bans', banOnly, { broadcaster_user_id: streamerId, user_id: viewerId, duration: 15 })).status).toBe(200);
    await waitFor(() => banned().length === 2, { description: 'the timeout webhook' });
    const [ban, timeout] = banned();
    expect(ban).toMatchObject({ moderator: { user_id: streamerId }, banned_user: { user_id: viewerId }, metadata: { reason: 'spam', expires_at: null } });
    expect(Date.parse(timeout!.metadata.expires_at ?? '') - Date.parse(timeout!.metadata.created_at)).toBe(15 * 60_000);
    await expect(sim.sendChat(streamerId, viewerId, 'timed out')).rejects.toThrow(/banned/);
    await call('DELETE', '/public/v1/moderation/bans', banOnly, { broadcaster_user_id: streamerId, user_id: viewerId });
    // Kick sends no event for an unban.
    expect(banned()).toHaveLength(2);
  });

  it('refuses bad bodies with Kick\'s 400 envelope', async () => {
    const bad = async (body: unknown) => call('POST', '/public/v1/moderation/bans', mod, body);
    for (const duration of [0, 10_081, 1.5, '10']) {
      expect(await bad({ broadcaster_user_id: streamerId, user_id: viewerId, duration }), `duration ${String(duration)}`).toEqual({ status: 400, json: { data: expect.any(String), message: 'Bad request' } });
    }
    expect(await bad({ broadcaster_user_id: streamerId, user_id: viewerId, reason: 'x'.repeat(101) })).toMatchObject({ status: 400 });
    expect(await bad({ broadcaster_user_id: streamerId })).toEqual({ status: 400, json: { data: expect.stringContaining('user_id'), message: 'Bad request' } });
    expect(await bad({ broadcaster_user_id: streamerId, user_id: 424242 })).toEqual({ status: 400, json: { data: 'User not found', message: 'Bad request' } });
    expect(await bad({ broadcaster_user_id: streamerId, user_id: streamerId })).toMatchObject({ status: 400 });
    expect(await bad({ broadcaster_user_id: otherId, user_id: viewerId })).toMatchObject({ status: 403, json: { message: 'Forbidden' } });
    expect((await call('DELETE', '/public/v1/moderation/bans', mod, { broadcaster_user_id: streamerId })).status).toBe(400);
  });

  it('deletes a chat message of its own channel only, with 204', async () => {
    const own = await sim.sendChat(streamerId, viewerId, 'delete me');
    const elsewhere = await sim.sendChat(otherId, viewerId, 'not yours');
    expect(await call('DELETE', `/public/v1/chat/${own.messageId}`, chatOnly)).toEqual({ status: 204, json: null });
    expect(sim.chatLog(streamerId).find((m) => m.messageId === own.messageId)?.deletedAt).toBeInstanceOf(Date);
    expect(await call('DELETE', `/public/v1/chat/${elsewhere.messageId}`, chatOnly)).toMatchObject({ status: 403, json: { message: 'Forbidden' } });
    expect(sim.chatLog(otherId).find((m) => m.messageId === elsewhere.messageId)?.deletedAt).toBeNull();
  });

  it('answers a token without the scope with Kick\'s 403 and does nothing', async () => {
    const msg = await sim.sendChat(streamerId, viewerId, 'stays');
    expect(await call('DELETE', `/public/v1/chat/${msg.messageId}`, banOnly)).toEqual({ status: 403, json: { data: 'Forbidden: missing scope moderation:chat_message:manage', message: 'Forbidden' } });
    expect(sim.chatLog(streamerId).find((m) => m.messageId === msg.messageId)?.deletedAt).toBeNull();
    const before = banned().length;
    expect(await call('POST', '/public/v1/moderation/bans', chatOnly, { broadcaster_user_id: streamerId, user_id: viewerId })).toEqual({ status: 403, json: { data: 'Forbidden: missing scope moderation:ban', message: 'Forbidden' } });
    expect(await call('DELETE', '/public/v1/moderation/bans', chatOnly, { broadcaster_user_id: streamerId, user_id: viewerId })).toMatchObject({ status: 403 });
    await expect(sim.sendChat(streamerId, viewerId, 'still free')).resolves.toMatchObject({ messageId: expect.any(String) });
    expect(banned()).toHaveLength(before);
  });
});
