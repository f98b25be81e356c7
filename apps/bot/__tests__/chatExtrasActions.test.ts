/**
 * The Chat extras actions both the slash commands and the dashboard run, on real PostgreSQL and Redis: a change is
 * audited only when it changed something, the chat path's cached settings are dropped, form text is read as numbers
 * with every problem listed at once, and a quote or counter is always one of the calling guild's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duelSettingsAction, gambleSettingsAction } from '../src/features/chatGames/chatGamesActions.ts';
import { updateBuiltin } from '../src/features/everydayCommands/builtinActions.ts';
import { setCounterAction } from '../src/features/everydayCommands/counterActions.ts';
import { editQuoteAction, quoteSettingsAction } from '../src/features/everydayCommands/quoteActions.ts';
import type { GuildActionCall } from '../src/guildActions/GuildAction.ts';
import { runGuildAction } from '../src/guildActions/guildActionsProcessor.ts';
import { cachedGuildSettings } from '../src/guildSettings.ts';
import { dashboardCall, refusal } from './helpers/actionCalls.ts';
import { startServiceStack, type ServiceStack } from './helpers/serviceStack.ts';

let stack: ServiceStack;
const call = (over: Partial<GuildActionCall> = {}): GuildActionCall => dashboardCall(stack.guildId, { actor: { id: '300000000000000002', name: 'extras_mod' }, ...over });

const audits = (action: string) => stack.db.prisma.auditLogEntry.count({ where: { guildId: stack.guildId, action } });

beforeAll(async () => {
  stack = await startServiceStack({ handlers: [] });
  await stack.db.prisma.guildSettings.upsert({ where: { guildId: stack.guildId }, create: { guildId: stack.guildId }, update: {} });
});
afterAll(async () => stack?.close());

describe('chat extras actions', () => {
  it('builtins.update renames and switches a built-in, drops the cached settings, and audits only a change', async () => {
    await runGuildAction(stack.ctx, updateBuiltin, call(), { command: 'uptime', name: 'uptime', enabled: true });
    expect((await cachedGuildSettings(stack.ctx, stack.guildId)).builtinCommands).not.toMatchObject({ uptime: { enabled: false } });
    const before = await audits('builtins.update');
    const outcome = await runGuildAction(stack.ctx, updateBuiltin, call(), { command: '!Uptime', name: 'live', enabled: false });
    expect(outcome.message).toBe('The built-in !uptime now answers to **!live** (and no longer to !uptime). It is off: kickcord does not answer it in Kick chat.');
    expect((await cachedGuildSettings(stack.ctx, stack.guildId)).builtinCommands).toMatchObject({ uptime: { enabled: false, name: 'live' } });
    expect(await audits('builtins.update')).toBe(before + 1);
    await runGuildAction(stack.ctx, updateBuiltin, call(), { command: 'uptime', name: 'live', enabled: false });
    expect(await audits('builtins.update')).toBe(before + 1);
    expect(await refusal(runGuildAction(stack.ctx, updateBuiltin, call(), { command: 'nope', enabled: true }))).toContain('"nope" is not a built-in chat command');
    await runGuildAction(stack.ctx, updateBuiltin, call(), { command: 'uptime', name: 'uptime', enabled: true });
  });

  it('chatGames.gamble lists every problem of a form at once and changes nothing; a good form is audited per setting', async () => {
    const text = await refusal(runGuildAction(stack.ctx, gambleSettingsAction, call(), { enabled: true, winChance: '100', minBet: '', maxBet: 'x', cooldown: '5' }));
    expect(text.split('\n')).toEqual([
      'Nothing was changed:',
      '• The win chance must be a whole number from 1 to 99 (got "100").',
      '• The smallest bet is empty: enter a whole number.',
      '• The largest bet must be a whole number from 1 to 2,147,483,647 (got "x").',
    ]);
    expect((await stack.db.prisma.guildSettings.findUniqueOrThrow({ where: { guildId: stack.guildId } })).gambleEnabled).toBe(false);
    const outcome = await runGuildAction(stack.ctx, gambleSettingsAction, call(), { enabled: true, winChance: '40', minBet: '5', maxBet: '500', cooldown: '0' });
    expect(outcome.message).toContain('**!gamble** on · win chance 40%');
    expect((await cachedGuildSettings(stack.ctx, stack.guildId)).gambleEnabled).toBe(true);
    const entry = await stack.db.prisma.auditLogEntry.findFirst({ where: { guildId: stack.guildId, action: 'chatGames.gamble' }, orderBy: { createdAt: 'desc' } });
    expect(entry?.detail).toEqual({ gambleEnabled: { from: false, to: true }, gambleWinChance: { from: 45, to: 40 }, gambleMinBet: { from: 10, to: 5 }, gambleMaxBet: { from: 10_000, to: 500 }, gambleCooldownSec: { from: 30, to: 0 } });
    expect(await refusal(runGuildAction(stack.ctx, duelSettingsAction, call(), { enabled: true, minBet: 50, maxBet: 20 }))).toBe('The smallest stake (50) is above the largest (20).');
  });

  it('quotes and counters: another guild’s ids are refused, numbers and names find the guild’s own, unchanged values are not audited', async () => {
    await stack.db.prisma.guild.upsert({ where: { id: '900000000000000001' }, create: { id: '900000000000000001', name: 'other' }, update: {} });
    const theirs = await stack.db.prisma.quote.create({ data: { guildId: '900000000000000001', number: 1, text: 'theirs', addedByName: 'x' } });
    expect(await refusal(runGuildAction(stack.ctx, editQuoteAction, call(), { id: theirs.id, text: 'mine now' }))).toBe('That quote is not in this server any more — it may have just been removed. Reload the page.');
    await stack.db.prisma.quote.create({ data: { guildId: stack.guildId, number: 3, text: 'same words', addedByName: 'x' } });
    const before = await audits('quotes.edit');
    expect((await runGuildAction(stack.ctx, editQuoteAction, call({ source: 'discord' }), { number: 3, text: 'same words' })).message).toContain('#3: "same words"');
    expect(await audits('quotes.edit')).toBe(before);
    expect(await refusal(runGuildAction(stack.ctx, editQuoteAction, call(), { number: 4, text: 'x' }))).toBe('There is no quote #4.');
    await runGuildAction(stack.ctx, quoteSettingsAction, call(), { addLevel: 'moderator' });
    expect(await audits('quotes.settings')).toBe(0);
    expect(await refusal(runGuildAction(stack.ctx, setCounterAction, call(), { name: 'nothing', value: 1 }))).toBe('There is no counter named "nothing" — add it with /counters add.');
    expect((await runGuildAction(stack.ctx, setCounterAction, call({ source: 'discord' }), { name: '!Deaths', value: 4 })).message).toBe('Counter **deaths** is now 4.');
    const entry = await stack.db.prisma.auditLogEntry.findFirst({ where: { guildId: stack.guildId, action: 'counters.set' }, orderBy: { createdAt: 'desc' } });
    expect(entry).toMatchObject({ source: 'discord', detail: { name: 'deaths', value: { from: null, to: 4 } } });
  });
});
