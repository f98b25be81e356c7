/**
 * OBS overlays, the bot's side, end to end: kick-sim's signed deliveries → web → BullMQ → bot → the guild's overlay
 * stream in Redis, and the overlay settings made with `/overlay` in discord-sim and with the dashboard's overlays page
 * (HTTP and headless Chromium) through the same guild actions — same texts, audit entries from both sources, and
 * one guild never reaching another's key.
 */
import { createHash } from 'node:crypto';
import { overlayStreamKey, readOverlayEntry, waitFor, type OverlayEvent } from '@kickcord/queue';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserLogin, launchChromium, loginDashboard, type DashboardClient } from './helpers/dashboard.ts';
import { responseText, startTestStack, type TestStack } from './helpers/harness.ts';

let stack: TestStack;
let browser: Browser;
let mod: DashboardClient;
/** A second guild of the bot that watches the streamer's channel and has no overlay key. */
let watcherGuildId: string;
/** A guild where the moderator is only a member (no Manage Server), with its own overlay key. */
let elsewhere: { id: string; tokenHash: string };

const page = () => `/dashboard/${stack.guild.id}/overlays`;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

async function streamEvents(guildId: string): Promise<OverlayEvent[]> {
  const rows = await stack.bot.ctx.redis.xrange(overlayStreamKey(stack.env.QUEUE_PREFIX, guildId), '-', '+');
  return rows.flatMap(([, fields]) => {
    const event = readOverlayEntry(fields);
    return event ? [event] : [];
  });
}
const alertsOf = async (guildId: string) => (await streamEvents(guildId)).flatMap((e) => (e.type === 'alert' ? [e] : []));

/** Runs a slash command as the moderator and returns its first answer's text and whether it was ephemeral. */
async function slash(commandLine: string): Promise<{ text: string; ephemeral: boolean }> {
  const record = await stack.invoke(commandLine);
  const response = await stack.discord.waitForInteractionResponse(record, (r) => r.kind === 'callback', 10_000);
  return { text: responseText(response.data), ephemeral: response.ephemeral };
}

/** Text with the page's character references (`&#47;`) decoded. */
function decodeEntities(text: string): string {
  return text.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));
}

/** The token inside the first overlay URL of `text` (the URLs are escaped in HTML, plain in Discord). */
function tokenIn(text: string): string {
  const decoded = decodeEntities(text);
  const token = /\/overlay\/([A-Za-z0-9_-]{43})\/alerts/.exec(decoded)?.[1];
  if (!token) throw new Error(`no overlay URL in: ${text.slice(0, 300)}`);
  return token;
}

async function liveHashes(guildId: string): Promise<string[]> {
  return (await stack.db.prisma.overlayToken.findMany({ where: { guildId, revokedAt: null } })).map((r) => r.tokenHash);
}

beforeAll(async () => {
  [stack, browser] = await Promise.all([startTestStack({ dashboard: true }), launchChromium()]);
  mod = await loginDashboard(stack);
  const watcher = stack.discord.addGuild({ name: 'Watchers', channels: [{ name: 'general' }], members: [{ id: '200000000000000077', username: 'owner77' }] });
  watcherGuildId = watcher.id;
  const other = stack.discord.addGuild({ name: 'Elsewhere', channels: [{ name: 'general' }], members: [{ id: '200000000000000099', username: 'them' }, { id: stack.moderatorId, username: 'mod' }] });
  await waitFor(async () => (await stack.db.prisma.guild.count({ where: { id: { in: [watcher.id, other.id] } } })) === 2, { description: 'the other guilds to be synced' });
  await stack.db.prisma.guildChannelLink.create({ data: { guildId: watcherGuildId, broadcasterUserId: stack.streamer.userId, kind: 'watch', createdByDiscordId: '200000000000000077' } });
  await stack.bot.ctx.fanOut.forget(stack.streamer.userId);
  elsewhere = { id: other.id, tokenHash: sha256('elsewhere-token-not-used-by-anyone-000000000') };
  await stack.db.prisma.overlayToken.create({ data: { guildId: other.id, tokenHash: elsewhere.tokenHash, createdBy: '200000000000000099' } });
}, 120_000);
afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stack?.close();
});

describe('overlays → alerts and the chat box', () => {
  it('without a key nothing is published; the dashboard shows the same defaults as /overlay settings', async () => {
    const fan = stack.createViewer('earlyfan');
    await stack.kick.follow(stack.streamer.userId, fan.userId);
    await stack.kick.sendChat(stack.streamer.userId, fan.userId, 'is anyone watching?');
    await stack.drain();
    expect(await streamEvents(stack.guild.id)).toEqual([]);

    const settings = await slash('/overlay settings');
    expect(settings.ephemeral).toBe(true);
    expect(settings.text).toContain('No key yet');
    const body = (await mod.get(page())).body;
    expect(body).toContain('Create overlay URLs');
    for (const [kind, line] of [['follow', 'on · chime · 5 s'], ['kicks', 'on · coin · 5 s'], ['redemption', 'on · pop · 5 s']] as const) {
      expect(settings.text).toContain(line);
      const sound = line.split(' · ')[1] ?? '';
      expect(body).toMatch(new RegExp(`id="alert-${kind}-sound" name="sound">.*<option value="${sound}" selected>`, 's'));
      expect(body).toContain(`id="alert-${kind}-duration" name="durationSeconds" min="2" max="30" step="1" value="5"`);
    }
  });

  it('/overlay url makes the key and answers ephemerally with the URLs; only the hash is stored; the audit entry says discord', async () => {
    const answer = await slash('/overlay url');
    expect(answer.ephemeral).toBe(true);
    const token = tokenIn(answer.text);
    expect(answer.text).toContain(`${stack.web.url}/overlay/${token}/chat`);
    expect(await liveHashes(stack.guild.id)).toEqual([sha256(token)]);
    const audit = await stack.db.prisma.auditLogEntry.findFirstOrThrow({ where: { guildId: stack.guild.id, action: 'overlays.key' } });
    expect(audit).toMatchObject({ actorId: stack.moderatorId, source: 'discord' });
    expect(JSON.stringify(audit.detail)).not.toContain(token);
    // Asked again, it cannot show the URLs (only the hash is kept) and says how to get new ones.
    const again = await slash('/overlay url');
    expect(again.text).toContain('/overlay rotate');
    expect(again.text).not.toContain('/overlay/');
  });

  it('a follow delivered twice publishes one alert in the guild’s stream with the guild’s template; the watching guild without a key gets none', async () => {
    const set = await slash('/overlay alert follow template:"💚 {user} joined {streamer}!" sound:pop duration:7');
    expect(set.text).toContain('Follow alerts: on · pop · 7 s');
    const fan = stack.createViewer('twicefan');
    const deliveries = await stack.kick.follow(stack.streamer.userId, fan.userId, { duplicate: 1 });
    expect(deliveries.map((d) => [d.copy, d.delivered])).toEqual([[0, true], [1, true]]);
    expect(new Set(deliveries.map((d) => d.messageId)).size).toBe(1);
    await stack.drain();
    await expect.poll(() => alertsOf(stack.guild.id), { timeout: 10_000 }).toHaveLength(1);
    expect(await alertsOf(stack.guild.id)).toEqual([{ type: 'alert', kind: 'follow', text: `💚 ${fan.username} joined ${stack.streamer.username}!`, user: fan.username, sound: 'pop', durationMs: 7000 }]);
    expect(await streamEvents(watcherGuildId)).toEqual([]);
    const audit = await stack.db.prisma.auditLogEntry.findFirstOrThrow({ where: { guildId: stack.guild.id, action: 'overlays.alerts' } });
    expect(audit).toMatchObject({ source: 'discord', detail: { kind: 'follow', sound: { from: 'chime', to: 'pop' } } });
  });

  it('publishes chat lines once the guild has a key', async () => {
    const chatter = stack.createViewer('overlaychatter');
    await stack.kick.sendChat(stack.streamer.userId, chatter.userId, 'hi overlay [emote:1:wave]');
    await expect.poll(async () => (await streamEvents(stack.guild.id)).filter((e) => e.type === 'chat'), { timeout: 10_000 }).toMatchObject([{ type: 'chat', user: chatter.username, text: 'hi overlay wave' }]);
  });

  it('/overlay test follow publishes a test alert; /overlay rotate revokes the old key at once', async () => {
    const test = await slash('/overlay test follow');
    expect(test.ephemeral).toBe(true);
    expect(test.text).toContain('Sent a test Follow alert');
    expect((await alertsOf(stack.guild.id)).at(-1)).toEqual({ type: 'alert', kind: 'follow', text: `💚 kick_fan joined ${stack.streamer.username}!`, user: 'kick_fan', sound: 'pop', durationMs: 7000, test: true });

    const [oldHash] = await liveHashes(stack.guild.id);
    const rotated = await slash('/overlay rotate');
    const token = tokenIn(rotated.text);
    expect(await liveHashes(stack.guild.id)).toEqual([sha256(token)]);
    const old = await stack.db.prisma.overlayToken.findUniqueOrThrow({ where: { tokenHash: oldHash ?? '' } });
    expect(old.revokedAt).not.toBeNull();
    expect(await stack.db.prisma.auditLogEntry.count({ where: { guildId: stack.guild.id, action: 'overlays.rotate', source: 'discord' } })).toBe(1);
  });
});

describe('dashboard → overlays', () => {
  it('saves alert settings through the bot (row + audit entry from the dashboard); a refusal has the slash command’s words and keeps what was typed', async () => {
    const res = await mod.post(`${page()}/alerts/kicks`, { do: 'save', enabled: 'on', template: '{user} sent {amount} Kicks: {message}', sound: 'none', durationSeconds: '9' }, { csrfFrom: page() });
    expect(res.status, res.body).toBe(303);
    expect(res.location).toBe(`${page()}?form=alert&kind=kicks#alert-kicks`);
    expect((await mod.get(res.location ?? '')).body).toContain('Kicks alerts: on · no sound · 9 s');
    const row = await stack.db.prisma.overlaySettings.findUniqueOrThrow({ where: { guildId: stack.guild.id } });
    expect((row.alerts as Record<string, unknown>).kicks).toEqual({ enabled: true, template: '{user} sent {amount} Kicks: {message}', sound: null, durationMs: 9000 });
    const audit = await stack.db.prisma.auditLogEntry.findFirstOrThrow({ where: { guildId: stack.guild.id, action: 'overlays.alerts', source: 'dashboard' } });
    expect(audit).toMatchObject({ actorId: stack.moderatorId, detail: { kind: 'kicks', durationMs: { from: 5000, to: 9000 } } });

    const slashRefusal = (await stack.run('/overlay alert follow template:"{user} sent {amount}"')).replace(/^⚠️ /u, '');
    const lines = slashRefusal.split('\n');
    expect(lines[0]).toBe('That template has a problem:');
    const refused = await mod.post(`${page()}/alerts/follow`, { do: 'save', enabled: 'on', template: '{user} sent {amount}', sound: 'chime', durationSeconds: '5' }, { csrfFrom: page() });
    expect(refused.status).toBe(400);
    for (const line of lines) expect(decodeEntities(refused.body)).toContain(line);
    expect(refused.body).toContain('{user} sent {amount}</textarea>');

    const slashSince = (await stack.run('/overlay goal followers 5 since:yesterday')).replace(/^⚠️ /u, '');
    expect(slashSince).toBe('"yesterday" is not a date: write one like 2025-06-01, or "now".');
    const badGoal = await mod.post(`${page()}/goal`, { kind: 'followers', target: '5', label: '', since: 'yesterday' }, { csrfFrom: page() });
    expect(badGoal.status).toBe(400);
    expect(decodeEntities(badGoal.body)).toContain(slashSince);
    // The form checks what Discord's option limits check for the slash command, with the bot's words.
    const zero = await mod.post(`${page()}/goal`, { kind: 'followers', target: '0', label: '', since: '' }, { csrfFrom: page() });
    expect(zero.status).toBe(400);
    expect(zero.body).toContain('target: The target is a whole number from 1 to 1,000,000,000.');
    expect(await stack.db.prisma.overlaySettings.findUniqueOrThrow({ where: { guildId: stack.guild.id } })).toMatchObject({ goal: {} });
  });

  it('sets the goal bar, counted from a date or from now', async () => {
    const res = await mod.post(`${page()}/goal`, { kind: 'subs', target: '25', label: 'Road to 25', since: '2025-01-15' }, { csrfFrom: page() });
    expect(res.status, res.body).toBe(303);
    const row = await stack.db.prisma.overlaySettings.findUniqueOrThrow({ where: { guildId: stack.guild.id } });
    expect(row.goal).toEqual({ kind: 'subs', target: 25, label: 'Road to 25', since: '2025-01-15T00:00:00.000Z' });
    expect(await stack.run('/overlay settings')).toContain('Road to 25: 25 subs since 2025-01-15');
    expect(await stack.db.prisma.auditLogEntry.count({ where: { guildId: stack.guild.id, action: 'overlays.goal', source: 'dashboard' } })).toBe(1);

    // A goal of another kind counts from now; the form shows its day, and saving it again with a new target keeps
    // the exact start; "start again" restarts it.
    const goal = async () => (await stack.db.prisma.overlaySettings.findUniqueOrThrow({ where: { guildId: stack.guild.id } })).goal as { since: string; target: number };
    expect((await mod.post(`${page()}/goal`, { kind: 'followers', target: '10', label: '', since: '2025-01-15', sinceShown: '2025-01-15' }, { csrfFrom: page() })).status).toBe(303);
    const started = (await goal()).since;
    expect(Date.now() - Date.parse(started)).toBeLessThan(60_000);
    const shown = started.slice(0, 10);
    expect((await mod.get(page())).body).toContain(`name="sinceShown" value="${shown}"`);
    expect((await mod.post(`${page()}/goal`, { kind: 'followers', target: '20', label: '', since: shown, sinceShown: shown }, { csrfFrom: page() })).status).toBe(303);
    expect(await goal()).toMatchObject({ target: 20, since: started });
    expect((await mod.post(`${page()}/goal`, { kind: 'followers', target: '20', label: '', since: shown, sinceShown: shown, restart: 'on' }, { csrfFrom: page() })).status).toBe(303);
    expect(Date.parse((await goal()).since)).toBeGreaterThan(Date.parse(started));
  });

  it("never reaches another guild's key: the page and its forms are refused, and a rotate here leaves theirs alone", async () => {
    const other = `/dashboard/${elsewhere.id}/overlays`;
    expect([403, 404]).toContain((await mod.get(other)).status);
    const csrf = await mod.csrf(page());
    const body = new URLSearchParams({ _csrf: csrf, _request: 'tenancy-rotate-000000000001', do: 'rotate' });
    const res = await fetch(`${stack.web.url}${other}/key`, { method: 'POST', redirect: 'manual', headers: { cookie: mod.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() });
    expect([403, 404]).toContain(res.status);
    const rotated = await mod.post(`${page()}/key`, { do: 'rotate' }, { csrfFrom: page() });
    expect(rotated.status).toBe(200);
    expect(await liveHashes(elsewhere.id)).toEqual([elsewhere.tokenHash]);
    await slash('/overlay test gift');
    expect(await streamEvents(elsewhere.id)).toEqual([]);
  });

  it('in Chromium: rotate (confirmed), see the URLs, change the follow template and sound with a live preview, save, and send a test', async () => {
    const tab = await browserLogin(browser, stack, 'mod', { width: 390, height: 844 });
    tab.on('dialog', (d) => void d.accept());
    await tab.goto(`${stack.web.url}${page()}`);
    const before = await liveHashes(stack.guild.id);
    await tab.getByRole('button', { name: 'Rotate (new URLs)' }).click();
    await tab.getByText('New overlay URLs are ready').waitFor();
    const alertsUrl = await tab.getByLabel('Alerts box').inputValue();
    const token = tokenIn(alertsUrl);
    expect(alertsUrl).toBe(`${stack.web.url}/overlay/${token}/alerts`);
    expect(await tab.getByLabel('Chat box').inputValue()).toBe(`${stack.web.url}/overlay/${token}/chat`);
    expect(await liveHashes(stack.guild.id)).toEqual([sha256(token)]);
    expect(before).not.toContain(sha256(token));
    expect(await tab.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);

    const form = tab.locator('#alert-follow');
    await form.getByLabel('Text').fill('🎉 {user} is one of us');
    await expect.poll(() => form.locator('[data-preview-target]').innerText(), { timeout: 10_000 }).toBe('🎉 kick_fan is one of us');
    await form.getByLabel('Text').fill('{user} {oops');
    await expect.poll(() => form.locator('[data-preview-target]').innerText(), { timeout: 10_000 }).toContain('That template has a problem');
    await form.getByLabel('Text').fill('🎉 {user} is one of us');
    await form.getByLabel('Sound').selectOption('fanfare');
    await form.getByLabel('Seconds on screen (2–30)').fill('4');
    await form.getByRole('button', { name: 'Save' }).click();
    await tab.getByText('Follow alerts: on · fanfare · 4 s').waitFor();
    const count = (await alertsOf(stack.guild.id)).length;
    await tab.locator('#alert-follow').getByRole('button', { name: 'Send a test' }).click();
    await tab.getByText('Sent a test Follow alert').waitFor();
    const alerts = await alertsOf(stack.guild.id);
    expect(alerts).toHaveLength(count + 1);
    expect(alerts.at(-1)).toEqual({ type: 'alert', kind: 'follow', text: '🎉 kick_fan is one of us', user: 'kick_fan', sound: 'fanfare', durationMs: 4000, test: true });
    expect(await stack.db.prisma.auditLogEntry.count({ where: { guildId: stack.guild.id, action: 'overlays.rotate', source: 'dashboard' } })).toBe(2);
    await tab.close();
  });

  it('a member without Manage Server or a manager role is refused', async () => {
    const member = await loginDashboard(stack, stack.memberId);
    expect((await member.get(page())).status).toBe(403);
    const csrf = await member.csrf('/dashboard');
    const body = new URLSearchParams({ _csrf: csrf, do: 'rotate' });
    const res = await fetch(`${stack.web.url}${page()}/key`, { method: 'POST', redirect: 'manual', headers: { cookie: member.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() });
    expect(res.status).toBe(403);
    expect(await stack.db.prisma.overlayToken.count({ where: { guildId: stack.guild.id, createdBy: stack.memberId } })).toBe(0);
  });
});
