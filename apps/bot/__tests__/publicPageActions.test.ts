/**
 * `public.settings`, the action behind the dashboard's "Public pages" tab: changes only the switches it is given,
 * drops the chat path's cached settings, records one audit entry naming what changed (none when nothing did), and
 * refuses an empty or malformed change with a sentence that says what is wrong.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describePublicPages, setPublicPages } from '../src/features/leaderboard/publicPageActions.ts';
import type { GuildActionCall } from '../src/guildActions/GuildAction.ts';
import { runGuildAction } from '../src/guildActions/guildActionsProcessor.ts';
import { cachedGuildSettings } from '../src/guildSettings.ts';
import { startServiceStack, type ServiceStack } from './helpers/serviceStack.ts';

let stack: ServiceStack;
beforeAll(async () => {
  stack = await startServiceStack();
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

let seq = 0;
const call = (guildId: string): GuildActionCall => ({ guildId, actor: { id: '300000000000000007', name: 'privacy_mod' }, source: 'dashboard', requestId: `public-${++seq}` });
const audits = (guildId: string) => stack.db.prisma.auditLogEntry.findMany({ where: { guildId, action: 'public.settings' }, orderBy: { createdAt: 'asc' } });
const switches = (guildId: string) =>
  stack.db.prisma.guildSettings.findUniqueOrThrow({ where: { guildId }, select: { publicLeaderboard: true, publicLeaderboardPoints: true, publicLeaderboardWatchtime: true, publicCommandList: true } });

describe('public.settings', () => {
  it('changes only the given switch, drops the cached settings and records who changed what', async () => {
    const { guildId } = await stack.addOwnerGuild('pubpartial');
    // The chat path holds the settings (all public by default) before the change.
    expect((await cachedGuildSettings(stack.ctx, guildId)).publicCommandList).toBe(true);

    const outcome = await runGuildAction(stack.ctx, setPublicPages, call(guildId), { commandList: false });
    expect(outcome.message).toBe('✅ Saved the public pages.\nLeaderboard: public, showing ranks and names with points and watch time.\nCommand list: not public (`!commands` says so instead of linking to it).');
    expect(outcome.data).toEqual({ leaderboard: true, leaderboardPoints: true, leaderboardWatchtime: true, commandList: false });
    expect(await switches(guildId)).toEqual({ publicLeaderboard: true, publicLeaderboardPoints: true, publicLeaderboardWatchtime: true, publicCommandList: false });
    expect((await cachedGuildSettings(stack.ctx, guildId)).publicCommandList).toBe(false);
    const [entry, ...more] = await audits(guildId);
    expect(more).toEqual([]);
    expect(entry).toMatchObject({ actorId: '300000000000000007', actorName: 'privacy_mod', source: 'dashboard', detail: { commandList: { from: true, to: false } } });
    expect(Object.keys(entry?.detail as object)).toEqual(['commandList']);
  });

  it('saving what is already stored changes nothing and records nothing', async () => {
    const { guildId } = await stack.addOwnerGuild('pubsame');
    const outcome = await runGuildAction(stack.ctx, setPublicPages, call(guildId), { leaderboard: true, leaderboardPoints: true, leaderboardWatchtime: true, commandList: true });
    expect(outcome.message).toMatch(/^Nothing changed: the public pages were already set this way\./);
    expect(await audits(guildId)).toEqual([]);
  });

  it('names both hidden columns: ranks and names only', async () => {
    const { guildId } = await stack.addOwnerGuild('pubcols');
    const outcome = await runGuildAction(stack.ctx, setPublicPages, call(guildId), { leaderboardPoints: false, leaderboardWatchtime: false });
    expect(outcome.message).toContain('Leaderboard: public, showing ranks and names only.');
    expect((await audits(guildId))[0]?.detail).toEqual({ leaderboardPoints: { from: true, to: false }, leaderboardWatchtime: { from: true, to: false } });
    expect(describePublicPages({ leaderboard: false, leaderboardPoints: false, leaderboardWatchtime: false, commandList: true })).toContain('Leaderboard: not public');
  });

  it('refuses an empty change and a switch that is not on or off, changing nothing', async () => {
    const { guildId } = await stack.addOwnerGuild('pubbad');
    await expect(runGuildAction(stack.ctx, setPublicPages, call(guildId), {})).rejects.toThrow('Nothing to change: say which of leaderboard, leaderboardPoints, leaderboardWatchtime, commandList to turn on or off.');
    await expect(runGuildAction(stack.ctx, setPublicPages, call(guildId), { leaderboard: 'maybe' as unknown as boolean })).rejects.toThrow(
      'leaderboard: Say whether the public leaderboard is on or off (true or false).',
    );
    await expect(runGuildAction(stack.ctx, setPublicPages, call(guildId), { commandList: null as unknown as boolean })).rejects.toThrow('commandList: Say whether the public command list is on or off');
    expect(await switches(guildId)).toEqual({ publicLeaderboard: true, publicLeaderboardPoints: true, publicLeaderboardWatchtime: true, publicCommandList: true });
    expect(await audits(guildId)).toEqual([]);
  });
});
