/**
 * The custom command and timer actions that `/command`, `/timer` and the dashboard share, on real PostgreSQL and
 * Redis: the slash command's texts for refusals, one audit entry per real change (none for a refusal or a no-op),
 * changes by id only inside the guild the call is made for, and previews that save nothing.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCommand, editCommand, previewCommand, removeCommand, setCommandListing } from '../src/features/customCommands/commandActions.ts';
import { addTimerAction, editTimerAction, previewTimer, removeTimerAction } from '../src/features/timers/timerActions.ts';
import { countChatLine, linesSinceLastPost } from '../src/features/timers/timerService.ts';
import { guildActions } from '../src/features/assemble.ts';
import type { GuildActionCall } from '../src/guildActions/GuildAction.ts';
import { runGuildAction } from '../src/guildActions/guildActionsProcessor.ts';
import { startServiceStack, type ServiceStack } from './helpers/serviceStack.ts';

let stack: ServiceStack;
let other: string;
let seq = 0;
beforeAll(async () => {
  stack = await startServiceStack({ handlers: [] });
  other = (await stack.addOwnerGuild('othercmds')).guildId;
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

const ACTOR = { id: '300000000000000042', name: 'dash_mod' };
function call(guildId: string = stack.guildId): GuildActionCall {
  return { guildId, actor: ACTOR, source: 'dashboard', requestId: `req-${++seq}-${randomBytes(4).toString('hex')}` };
}
const audits = (guildId: string, action: string) => stack.db.prisma.auditLogEntry.findMany({ where: { guildId, action }, orderBy: { createdAt: 'asc' } });

describe('custom command actions', () => {
  it('are registered once each with the feature, next to the timer actions', () => {
    const names = guildActions.map((a) => a.name);
    for (const name of ['commands.add', 'commands.edit', 'commands.remove', 'commands.listing', 'commands.preview', 'timers.add', 'timers.edit', 'timers.remove', 'timers.preview']) {
      expect(names.filter((n) => n === name), name).toHaveLength(1);
    }
  });

  it('add: creates the command with every setting, answers like /command add, and audits it as made from the dashboard', async () => {
    const outcome = await runGuildAction(stack.ctx, addCommand, call(), { name: '!Socials', response: '{user}: discord.gg/x', aliases: 'links, dc', cooldown: 30, userCooldown: 60, level: 'subscriber', cost: 5, liveOnly: true, listed: false });
    expect(outcome.message).toBe('✅ Added **!socials**.\n`{user}: discord.gg/x`\naliases !links, !dc · subscriber+ · cooldown 30s · per-user 60s · costs 5 · live only · not on the public list · used 0×');
    const row = await stack.db.prisma.chatCommand.findUniqueOrThrow({ where: { guildId_name: { guildId: stack.guildId, name: 'socials' } } });
    expect(row).toMatchObject({ aliases: ['links', 'dc'], globalCooldownSec: 30, userCooldownSec: 60, minLevel: 'subscriber', cost: 5, liveOnly: true, publicListed: false, enabled: true, createdByDiscordId: ACTOR.id });
    const [entry] = await audits(stack.guildId, 'commands.add');
    expect(entry).toMatchObject({ actorId: ACTOR.id, actorName: ACTOR.name, source: 'dashboard' });
    expect(entry?.detail).toMatchObject({ name: 'socials', response: '{user}: discord.gg/x', aliases: ['links', 'dc'], cost: 5, publicListed: false });
  });

  it('add: refuses a taken name or alias, a built-in, a bad template, an empty response and a bad number, with the slash command’s texts, and saves nothing', async () => {
    const refuse = (input: Parameters<typeof runGuildAction<typeof addCommand.input>>[3]) => runGuildAction(stack.ctx, addCommand, call(), input);
    await expect(refuse({ name: 'socials', response: 'again' })).rejects.toThrow('"socials" is already used by the command "socials" — pick another name, or edit that command.');
    await expect(refuse({ name: 'other', response: 'x', aliases: 'DC' })).rejects.toThrow('"dc" is already used by the command "socials"');
    await expect(refuse({ name: 'points', response: 'x' })).rejects.toThrow('"points" is a built-in command — pick another name.');
    await expect(refuse({ name: 'bad name', response: 'x' })).rejects.toThrow('only letters a–z, digits 0–9 and _ are allowed');
    await expect(refuse({ name: 'fine', response: 'follow {usr}' })).rejects.toThrow(/^That response has a problem:\n• Unknown variable \{usr\} at 7 — did you mean \{user\}\?/u);
    await expect(refuse({ name: 'fine', response: '   ' })).rejects.toThrow('The response is empty');
    await expect(refuse({ name: 'fine', response: 'x', cooldown: -1 })).rejects.toThrow('cooldown: Cooldown must be a whole number of seconds from 0 to 86400 (0 = none).');
    await expect(refuse({ name: 'fine', response: 'x', cost: 1.5 })).rejects.toThrow('cost: Cost must be a whole number of points');
    await expect(refuse({ name: 'fine', response: 'x', level: 'admin' as never })).rejects.toThrow('level: Level must be one of: everyone, subscriber, vip, moderator, broadcaster.');
    expect(await stack.db.prisma.chatCommand.count({ where: { guildId: stack.guildId } })).toBe(1);
    expect(await audits(stack.guildId, 'commands.add')).toHaveLength(1);
  });

  it('edit: by id changes what is given and audits from → to; an unchanged save audits nothing; nothing at all is refused', async () => {
    const row = await stack.db.prisma.chatCommand.findUniqueOrThrow({ where: { guildId_name: { guildId: stack.guildId, name: 'socials' } } });
    const outcome = await runGuildAction(stack.ctx, editCommand, call(), { id: row.id, response: 'hi {touser}', aliases: '', cooldown: 0, userCooldown: 60, level: 'everyone', cost: 0, liveOnly: false, enabled: false, listed: false });
    expect(outcome.message).toMatch(/^✏️ Updated \*\*!socials\*\*\.\n`hi \{touser\}`\nper-user 60s · disabled · not on the public list · used 0×$/u);
    const [entry] = await audits(stack.guildId, 'commands.edit');
    expect(entry?.detail).toEqual({
      name: 'socials',
      response: { from: '{user}: discord.gg/x', to: 'hi {touser}' },
      aliases: { from: ['links', 'dc'], to: [] },
      globalCooldownSec: { from: 30, to: 0 },
      minLevel: { from: 'subscriber', to: 'everyone' },
      cost: { from: 5, to: 0 },
      liveOnly: { from: true, to: false },
      enabled: { from: true, to: false },
    });
    const again = await runGuildAction(stack.ctx, editCommand, call(), { id: row.id, response: 'hi {touser}', enabled: false });
    expect(again.message).toContain('Nothing changed');
    expect(await audits(stack.guildId, 'commands.edit')).toHaveLength(1);
    await expect(runGuildAction(stack.ctx, editCommand, call(), { name: 'socials' })).rejects.toThrow('Nothing to change — pass at least one option');
    await expect(runGuildAction(stack.ctx, editCommand, call(), { name: 'nope', cost: 1 })).rejects.toThrow('There is no command named "nope" — see /command list, or create it with /command add.');
    await expect(runGuildAction(stack.ctx, editCommand, call(), { cost: 1 })).rejects.toThrow('Say which command');
  });

  it("refuses another guild's command id for edit, listing and remove, and changes nothing there", async () => {
    const theirs = await runGuildAction(stack.ctx, addCommand, call(other), { name: 'theirs', response: 'their answer' });
    const id = (theirs.data as { id: string }).id;
    const gone = 'That command is not in this server any more';
    await expect(runGuildAction(stack.ctx, editCommand, call(), { id, response: 'hacked' })).rejects.toThrow(gone);
    await expect(runGuildAction(stack.ctx, setCommandListing, call(), { id, listed: false })).rejects.toThrow(gone);
    await expect(runGuildAction(stack.ctx, removeCommand, call(), { id })).rejects.toThrow(gone);
    expect(await stack.db.prisma.chatCommand.findUniqueOrThrow({ where: { id } })).toMatchObject({ guildId: other, response: 'their answer', publicListed: true });
    expect(await audits(stack.guildId, 'commands.remove')).toHaveLength(0);
  });

  it('listing: shows or hides a command on the public list, audited once per real change', async () => {
    const first = await runGuildAction(stack.ctx, setCommandListing, call(), { name: '!socials', listed: true });
    expect(first.message).toBe('👁️ **!socials** is on the public command list again.');
    const second = await runGuildAction(stack.ctx, setCommandListing, call(), { name: 'socials', listed: true });
    expect(second.message).toBe('**!socials** was already on the public command list.');
    expect(await audits(stack.guildId, 'commands.listing')).toMatchObject([{ source: 'dashboard', detail: { name: 'socials', publicListed: { from: false, to: true } } }]);
    expect((await stack.db.prisma.chatCommand.findUniqueOrThrow({ where: { guildId_name: { guildId: stack.guildId, name: 'socials' } } })).publicListed).toBe(true);
  });

  it('preview: renders a response for a sample viewer, or its problems, and saves nothing', async () => {
    const ok = await runGuildAction(stack.ctx, previewCommand, call(), { name: 'hug', response: '{user} hugs {touser} ({count}, {points} points)' });
    expect(ok).toEqual({ message: 'viewer_name hugs friend (42, 1250 points)', data: { asked: '!hug @friend', user: 'viewer_name' } });
    await expect(runGuildAction(stack.ctx, previewCommand, call(), { response: '{oops' })).rejects.toThrow('That response has a problem');
    expect(await stack.db.prisma.chatCommand.count({ where: { guildId: stack.guildId, name: 'hug' } })).toBe(0);
  });

  it('remove: by name or id, audited with what was removed; a second remove is refused', async () => {
    const outcome = await runGuildAction(stack.ctx, removeCommand, call(), { name: 'socials' });
    expect(outcome.message).toBe('🗑️ Removed **!socials**.');
    await expect(runGuildAction(stack.ctx, removeCommand, call(), { name: 'socials' })).rejects.toThrow('There is no command named "socials" — see /command list.');
    expect(await audits(stack.guildId, 'commands.remove')).toMatchObject([{ source: 'dashboard', detail: { name: 'socials', response: 'hi {touser}' } }]);
  });
});

describe('timer actions', () => {
  let timerId = '';

  it('add: creates a timer as /timer add does and audits it; a bad timer is refused with every problem', async () => {
    const outcome = await runGuildAction(stack.ctx, addTimerAction, call(), { name: 'Promo', message: 'Follow the socials!', intervalMinutes: 15, minChatLines: 10 });
    expect(outcome.message).toBe('⏱️ Timer **promo** posts every 15 min while live, after at least 10 chat messages.');
    timerId = (outcome.data as { id: string }).id;
    expect(await audits(stack.guildId, 'timers.add')).toMatchObject([{ source: 'dashboard', detail: { name: 'promo', message: 'Follow the socials!', intervalMinutes: 15, minChatLines: 10 } }]);
    await expect(runGuildAction(stack.ctx, addTimerAction, call(), { message: 'Hi {user}', intervalMinutes: 0 })).rejects.toThrow(/Timer message: .*\{user\}[\s\S]*Interval must be a whole number of minutes from 1 to 1440 \(got 0\)/u);
    await expect(runGuildAction(stack.ctx, addTimerAction, call(), { name: 'promo', message: 'x', intervalMinutes: 5 })).rejects.toThrow('A timer named "promo" already exists.');
    expect(await stack.db.prisma.timer.count({ where: { guildId: stack.guildId } })).toBe(1);
  });

  it('edit: by id changes the interval, lines and message; off and on again counts chat lines from then', async () => {
    const outcome = await runGuildAction(stack.ctx, editTimerAction, call(), { id: timerId, message: 'Join us: {title}', intervalMinutes: 20, minChatLines: 0 });
    expect(outcome.message).toBe('✏️ Timer **promo** posts every 20 min while live.');
    expect(await stack.db.prisma.timer.findUniqueOrThrow({ where: { id: timerId } })).toMatchObject({ message: 'Join us: {title}', intervalMinutes: 20, minChatLines: 0, enabled: true });
    const off = await runGuildAction(stack.ctx, editTimerAction, call(), { name: 'promo', enabled: false });
    expect(off.message).toBe('✏️ Timer **promo** is off (it posts nothing until it is switched on).');
    for (const id of ['l1', 'l2', 'l3']) await countChatLine(stack.ctx, stack.guildId, `${id}-${seq}`);
    expect(await linesSinceLastPost(stack.ctx, stack.guildId, timerId)).toBeGreaterThanOrEqual(3);
    await runGuildAction(stack.ctx, editTimerAction, call(), { id: timerId, enabled: true });
    expect(await linesSinceLastPost(stack.ctx, stack.guildId, timerId)).toBe(0);
    const entries = await audits(stack.guildId, 'timers.edit');
    expect(entries.map((e) => e.detail)).toEqual([
      { name: 'promo', message: { from: 'Follow the socials!', to: 'Join us: {title}' }, intervalMinutes: { from: 15, to: 20 }, minChatLines: { from: 10, to: 0 } },
      { name: 'promo', enabled: { from: true, to: false } },
      { name: 'promo', enabled: { from: false, to: true } },
    ]);
    await expect(runGuildAction(stack.ctx, editTimerAction, call(), { id: timerId, message: 'Hello {user}' })).rejects.toThrow('makes no sense in a timer');
    await expect(runGuildAction(stack.ctx, editTimerAction, call(), { name: 'promo' })).rejects.toThrow('Nothing to change');
    await expect(runGuildAction(stack.ctx, editTimerAction, call(), { id: timerId, intervalMinutes: 'soon' as never })).rejects.toThrow('intervalMinutes: Interval must be a whole number of minutes from 1 to 1440.');
    expect(await audits(stack.guildId, 'timers.edit')).toHaveLength(3);
  });

  it("refuses another guild's timer id and leaves it as it was", async () => {
    const theirs = await runGuildAction(stack.ctx, addTimerAction, call(other), { message: 'their timer', intervalMinutes: 5 });
    const id = (theirs.data as { id: string }).id;
    await expect(runGuildAction(stack.ctx, editTimerAction, call(), { id, enabled: false })).rejects.toThrow('That timer is not in this server any more');
    await expect(runGuildAction(stack.ctx, removeTimerAction, call(), { id })).rejects.toThrow('That timer is not in this server any more');
    expect(await stack.db.prisma.timer.findUniqueOrThrow({ where: { id } })).toMatchObject({ guildId: other, enabled: true, message: 'their timer' });
  });

  it('preview renders with sample stream values, refuses what a timer cannot fill', async () => {
    expect((await runGuildAction(stack.ctx, previewTimer, call(), { message: 'Now: {title} ({category}), live {uptime}' })).message).toBe('Now: Sample stream title (Just Chatting), live 1h 23m');
    await expect(runGuildAction(stack.ctx, previewTimer, call(), { message: 'Hi {user}' })).rejects.toThrow('makes no sense in a timer');
  });

  it('remove: by id, audited; a second remove is refused', async () => {
    expect((await runGuildAction(stack.ctx, removeTimerAction, call(), { id: timerId })).message).toBe('Timer **promo** removed.');
    await expect(runGuildAction(stack.ctx, removeTimerAction, call(), { name: 'promo' })).rejects.toThrow('There is no timer named "promo".');
    expect(await audits(stack.guildId, 'timers.remove')).toMatchObject([{ source: 'dashboard', detail: { name: 'promo', message: 'Join us: {title}' } }]);
  });
});
