/**
 * The custom command and timer actions that `/command`, `/timer` and the dashboard share, on real PostgreSQL and
 * Redis: the slash command's texts for refusals, one audit entry per real change (none for a refusal or a no-op),
 * changes by id only inside the guild the call is made for, and previews that save nothing.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCommand, editCommand, previewCommand, removeCommand, setCommandListing } from '../src/features/customCommands/commandActions.ts';
import { addTimerAction, editTimerAction, previewTimer, removeTimerAction } from '../src/features/timers/timerActions.ts';
import { addTimer, countChatLine, linesSinceLastPost } from '../src/features/timers/timerService.ts';
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
/** The audit entries of one action about one command or timer. */
const audits = (guildId: string, action: string, name: string) =>
  stack.db.prisma.auditLogEntry.findMany({ where: { guildId, action, detail: { path: ['name'], equals: name } }, orderBy: { createdAt: 'asc' } });
/** A command a test starts from, written straight to the table. */
async function command(name: string, data: Partial<{ response: string; aliases: string[]; globalCooldownSec: number; userCooldownSec: number; minLevel: 'everyone' | 'subscriber'; cost: number; liveOnly: boolean; publicListed: boolean }> = {}) {
  await stack.db.prisma.chatCommand.deleteMany({ where: { guildId: stack.guildId, name } });
  return stack.db.prisma.chatCommand.create({ data: { guildId: stack.guildId, name, response: `${name} answer`, createdByDiscordId: ACTOR.id, ...data } });
}

describe('custom command actions', () => {
  it('are registered once each with the feature, next to the timer actions', () => {
    const names = guildActions.map((a) => a.name);
    for (const name of ['commands.add', 'commands.edit', 'commands.remove', 'commands.listing', 'commands.preview', 'timers.add', 'timers.edit', 'timers.remove', 'timers.preview']) {
      expect(names.filter((n) => n === name), name).toHaveLength(1);
    }
  });

  it('add: creates the command with every setting, answers like /command add, and audits it as made from the dashboard', async () => {
    await stack.db.prisma.chatCommand.deleteMany({ where: { guildId: stack.guildId, name: { in: ['socials', 'links', 'dc'] } } });
    const outcome = await runGuildAction(stack.ctx, addCommand, call(), { name: '!Socials', response: '{user}: discord.gg/x', aliases: 'links, dc', cooldown: 30, userCooldown: 60, level: 'subscriber', cost: 5, liveOnly: true, listed: false });
    expect(outcome.message).toBe('✅ Added **!socials**.\n`{user}: discord.gg/x`\naliases !links, !dc · subscriber+ · cooldown 30s · per-user 60s · costs 5 · live only · not on the public list · used 0×');
    const row = await stack.db.prisma.chatCommand.findUniqueOrThrow({ where: { guildId_name: { guildId: stack.guildId, name: 'socials' } } });
    expect(row).toMatchObject({ aliases: ['links', 'dc'], globalCooldownSec: 30, userCooldownSec: 60, minLevel: 'subscriber', cost: 5, liveOnly: true, publicListed: false, enabled: true, createdByDiscordId: ACTOR.id });
    const [entry] = (await audits(stack.guildId, 'commands.add', 'socials')).slice(-1);
    expect(entry).toMatchObject({ actorId: ACTOR.id, actorName: ACTOR.name, source: 'dashboard' });
    expect(entry?.detail).toMatchObject({ name: 'socials', response: '{user}: discord.gg/x', aliases: ['links', 'dc'], cost: 5, publicListed: false });
  });

  it('add: refuses a taken name or alias, a built-in, a bad template, an empty response and a bad number, with the slash command’s texts, and saves nothing', async () => {
    await command('socials', { aliases: ['links', 'dc'] });
    const [before, auditsBefore] = await Promise.all([stack.db.prisma.chatCommand.count({ where: { guildId: stack.guildId } }), stack.db.prisma.auditLogEntry.count({ where: { guildId: stack.guildId } })]);
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
    expect(await stack.db.prisma.chatCommand.count({ where: { guildId: stack.guildId } })).toBe(before);
    expect(await stack.db.prisma.auditLogEntry.count({ where: { guildId: stack.guildId } })).toBe(auditsBefore);
  });

  it('edit: by id changes what is given and audits from → to; an unchanged save audits nothing; nothing at all is refused', async () => {
    const row = await command('editme', { response: '{user}: discord.gg/x', aliases: ['links2', 'dc2'], globalCooldownSec: 30, userCooldownSec: 60, minLevel: 'subscriber', cost: 5, liveOnly: true, publicListed: false });
    const outcome = await runGuildAction(stack.ctx, editCommand, call(), { id: row.id, response: 'hi {touser}', aliases: '', cooldown: 0, userCooldown: 60, level: 'everyone', cost: 0, liveOnly: false, enabled: false, listed: false });
    expect(outcome.message).toMatch(/^✏️ Updated \*\*!editme\*\*\.\n`hi \{touser\}`\nper-user 60s · disabled · not on the public list · used 0×$/u);
    const [entry] = await audits(stack.guildId, 'commands.edit', 'editme');
    expect(entry?.detail).toEqual({
      name: 'editme',
      response: { from: '{user}: discord.gg/x', to: 'hi {touser}' },
      aliases: { from: ['links2', 'dc2'], to: [] },
      globalCooldownSec: { from: 30, to: 0 },
      minLevel: { from: 'subscriber', to: 'everyone' },
      cost: { from: 5, to: 0 },
      liveOnly: { from: true, to: false },
      enabled: { from: true, to: false },
    });
    const again = await runGuildAction(stack.ctx, editCommand, call(), { id: row.id, response: 'hi {touser}', enabled: false });
    expect(again.message).toContain('Nothing changed');
    expect(await audits(stack.guildId, 'commands.edit', 'editme')).toHaveLength(1);
    await expect(runGuildAction(stack.ctx, editCommand, call(), { name: 'editme' })).rejects.toThrow('Nothing to change — pass at least one option');
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
    expect(await audits(stack.guildId, 'commands.remove', 'theirs')).toHaveLength(0);
  });

  it('listing: shows or hides a command on the public list, audited once per real change', async () => {
    const row = await command('listme', { publicListed: false });
    const first = await runGuildAction(stack.ctx, setCommandListing, call(), { name: '!listme', listed: true });
    expect(first.message).toBe('👁️ **!listme** is on the public command list again.');
    const second = await runGuildAction(stack.ctx, setCommandListing, call(), { id: row.id, listed: true });
    expect(second.message).toBe('**!listme** was already on the public command list.');
    expect(await audits(stack.guildId, 'commands.listing', 'listme')).toMatchObject([{ source: 'dashboard', detail: { name: 'listme', publicListed: { from: false, to: true } } }]);
    expect((await stack.db.prisma.chatCommand.findUniqueOrThrow({ where: { id: row.id } })).publicListed).toBe(true);
  });

  it('preview: renders a response for a sample viewer, or its problems, and saves nothing', async () => {
    const ok = await runGuildAction(stack.ctx, previewCommand, call(), { name: 'hug', response: '{user} hugs {touser} ({count}, {points} points)' });
    expect(ok).toEqual({ message: 'viewer_name hugs friend (42, 1250 points)', data: { asked: '!hug @friend', user: 'viewer_name' } });
    await expect(runGuildAction(stack.ctx, previewCommand, call(), { response: '{oops' })).rejects.toThrow('That response has a problem');
    expect(await stack.db.prisma.chatCommand.count({ where: { guildId: stack.guildId, name: 'hug' } })).toBe(0);
  });

  it('remove: by name or id, audited with what was removed; a second remove is refused', async () => {
    const row = await command('removeme', { response: 'bye {user}' });
    const outcome = await runGuildAction(stack.ctx, removeCommand, call(), { id: row.id });
    expect(outcome.message).toBe('🗑️ Removed **!removeme**.');
    await expect(runGuildAction(stack.ctx, removeCommand, call(), { name: 'removeme' })).rejects.toThrow('There is no command named "removeme" — see /command list.');
    expect(await audits(stack.guildId, 'commands.remove', 'removeme')).toMatchObject([{ source: 'dashboard', detail: { name: 'removeme', response: 'bye {user}' } }]);
  });
});

describe('timer actions', () => {
  /** A timer a test starts from, made with the service /timer add uses. */
  async function timer(name: string, message: string) {
    await stack.db.prisma.timer.deleteMany({ where: { guildId: stack.guildId, name } });
    return addTimer(stack.ctx, { guildId: stack.guildId, name, message, intervalMinutes: 15, minChatLines: 10 });
  }

  it('add: creates a timer as /timer add does and audits it; a bad timer is refused with every problem', async () => {
    await stack.db.prisma.timer.deleteMany({ where: { guildId: stack.guildId, name: 'promo' } });
    const before = await stack.db.prisma.timer.count({ where: { guildId: stack.guildId } });
    const outcome = await runGuildAction(stack.ctx, addTimerAction, call(), { name: 'Promo', message: 'Follow the socials!', intervalMinutes: 15, minChatLines: 10 });
    expect(outcome.message).toBe('⏱️ Timer **promo** posts every 15 min while live, after at least 10 chat messages.');
    expect((await audits(stack.guildId, 'timers.add', 'promo')).slice(-1)).toMatchObject([{ source: 'dashboard', detail: { name: 'promo', message: 'Follow the socials!', intervalMinutes: 15, minChatLines: 10 } }]);
    await expect(runGuildAction(stack.ctx, addTimerAction, call(), { message: 'Hi {user}', intervalMinutes: 0 })).rejects.toThrow(/Timer message: .*\{user\}[\s\S]*Interval must be a whole number of minutes from 1 to 1440 \(got 0\)/u);
    await expect(runGuildAction(stack.ctx, addTimerAction, call(), { name: 'promo', message: 'x', intervalMinutes: 5 })).rejects.toThrow('A timer named "promo" already exists.');
    expect(await stack.db.prisma.timer.count({ where: { guildId: stack.guildId } })).toBe(before + 1);
  });

  it('edit: by id changes the interval, lines and message; off and on again counts chat lines from then', async () => {
    const timerId = (await timer('editable', 'Follow the socials!')).id;
    const outcome = await runGuildAction(stack.ctx, editTimerAction, call(), { id: timerId, message: 'Join us: {title}', intervalMinutes: 20, minChatLines: 0 });
    expect(outcome.message).toBe('✏️ Timer **editable** posts every 20 min while live.');
    expect(await stack.db.prisma.timer.findUniqueOrThrow({ where: { id: timerId } })).toMatchObject({ message: 'Join us: {title}', intervalMinutes: 20, minChatLines: 0, enabled: true });
    const off = await runGuildAction(stack.ctx, editTimerAction, call(), { name: 'editable', enabled: false });
    expect(off.message).toBe('✏️ Timer **editable** is off (it posts nothing until it is switched on).');
    for (const id of ['l1', 'l2', 'l3']) await countChatLine(stack.ctx, stack.guildId, `${id}-${seq}`);
    expect(await linesSinceLastPost(stack.ctx, stack.guildId, timerId)).toBeGreaterThanOrEqual(3);
    await runGuildAction(stack.ctx, editTimerAction, call(), { id: timerId, enabled: true });
    expect(await linesSinceLastPost(stack.ctx, stack.guildId, timerId)).toBe(0);
    const entries = await audits(stack.guildId, 'timers.edit', 'editable');
    expect(entries.map((e) => e.detail)).toEqual([
      { name: 'editable', message: { from: 'Follow the socials!', to: 'Join us: {title}' }, intervalMinutes: { from: 15, to: 20 }, minChatLines: { from: 10, to: 0 } },
      { name: 'editable', enabled: { from: true, to: false } },
      { name: 'editable', enabled: { from: false, to: true } },
    ]);
    await expect(runGuildAction(stack.ctx, editTimerAction, call(), { id: timerId, message: 'Hello {user}' })).rejects.toThrow('makes no sense in a timer');
    await expect(runGuildAction(stack.ctx, editTimerAction, call(), { name: 'editable' })).rejects.toThrow('Nothing to change');
    await expect(runGuildAction(stack.ctx, editTimerAction, call(), { id: timerId, intervalMinutes: 'soon' as never })).rejects.toThrow('intervalMinutes: Interval must be a whole number of minutes from 1 to 1440.');
    expect(await audits(stack.guildId, 'timers.edit', 'editable')).toHaveLength(3);
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
    const { id } = await timer('removable', 'Join us: {title}');
    expect((await runGuildAction(stack.ctx, removeTimerAction, call(), { id })).message).toBe('Timer **removable** removed.');
    await expect(runGuildAction(stack.ctx, removeTimerAction, call(), { name: 'removable' })).rejects.toThrow('There is no timer named "removable".');
    expect(await audits(stack.guildId, 'timers.remove', 'removable')).toMatchObject([{ source: 'dashboard', detail: { name: 'removable', message: 'Join us: {title}' } }]);
  });
});
