/**
 * OBS overlays, the bot's side, against real PostgreSQL and Redis with kick-sim's signed deliveries: alerts reach the
 * stream of every guild with a live overlay key (owner and watcher alike) once per Kick message, rendered with the
 * guild's template; chat lines feed the chat box only for guilds with a key, at no PostgreSQL cost per message; keys
 * and settings change through the same actions `/overlay` and the dashboard use.
 */
import { overlayStreamKey, readOverlayEntry, readOverlayTally, waitFor, type OverlayEvent } from '@kickcord/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GuildActionCall } from '../src/guildActions/GuildAction.ts';
import { runGuildAction } from '../src/guildActions/guildActionsProcessor.ts';
import { overlayAlertsAction, overlayGoalAction, overlayKeyAction, overlayPreviewAction, overlayRotateAction, overlayTestAction } from '../src/features/overlays/overlayActions.ts';
import { overlayGuilds, overlayGuildsKey, overlayTokenHash } from '../src/features/overlays/overlayKeys.ts';
import { alertSettingsKey, cachedAlertSettings, parseAlertSettings } from '../src/features/overlays/overlaySettings.ts';
import { updateFilterConfig } from '../src/features/chatFilters/filterRules.ts';
import { UserFacingError } from '../src/UserFacingError.ts';
import { startServiceStack, type ServiceStack } from './helpers/serviceStack.ts';
import { openMonitor } from './helpers/monitor.ts';

let stack: ServiceStack;
/** A second guild owning another channel: it never makes an overlay key. */
let plain: Awaited<ReturnType<ServiceStack['addOwnerGuild']>>;
/** A guild watching the stack's streamer (announcements-style link), with its own overlay key. */
let watcherGuildId: string;

const call = (guildId: string, over: Partial<GuildActionCall> = {}): GuildActionCall => ({ guildId, actor: { id: '200000000000000001', name: 'mod' }, source: 'discord', requestId: `req-${Math.random().toString(36).slice(2)}`, ...over });

async function entries(guildId: string): Promise<{ id: string; event: OverlayEvent }[]> {
  const rows = await stack.redis.xrange(overlayStreamKey(stack.ctx.keys.prefix, guildId), '-', '+');
  return rows.flatMap(([id, fields]) => {
    const event = readOverlayEntry(fields);
    return event ? [{ id, event }] : [];
  });
}
const alerts = async (guildId: string) => (await entries(guildId)).map((e) => e.event).filter((e) => e.type === 'alert');
const chatLines = async (guildId: string) => (await entries(guildId)).map((e) => e.event).filter((e) => e.type === 'chat');

function urlsOf(data: unknown): Record<string, string> {
  return (data as { urls: Record<string, string> }).urls;
}

beforeAll(async () => {
  stack = await startServiceStack();
  plain = await stack.addOwnerGuild('plainguild');
  watcherGuildId = String(100000000000000000n + BigInt(Math.floor(Math.random() * 1e12)));
  await stack.db.prisma.guild.create({ data: { id: watcherGuildId, name: 'Watchers', settings: { create: {} } } });
  await stack.db.prisma.guildChannelLink.create({ data: { guildId: watcherGuildId, broadcasterUserId: stack.streamer.userId, kind: 'watch', createdByDiscordId: '200000000000000001' } });
  await stack.ctx.fanOut.forget(stack.streamer.userId);
}, 120_000);
afterAll(async () => stack?.close());

describe('overlay keys', () => {
  it('makes the key on first use and shows its URLs once; only the SHA-256 of the token is stored', async () => {
    const first = await runGuildAction(stack.ctx, overlayKeyAction, call(stack.guildId), {});
    const urls = urlsOf(first.data);
    expect(Object.keys(urls).sort()).toEqual(['alerts', 'chat', 'events', 'game', 'goal', 'leaderboard']);
    const token = /\/overlay\/([A-Za-z0-9_-]+)\/alerts$/.exec(urls.alerts ?? '')?.[1] ?? '';
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(first.message).toContain(urls.chat);
    const rows = await stack.db.prisma.overlayToken.findMany({ where: { guildId: stack.guildId } });
    expect(rows).toHaveLength(1);
    expect(rows[0]?.tokenHash).toBe(overlayTokenHash(token));
    expect(JSON.stringify(rows)).not.toContain(token);

    const again = await runGuildAction(stack.ctx, overlayKeyAction, call(stack.guildId), {});
    expect(again.data).toMatchObject({ created: false });
    expect(again.message).toContain('/overlay rotate');
    expect(again.message).not.toContain('/overlay/');
    expect(await stack.db.prisma.overlayToken.count({ where: { guildId: stack.guildId } })).toBe(1);
    const audit = await stack.db.prisma.auditLogEntry.findMany({ where: { guildId: stack.guildId, action: 'overlays.key' } });
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(token);
  });

  it('two managers asking for the first key at the same moment get one key between them', async () => {
    const results = await Promise.all([1, 2, 3].map(() => runGuildAction(stack.ctx, overlayKeyAction, call(watcherGuildId), {})));
    expect(results.filter((r) => (r.data as { created: boolean }).created)).toHaveLength(1);
    expect(await stack.db.prisma.overlayToken.count({ where: { guildId: watcherGuildId, revokedAt: null } })).toBe(1);
  });

  it('rotating revokes the old key at once and records who did it, never the token', async () => {
    const before = await stack.db.prisma.overlayToken.findFirstOrThrow({ where: { guildId: watcherGuildId, revokedAt: null } });
    const rotated = await runGuildAction(stack.ctx, overlayRotateAction, call(watcherGuildId, { source: 'dashboard' }), {});
    const token = /\/overlay\/([A-Za-z0-9_-]+)\/alerts$/.exec(urlsOf(rotated.data).alerts ?? '')?.[1] ?? '';
    const old = await stack.db.prisma.overlayToken.findUniqueOrThrow({ where: { id: before.id } });
    expect(old.revokedAt).not.toBeNull();
    const live = await stack.db.prisma.overlayToken.findMany({ where: { guildId: watcherGuildId, revokedAt: null } });
    expect(live.map((r) => r.tokenHash)).toEqual([overlayTokenHash(token)]);
    const audit = await stack.db.prisma.auditLogEntry.findFirstOrThrow({ where: { guildId: watcherGuildId, action: 'overlays.rotate' } });
    expect(audit).toMatchObject({ source: 'dashboard', detail: { revokedKeys: 1 } });
    expect(JSON.stringify(audit)).not.toContain(token);
    expect(JSON.stringify(audit)).not.toContain(overlayTokenHash(token));
  });
});

describe('alerts', () => {
  it('a follow delivered twice shows one alert per guild with a key (owner and watcher), with each guild’s template; a guild without a key gets none', async () => {
    await runGuildAction(stack.ctx, overlayAlertsAction, call(watcherGuildId), { kind: 'follow', template: '👀 {user} follows {streamer}', sound: 'pop', durationSeconds: 8 });
    const fan = stack.viewer('followfan');
    await stack.sim.follow(stack.streamer.userId, fan.userId, { duplicate: 1 });
    await stack.sim.follow(plain.streamer.userId, fan.userId);
    expect(stack.failures).toEqual([]);
    expect(stack.sim.deliveries({ type: 'channel.followed', broadcasterUserId: stack.streamer.userId })).toHaveLength(2);

    expect(await alerts(stack.guildId)).toEqual([{ type: 'alert', kind: 'follow', text: `${fan.username} just followed!`, user: fan.username, sound: 'chime', durationMs: 5000 }]);
    expect(await alerts(watcherGuildId)).toEqual([{ type: 'alert', kind: 'follow', text: `👀 ${fan.username} follows ${stack.streamer.username}`, user: fan.username, sound: 'pop', durationMs: 8000 }]);
    expect(await entries(plain.guildId)).toEqual([]);
  });

  it('subs, resubs (months), gifts (count; an anonymous gifter), Kicks (amount and message) and pending redemptions', async () => {
    const viewer = stack.viewer('bigfan');
    const giftees = [stack.viewer('g1'), stack.viewer('g2'), stack.viewer('g3')].map((v) => v.userId);
    const start = (await alerts(stack.guildId)).length;
    await stack.sim.subscribe(stack.streamer.userId, viewer.userId, 1);
    await stack.sim.subscribe(stack.streamer.userId, viewer.userId, 7);
    await stack.sim.giftSubs(stack.streamer.userId, viewer.userId, giftees);
    await stack.sim.giftSubs(stack.streamer.userId, null, giftees.slice(0, 2));
    await stack.sim.giftKicks(stack.streamer.userId, viewer.userId, 500, { message: 'love the stream' });
    await stack.sim.redeemReward(stack.streamer.userId, viewer.userId, { title: 'Hydrate', userInput: 'water pls', status: 'pending' });
    await stack.sim.redeemReward(stack.streamer.userId, viewer.userId, { title: 'Hydrate', userInput: 'water pls', status: 'accepted' });
    expect(stack.failures).toEqual([]);
    const got = (await alerts(stack.guildId)).slice(start);
    expect(got.map((a) => a.type === 'alert' && [a.kind, a.text, a.amount, a.message])).toEqual([
      ['sub', `${viewer.username} just subscribed!`, 1, undefined],
      ['resub', `${viewer.username} resubscribed for 7 months!`, 7, undefined],
      ['gift', `${viewer.username} gifted 3 subs!`, 3, undefined],
      ['gift', 'Anonymous gifted 2 subs!', 2, undefined],
      ['kicks', `${viewer.username} sent 500 Kicks!`, 500, 'love the stream'],
      ['redemption', `${viewer.username} redeemed Hydrate`, undefined, 'water pls'],
    ]);
  });

  it('goal tallies count every sub (gifts by their count) and every Kick once per Kick message, shown as an alert or not', async () => {
    const since = Date.now() - 1000;
    const subsBefore = await readOverlayTally(stack.redis, stack.ctx.keys.prefix, stack.guildId, 'subs', since);
    const kicksBefore = await readOverlayTally(stack.redis, stack.ctx.keys.prefix, stack.guildId, 'kicks', since);
    const fan = stack.viewer('tallyfan');
    await stack.sim.subscribe(stack.streamer.userId, fan.userId, 1, { duplicate: 1 });
    await stack.sim.giftSubs(stack.streamer.userId, fan.userId, [stack.viewer('t1').userId, stack.viewer('t2').userId]);
    await stack.sim.giftKicks(stack.streamer.userId, fan.userId, 250);
    expect(stack.failures).toEqual([]);
    expect((await readOverlayTally(stack.redis, stack.ctx.keys.prefix, stack.guildId, 'subs', since)) - subsBefore).toBe(3);
    expect((await readOverlayTally(stack.redis, stack.ctx.keys.prefix, stack.guildId, 'kicks', since)) - kicksBefore).toBe(250);
  });

  it('a kind turned off shows nothing; turned on again it shows', async () => {
    await runGuildAction(stack.ctx, overlayAlertsAction, call(stack.guildId), { kind: 'follow', enabled: false });
    const start = (await alerts(stack.guildId)).length;
    const quiet = stack.viewer('quietfollower');
    await stack.sim.follow(stack.streamer.userId, quiet.userId);
    expect(await alerts(stack.guildId)).toHaveLength(start);
    await runGuildAction(stack.ctx, overlayAlertsAction, call(stack.guildId), { kind: 'follow', enabled: true });
    await stack.sim.follow(stack.streamer.userId, stack.viewer('loudfollower').userId);
    expect(await alerts(stack.guildId)).toHaveLength(start + 1);
  });
});

describe('alert settings', () => {
  it('saves enabled, template, sound and duration per kind, records the change, and refuses bad input with a clear text', async () => {
    const out = await runGuildAction(stack.ctx, overlayAlertsAction, call(plain.guildId), { kind: 'kicks', template: '{user} threw {amount} Kicks: {message}', sound: 'none', durationSeconds: 12 });
    expect(out.message).toContain('Kicks alerts: on · no sound · 12 s');
    const row = await stack.db.prisma.overlaySettings.findUniqueOrThrow({ where: { guildId: plain.guildId } });
    expect(parseAlertSettings(row.alerts).kicks).toEqual({ enabled: true, template: '{user} threw {amount} Kicks: {message}', sound: null, durationMs: 12_000 });
    expect(parseAlertSettings(row.alerts).follow).toEqual({ enabled: true, template: null, sound: 'chime', durationMs: 5000 });
    const audit = await stack.db.prisma.auditLogEntry.findFirstOrThrow({ where: { guildId: plain.guildId, action: 'overlays.alerts' } });
    expect(audit.detail).toEqual({ kind: 'kicks', template: { from: null, to: '{user} threw {amount} Kicks: {message}' }, sound: { from: 'coin', to: null }, durationMs: { from: 5000, to: 12_000 } });

    await expect(runGuildAction(stack.ctx, overlayAlertsAction, call(plain.guildId), { kind: 'follow', template: '{user} sent {amount}' })).rejects.toThrow(/That template has a problem:\n• \{amount\} at 12 is not available here/);
    await expect(runGuildAction(stack.ctx, overlayAlertsAction, call(plain.guildId), { kind: 'follow', durationSeconds: 31 })).rejects.toThrow('durationSeconds: An alert stays on screen 2 to 30 seconds (a whole number).');
    await expect(runGuildAction(stack.ctx, overlayAlertsAction, call(plain.guildId), { kind: 'follow', sound: 'airhorn' })).rejects.toThrow('sound: Unknown sound. Choose none or one of: chime, coin, pop, fanfare.');
    await expect(runGuildAction(stack.ctx, overlayAlertsAction, call(plain.guildId), { kind: 'follow', template: 'x'.repeat(201) })).rejects.toThrow('template: An alert template is at most 200 characters.');
    await expect(runGuildAction(stack.ctx, overlayAlertsAction, call(plain.guildId), { kind: 'raid' as 'follow' })).rejects.toBeInstanceOf(UserFacingError);
    expect(await stack.db.prisma.auditLogEntry.count({ where: { guildId: plain.guildId, action: 'overlays.alerts' } })).toBe(1);
  });

  it('the preview renders a template with sample values, or says what is wrong with it', async () => {
    expect((await runGuildAction(stack.ctx, overlayPreviewAction, call(stack.guildId), { kind: 'gift', template: '{user} dropped {amount} gifts' })).message).toBe('generous_viewer dropped 5 gifts');
    expect((await runGuildAction(stack.ctx, overlayPreviewAction, call(stack.guildId), { kind: 'redemption', template: null })).message).toBe('kick_fan redeemed Hydrate!');
    await expect(runGuildAction(stack.ctx, overlayPreviewAction, call(stack.guildId), { kind: 'follow', template: '{usr}' })).rejects.toThrow('did you mean {user}?');
  });

  it('the goal bar: kind, target, label and since (now for a new goal, kept on a target change, or a given date)', async () => {
    const t0 = stack.clock.now();
    await runGuildAction(stack.ctx, overlayGoalAction, call(plain.guildId), { kind: 'subs', target: 50, label: 'Road to 50' });
    const goal = async () => (await stack.db.prisma.overlaySettings.findUniqueOrThrow({ where: { guildId: plain.guildId } })).goal;
    expect(await goal()).toEqual({ kind: 'subs', target: 50, label: 'Road to 50', since: t0.toISOString() });
    stack.clock.advance(3_600_000);
    await runGuildAction(stack.ctx, overlayGoalAction, call(plain.guildId), { kind: 'subs', target: 100, label: null });
    expect(await goal()).toEqual({ kind: 'subs', target: 100, label: 'Sub goal', since: t0.toISOString() });
    await runGuildAction(stack.ctx, overlayGoalAction, call(plain.guildId), { kind: 'followers', target: 100, since: '2024-03-01' });
    expect(await goal()).toEqual({ kind: 'followers', target: 100, label: 'Follower goal', since: '2024-03-01T00:00:00.000Z' });
    await expect(runGuildAction(stack.ctx, overlayGoalAction, call(plain.guildId), { kind: 'followers', target: 0 })).rejects.toThrow('target: The target is a whole number from 1 to 1,000,000,000.');
    await expect(runGuildAction(stack.ctx, overlayGoalAction, call(plain.guildId), { kind: 'followers', target: 5, since: 'yesterday' })).rejects.toThrow('"yesterday" is not a date: write one like 2025-06-01, or "now".');
    await expect(runGuildAction(stack.ctx, overlayGoalAction, call(plain.guildId), { kind: 'followers', target: 5, label: 'x'.repeat(61) })).rejects.toThrow('label: A goal label is at most 60 characters.');
    const audit = await stack.db.prisma.auditLogEntry.findMany({ where: { guildId: plain.guildId, action: 'overlays.goal' }, orderBy: { createdAt: 'asc' } });
    expect(audit).toHaveLength(3);
    expect(audit[1]?.detail).toEqual({ target: { from: 50, to: 100 }, label: { from: 'Road to 50', to: 'Sub goal' } });
  });

  it('a test alert is marked as a test, uses the saved template and sound, and needs a key first', async () => {
    await expect(runGuildAction(stack.ctx, overlayTestAction, call(plain.guildId), { kind: 'kicks' })).rejects.toThrow('Your overlays have no key yet: run `/overlay url` first');
    await runGuildAction(stack.ctx, overlayAlertsAction, call(watcherGuildId), { kind: 'kicks', template: '{user}: {amount} Kicks ({message})', sound: 'fanfare' });
    const out = await runGuildAction(stack.ctx, overlayTestAction, call(watcherGuildId), { kind: 'kicks' });
    expect(out.message).toContain('generous_viewer: 100 Kicks (Great stream!)');
    expect((await alerts(watcherGuildId)).at(-1)).toEqual({ type: 'alert', kind: 'kicks', text: 'generous_viewer: 100 Kicks (Great stream!)', user: 'generous_viewer', amount: 100, message: 'Great stream!', sound: 'fanfare', durationMs: 5000, test: true });
  });
});

describe('the chat box', () => {
  it('publishes chat lines (emotes by name, the sender’s colour) only for guilds with a key, once per message', async () => {
    const viewer = stack.viewer('chatty');
    await stack.sim.sendChat(stack.streamer.userId, viewer.userId, 'hello [emote:37226:KEKW] world', { duplicate: 1 });
    await stack.sim.sendChat(plain.streamer.userId, viewer.userId, 'nobody shows this');
    expect(stack.failures).toEqual([]);
    const lines = await chatLines(stack.guildId);
    expect(lines.at(-1)).toMatchObject({ type: 'chat', user: viewer.username, text: 'hello KEKW world' });
    expect(lines.filter((l) => l.type === 'chat' && l.text === 'hello KEKW world')).toHaveLength(1);
    expect(await chatLines(plain.guildId)).toEqual([]);
  });

  it('never shows a message the guild’s chat filters catch', async () => {
    await updateFilterConfig(stack.ctx, stack.guildId, (config) => {
      config.rules.links.enabled = true;
    });
    const viewer = stack.viewer('spammer');
    await stack.sim.sendChat(stack.streamer.userId, viewer.userId, 'visit spam.example.com now');
    await stack.sim.sendChat(stack.streamer.userId, viewer.userId, 'a clean line');
    const lines = (await chatLines(stack.guildId)).map((l) => l.type === 'chat' && l.text);
    expect(lines).toContain('a clean line');
    expect(lines).not.toContain('visit spam.example.com now');
    await updateFilterConfig(stack.ctx, stack.guildId, (config) => {
      config.rules.links.enabled = false;
    });
  });

  it('an ordinary message costs no PostgreSQL statement, with or without overlays, and a warm guild without overlays no Redis read of overlay keys', async () => {
    const viewer = stack.viewer('benchchatter');
    await stack.sim.sendChat(stack.streamer.userId, viewer.userId, 'warm up', { at: stack.clock.now() });
    await stack.sim.sendChat(plain.streamer.userId, viewer.userId, 'warm up', { at: stack.clock.now() });
    const before = stack.statements();
    for (let i = 0; i < 10; i++) {
      await stack.sim.sendChat(stack.streamer.userId, viewer.userId, `with overlays ${i}`, { at: stack.clock.now() });
      await stack.sim.sendChat(plain.streamer.userId, viewer.userId, `without overlays ${i}`, { at: stack.clock.now() });
    }
    expect(stack.failures).toEqual([]);
    expect(stack.statements() - before).toBe(0);
    expect((await chatLines(stack.guildId)).filter((l) => l.type === 'chat' && l.text.startsWith('with overlays'))).toHaveLength(10);

    const monitor = await openMonitor();
    const seen: string[][] = [];
    monitor.on('monitor', (_time: string, args: string[]) => {
      if (args.some((a) => a.startsWith(stack.ctx.keys.prefix))) seen.push(args);
    });
    try {
      await stack.sim.sendChat(plain.streamer.userId, viewer.userId, 'just chatting', { at: stack.clock.now() });
      await waitFor(() => seen.some((args) => args[0]?.toLowerCase() === 'evalsha' && args.some((a) => a.includes(':act:'))), { description: 'the activity script in MONITOR' });
      expect(seen.filter((args) => args.some((a) => a.includes(':overlay')))).toEqual([]);
    } finally {
      monitor.disconnect();
    }
  });

  it('another process sees a new key at once (the list of guilds with overlays is dropped everywhere), and a rotate keeps the chat box going', async () => {
    const other = await stack.newContext();
    expect((await overlayGuilds(other)).has(plain.guildId)).toBe(false);
    expect(other.localCopies?.get(overlayGuildsKey(stack.ctx.keys.prefix))).toBeDefined();
    await runGuildAction(stack.ctx, overlayKeyAction, call(plain.guildId), {});
    await waitFor(() => other.localCopies?.get(overlayGuildsKey(stack.ctx.keys.prefix)) === undefined, { description: 'the other process to drop its copy' });
    expect((await overlayGuilds(other)).has(plain.guildId)).toBe(true);
    await stack.sim.sendChat(plain.streamer.userId, stack.viewer('firstline').userId, 'now on the overlay');
    expect((await chatLines(plain.guildId)).map((l) => l.type === 'chat' && l.text)).toEqual(['now on the overlay']);

    await runGuildAction(stack.ctx, overlayRotateAction, call(plain.guildId), {});
    expect((await overlayGuilds(other)).has(plain.guildId)).toBe(true);
    // A settings change is dropped everywhere too.
    await cachedCopyDropped(other, plain.guildId);
  });
});

async function cachedCopyDropped(other: Awaited<ReturnType<ServiceStack['newContext']>>, guildId: string): Promise<void> {
  const key = alertSettingsKey(stack.ctx.keys.prefix, guildId);
  expect((await cachedAlertSettings(other, guildId)).sub.sound).toBe('fanfare');
  await runGuildAction(stack.ctx, overlayAlertsAction, call(guildId), { kind: 'sub', sound: 'coin' });
  await waitFor(() => other.localCopies?.get(key) === undefined, { description: 'the alert settings copy to be dropped' });
  expect((await cachedAlertSettings(other, guildId)).sub.sound).toBe('coin');
}
