/**
 * Link codes in Redis (real Redis, own prefix): shape and entropy, only a keyed hash stored, the interaction token
 * encrypted, single use, the previous code cancelled by a new one; in chat, ordinary messages stay at 0 PostgreSQL
 * statements and wrong codes are answered until the Kick account is out of tries.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueLinkCode, LINK_FAILURES_PER_HOUR, newLinkCode, normalizeLinkCode, redeemLinkCode } from '../src/features/accountLinking/linkCodes.ts';
import { startServiceStack, type ServiceStack } from './helpers/serviceStack.ts';

let stack: ServiceStack;
beforeAll(async () => {
  stack = await startServiceStack();
});
afterAll(async () => stack?.close());

const TOKEN = 'interaction-token-secret-value';

describe('link codes', () => {
  it('are XXXX-XXXX from a 32-letter alphabet without look-alikes, and typing is forgiving', () => {
    const codes = new Set(Array.from({ length: 200 }, () => newLinkCode()));
    expect(codes.size).toBe(200);
    for (const code of codes) expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(normalizeLinkCode('7kq3 9m2x')).toBe('7KQ39M2X');
    expect(normalizeLinkCode('OIL1-AAAA')).toBe('0111AAAA');
    expect(normalizeLinkCode('7KQ3-9M2')).toBeNull();
    expect(normalizeLinkCode('UUUU-UUUU')).toBeNull();
  });

  it('stores only a keyed hash of the code and the encrypted interaction token; a code works once; a new code cancels the old', async () => {
    const input = { discordUserId: '300000000000000001', guildId: stack.guildId, applicationId: '100000000000000001', interactionToken: TOKEN };
    const first = await issueLinkCode(stack.ctx, input);
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    const keys = await stack.redis.keys(`${stack.ctx.env.QUEUE_PREFIX}:link:*`);
    const dump = (await Promise.all(keys.map(async (k) => `${k}=${(await stack.redis.get(k)) ?? ''}`))).join('\n');
    expect(dump).not.toContain(first.code);
    expect(dump).not.toContain(first.code.replace('-', ''));
    expect(dump).not.toContain(TOKEN);

    const second = await issueLinkCode(stack.ctx, input);
    if (!second.ok) throw new Error('second code refused');
    expect((await redeemLinkCode(stack.ctx, { kickUserId: 41, typed: first.code, messageId: 'm-old' })).status).toBe('invalid');
    const ok = await redeemLinkCode(stack.ctx, { kickUserId: 41, typed: second.code, messageId: 'm-ok' });
    expect(ok.status).toBe('ok');
    // A retried job sees the same outcome; another message with the same code does not.
    expect((await redeemLinkCode(stack.ctx, { kickUserId: 41, typed: second.code, messageId: 'm-ok' })).status).toBe('ok');
    expect((await redeemLinkCode(stack.ctx, { kickUserId: 42, typed: second.code, messageId: 'm-again' })).status).toBe('invalid');
  });

  it('leaves ordinary chat at 0 PostgreSQL statements; `!link` alone explains, wrong codes are answered until the Kick account is out of tries', async () => {
    const viewer = stack.viewer('codeguesser');
    await stack.sim.sendChat(stack.streamer.userId, viewer.userId, 'warm the caches', { at: stack.clock.now() });
    const before = stack.statements();
    await stack.sim.sendChat(stack.streamer.userId, viewer.userId, 'hello there, !link is not at the start', { at: stack.clock.now() });
    expect(stack.statements() - before).toBe(0);
    await stack.sim.sendChat(stack.streamer.userId, viewer.userId, '!link', { at: stack.clock.now() });
    for (let i = 0; i <= LINK_FAILURES_PER_HOUR; i++) await stack.sim.sendChat(stack.streamer.userId, viewer.userId, `!link ZZZZ-ZZZ${i}`, { at: stack.clock.now() });
    expect(stack.failures).toEqual([]);
    const replies = stack.sim.chatLog(stack.streamer.userId).filter((m) => m.type === 'bot').map((m) => m.content);
    expect(replies.some((r) => r.includes('run /link start in the Discord server'))).toBe(true);
    expect(replies.filter((r) => r.includes('wrong or already used'))).toHaveLength(LINK_FAILURES_PER_HOUR);
    expect(replies.some((r) => r.includes('too many wrong link codes'))).toBe(true);
    expect(await stack.db.prisma.accountLink.count({ where: { kickUserId: viewer.userId } })).toBe(0);
  });
});
