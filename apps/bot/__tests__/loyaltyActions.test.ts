/**
 * The loyalty actions both `/loyalty settings` / `/points give|take|set` and the dashboard run, on real PostgreSQL and
 * Redis: form text is read as numbers with the validation's own sentences, only settings that differ are written and
 * audited (with the chat path's cached copy dropped), and a points change keyed by its request id applies once even
 * when the same request reaches the action twice.
 */
import { appendLedgerEntries } from '@kickcord/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GuildActionCall } from '../src/guildActions/GuildAction.ts';
import { runGuildAction } from '../src/guildActions/guildActionsProcessor.ts';
import { adjustPoints, changeLoyaltySettings } from '../src/features/loyalty/loyaltyActions.ts';
import { cachedGuildSettings } from '../src/guildSettings.ts';
import { dashboardCall, refusal } from './helpers/actionCalls.ts';
import { startServiceStack, type ServiceStack } from './helpers/serviceStack.ts';

let stack: ServiceStack;
const call = (over: Partial<GuildActionCall> = {}): GuildActionCall => dashboardCall(stack.guildId, over);

const balance = async (kickUserId: number) => (await stack.db.prisma.viewerStats.findUnique({ where: { guildId_kickUserId: { guildId: stack.guildId, kickUserId } } }))?.points ?? 0;

beforeAll(async () => {
  stack = await startServiceStack({ handlers: [] });
  await stack.db.prisma.guildSettings.upsert({ where: { guildId: stack.guildId }, create: { guildId: stack.guildId }, update: {} });
  await appendLedgerEntries(stack.db.prisma, [
    { guildId: stack.guildId, kickUserId: 9001, username: 'la_viewer', kind: 'admin', points: 100, idempotencyKey: 'seed:9001' },
    { guildId: stack.guildId, kickUserId: 9002, username: 'la_other', kind: 'admin', points: 10, idempotencyKey: 'seed:9002' },
  ]);
});
afterAll(async () => stack?.close());

describe('loyalty.settings', () => {
  it('reads form text as numbers and lists every problem in the validation’s words, changing nothing', async () => {
    const before = await stack.db.prisma.guildSettings.findUniqueOrThrow({ where: { guildId: stack.guildId } });
    const text = await refusal(
      runGuildAction(stack.ctx, changeLoyaltySettings, call(), { pointsPerMinute: 'abc', activityWindowMinutes: '', subscriberMultiplier: '1e1', followBonus: '-5', maxPointsPerDay: '2.5', commandPrefix: 'a' }),
    );
    expect(text.split('\n')).toEqual([
      'Nothing was changed:',
      '• Activity window is empty: enter a number.',
      '• Points per minute must be a number (got "abc").',
      '• Subscriber multiplier must be a number (got "1e1").',
      '• Max points per day must be a whole number from 0 to 2147483647 (0 = no cap) (got 2.5).',
      '• Follow bonus must be a whole number from 0 to 1,000,000 points (got -5).',
      '• Prefix "a" may not contain letters, digits, spaces or [ ] — use symbols such as ! ? $ or ~.',
    ]);
    expect(await stack.db.prisma.guildSettings.findUniqueOrThrow({ where: { guildId: stack.guildId } })).toEqual(before);
  });

  it('writes only what differs, audits it, and drops the cached copy; the same values again change nothing', async () => {
    const cached = await cachedGuildSettings(stack.ctx, stack.guildId);
    const rate = cached.pointsPerMinute + 2;
    const auditsBefore = await stack.db.prisma.auditLogEntry.count({ where: { guildId: stack.guildId, action: 'loyalty.settings' } });
    const same = { activityWindowMinutes: String(cached.activityWindowMinutes), subscriberMultiplier: String(cached.subscriberMultiplier), commandPrefix: cached.commandPrefix };
    const outcome = await runGuildAction(stack.ctx, changeLoyaltySettings, call(), { ...same, pointsPerMinute: ` ${rate} `, excludedUsernames: '@Bot_One, bot_one\nalt2' });
    expect(outcome.message).toBe('✅ Updated: points per minute, excluded accounts.');
    expect((await cachedGuildSettings(stack.ctx, stack.guildId)).pointsPerMinute).toBe(rate);
    const audit = await stack.db.prisma.auditLogEntry.findMany({ where: { guildId: stack.guildId, action: 'loyalty.settings' }, orderBy: { createdAt: 'asc' } });
    expect(audit).toHaveLength(auditsBefore + 1);
    expect(audit.at(-1)).toMatchObject({ source: 'dashboard', actorName: 'dash_mod' });
    expect(audit.at(-1)?.detail).toEqual({ pointsPerMinute: { from: rate - 2, to: rate }, excludedUsernames: { from: cached.excludedUsernames, to: ['bot_one', 'alt2'] } });

    const again = await runGuildAction(stack.ctx, changeLoyaltySettings, call(), { ...same, pointsPerMinute: String(rate), excludedUsernames: 'bot_one alt2' });
    expect(again.message).toBe('Nothing changed: the settings already had these values.');
    expect(await stack.db.prisma.auditLogEntry.count({ where: { guildId: stack.guildId, action: 'loyalty.settings' } })).toBe(auditsBefore + 1);
    // The slash command's add / remove of excluded accounts works on the stored list.
    await runGuildAction(stack.ctx, changeLoyaltySettings, call({ source: 'discord' }), { exclude: ['New_Alt'], include: ['@BOT_ONE'] });
    expect((await stack.db.prisma.guildSettings.findUniqueOrThrow({ where: { guildId: stack.guildId } })).excludedUsernames).toEqual(['alt2', 'new_alt']);
  });
});

describe('points.adjust', () => {
  it('the same request id applies once, even when it reaches the action twice', async () => {
    const start = await balance(9001);
    const one = call();
    const [a, b] = await Promise.all([
      runGuildAction(stack.ctx, adjustPoints, one, { kickUserId: 9001, op: 'give', amount: '15', reason: 'twice' }),
      runGuildAction(stack.ctx, adjustPoints, one, { kickUserId: 9001, op: 'give', amount: '15', reason: 'twice' }),
    ]);
    expect([a.message, b.message].sort()).toEqual([`This change was already applied. la_viewer has ${start + 15} points.`, `✅ Gave 15 points to **la_viewer** — balance now ${start + 15}. Reason: twice`].sort());
    expect(await balance(9001)).toBe(start + 15);
    const take = call();
    await runGuildAction(stack.ctx, adjustPoints, take, { kickUserId: 9001, op: 'take', amount: 5 });
    expect((await runGuildAction(stack.ctx, adjustPoints, take, { kickUserId: 9001, op: 'take', amount: 5 })).message).toContain('already applied');
    expect(await balance(9001)).toBe(start + 10);
    const audits = await stack.db.prisma.auditLogEntry.findMany({ where: { guildId: stack.guildId, action: 'points.adjust' } });
    expect(audits.filter((e) => (e.detail as { op?: string }).op === 'give')).toHaveLength(1);
    expect(audits.find((e) => (e.detail as { op?: string }).op === 'take')?.detail).toMatchObject({ reason: 'Taken by @dash_mod', balance: { from: start + 15, to: start + 10 } });
  });

  it('refuses bad amounts, long reasons and a viewer id this guild does not know, in sentences', async () => {
    expect(await refusal(runGuildAction(stack.ctx, adjustPoints, call(), { kickUserId: 9001, op: 'give', amount: '1.5' }))).toBe('Amount must be a whole number from 1 to 1,000,000,000.');
    expect(await refusal(runGuildAction(stack.ctx, adjustPoints, call(), { kickUserId: 9001, op: 'set', amount: '-1' }))).toBe('Amount must be a whole number from 0 to 1,000,000,000.');
    expect(await refusal(runGuildAction(stack.ctx, adjustPoints, call(), { kickUserId: 9001, op: 'give', amount: '1', reason: 'x'.repeat(201) }))).toBe('The reason is 201 characters long — the limit is 200.');
    expect(await refusal(runGuildAction(stack.ctx, adjustPoints, call(), { kickUserId: 123456, op: 'give', amount: '1' }))).toContain("I don't know that Kick viewer in this server");
    expect(await refusal(runGuildAction(stack.ctx, adjustPoints, call(), { kickUserId: 9002, op: 'take', amount: '11' }))).toBe('la_other has only 10 points — take at most that much, or use `/points set user:la_other amount:0`.');
    expect(await balance(9002)).toBe(10);
    expect(await balance(123456)).toBe(0);
  });
});
