/**
 * The dashboard's points import and export, end to end: an uploaded (or pasted) CSV goes through `guild-actions`
 * to the bot, which runs the code `/points import` runs (the dry run, the one-time import id, the ledger keys, the
 * audit entry); the export is the CSV `/points export` attaches. In headless Chromium a manager uploads a file,
 * reads the dry run, confirms it and downloads the export; over HTTP: a bad file refused with the slash command's
 * words, a Confirm applied once, another server's import refused, a member refused, CSRF required on the upload,
 * and the slash command's size limit.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { appendLedgerEntries } from '@kickcord/db';
import { waitFor } from '@kickcord/queue';
import { MANAGE_GUILD } from '@kickcord/testkit';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserLogin, launchChromium, loginDashboard, type DashboardClient, type DashboardResponse } from './helpers/dashboard.ts';
import { responseText, startTestStack, type TestStack } from './helpers/harness.ts';

let stack: TestStack;
let browser: Browser;
let mod: DashboardClient;
let guildB: string;
const guildBModerator = '300000000000000011';
type Name = 'ann' | 'ben' | 'cat' | 'dan' | 'eve' | 'fay' | 'bee';
const viewer: Record<Name, { userId: number; username: string }> = {} as never;

const importPage = () => `/dashboard/${stack.guild.id}/viewers/import`;
const exportPath = () => `/dashboard/${stack.guild.id}/viewers/export`;

/** Page text as a person reads it: tags the bot's message uses written back as Discord text, entities decoded. */
function text(body: string): string {
  return body
    .replace(/<br>/g, '\n')
    .replace(/<\/?code>/g, '`')
    .replace(/<\/?strong>/g, '**')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&amp;/g, '&');
}

async function balance(guildId: string, kickUserId: number): Promise<[number, number]> {
  const row = await stack.db.prisma.viewerStats.findUnique({ where: { guildId_kickUserId: { guildId, kickUserId } } });
  return [row?.points ?? 0, row?.activeMinutes ?? 0];
}

/** A kickcord-format CSV of these balances. */
function kickcordCsv(rows: [{ userId: number; username: string }, number, number][]): string {
  return `kick_user_id,username,points,active_minutes\n${rows.map(([v, p, m]) => `${v.userId},${v.username},${p},${m}`).join('\n')}\n`;
}

/** Submits the import form as a browser does (multipart), with the session's CSRF token unless `csrf` says otherwise. */
async function upload(client: DashboardClient, fields: Record<string, string>, file?: { name: string; content: string | Buffer }, opts: { csrf?: string | null; requestId?: string } = {}): Promise<DashboardResponse> {
  const form = new FormData();
  const csrf = opts.csrf === undefined ? await client.csrf(importPage()) : opts.csrf;
  // The token and request id come first, as the page's form sends them: the parser reads them before the file.
  if (csrf !== null) form.set('_csrf', csrf);
  form.set('_request', opts.requestId ?? randomBytes(18).toString('base64url'));
  for (const [key, value] of Object.entries(fields)) form.set(key, value);
  if (file) form.set('file', new Blob([file.content], { type: 'text/csv' }), file.name);
  const res = await fetch(`${stack.web.url}${importPage()}`, { method: 'POST', body: form, redirect: 'manual', headers: { cookie: client.cookie } });
  return { status: res.status, location: res.headers.get('location'), body: await res.text() };
}

/** The import id a dry-run page's Confirm form carries. */
function importIdOf(page: DashboardResponse): string {
  const id = /name="importId" value="([^"]+)"/.exec(page.body)?.[1];
  if (!id) throw new Error(`no dry run on the page (${page.status}): ${text(page.body).slice(0, 500)}`);
  return text(id);
}

/** The CSV `/points export` attaches for the demo guild. */
async function slashExport(): Promise<string> {
  const record = await stack.invoke('/points export');
  const response = await stack.discord.waitForInteractionResponse(record, (r) => (r.files?.length ?? 0) > 0, 10_000);
  return response.files?.[0]?.content.toString('utf8') ?? '';
}

async function expectNoSidewaysScroll(tab: Page): Promise<void> {
  // A string, evaluated in the page: the test files are compiled without the DOM's types.
  const { scroll, width } = await tab.evaluate<{ scroll: number; width: number }>('({ scroll: document.documentElement.scrollWidth, width: window.innerWidth })');
  expect(scroll).toBeLessThanOrEqual(width);
}

beforeAll(async () => {
  [stack, browser] = await Promise.all([startTestStack({ dashboard: true }), launchChromium()]);
  mod = await loginDashboard(stack);
  // A second server with its own moderator: its imports must never be confirmed from the demo guild.
  guildB = String(100000000000000000n + BigInt(Math.floor(Math.random() * 1e12)));
  stack.discord.addGuild({ id: guildB, name: 'Elsewhere', channels: [{ name: 'general' }], members: [{ id: guildBModerator, username: 'othermod' }] });
  await waitFor(() => stack.db.prisma.guild.findUnique({ where: { id: guildB } }), { description: 'guild B to be created', timeoutMs: 15_000 });
  for (const name of ['ann', 'ben', 'cat', 'dan', 'eve', 'fay', 'bee'] as const) viewer[name] = stack.createViewer(`pt_${name}`);
  const seed = (guildId: string, v: { userId: number; username: string }, points: number, minutes: number) => ({
    guildId,
    kickUserId: v.userId,
    username: v.username,
    kind: 'admin' as const,
    points,
    minutes,
    idempotencyKey: `seed:${guildId}:${v.userId}`,
  });
  await appendLedgerEntries(stack.db.prisma, [
    seed(stack.guild.id, viewer.ann, 100, 10),
    seed(stack.guild.id, viewer.ben, 40, 4),
    seed(stack.guild.id, viewer.cat, 70, 7),
    seed(stack.guild.id, viewer.dan, 5, 0),
    seed(stack.guild.id, viewer.eve, 12, 1),
    seed(stack.guild.id, viewer.fay, 0, 3),
    seed(guildB, viewer.bee, 900, 90),
  ]);
}, 120_000);
afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stack?.close();
});

describe('dashboard → points import and export', () => {
  it('in Chromium: uploads a CSV, reads the dry run, confirms it and sees the balances set; the page fits a 390 px screen', async () => {
    const tab = await browserLogin(browser, stack, 'mod', { width: 390, height: 844 });
    await tab.goto(`${stack.web.url}/dashboard/${stack.guild.id}/viewers`);
    await tab.getByRole('link', { name: 'Import or export points as CSV' }).click();
    await tab.getByRole('heading', { name: 'Import and export points' }).waitFor();
    await expectNoSidewaysScroll(tab);
    const csv = kickcordCsv([
      [viewer.ann, 250, 30],
      [viewer.ben, 10, 4],
    ]);
    await tab.getByLabel('CSV file').setInputFiles({ name: 'restore.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await tab.getByRole('button', { name: 'Check the file (dry run)' }).click();
    const dry = tab.locator('#dry-run');
    await dry.getByText('Dry run of restore.csv').waitFor();
    const summary = await dry.innerText();
    expect(summary).toContain('format: kickcord export, 2 rows');
    // set: 100 → 250 and 40 → 10 is +150 − 30; minutes 10 → 30 and 4 → 4.
    expect(summary).toContain('Mode set: 2 balances (and active minutes) will become the file\'s values — a net change of +120 points and +20 minutes right now.');
    await expectNoSidewaysScroll(tab);
    // Nothing has changed before Confirm.
    expect(await balance(stack.guild.id, viewer.ann.userId)).toEqual([100, 10]);
    await dry.getByRole('button', { name: 'Confirm import' }).click();
    await tab.getByText('Imported 2 rows (mode set: balances set to the file)').waitFor();
    expect(await balance(stack.guild.id, viewer.ann.userId)).toEqual([250, 30]);
    expect(await balance(stack.guild.id, viewer.ben.userId)).toEqual([10, 4]);
    expect(await tab.locator('#dry-run').count()).toBe(0);
    await tab.close();
  });

  it('in Chromium: the downloaded export is the CSV /points export attaches', async () => {
    const tab = await browserLogin(browser, stack, 'mod');
    await tab.goto(`${stack.web.url}${importPage()}`);
    const [download] = await Promise.all([tab.waitForEvent('download'), tab.getByRole('link', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^kickcord-points-\d{4}-\d{2}-\d{2}\.csv$/);
    const downloaded = await readFile(await download.path(), 'utf8');
    const slash = await slashExport();
    expect(slash.split('\r\n')[0]).toBe('kick_user_id,username,points,active_minutes');
    expect(slash).toContain(`${viewer.ann.userId},${viewer.ann.username},`);
    expect(downloaded).toBe(slash);
    // Another server's viewers are never in it.
    expect(downloaded).not.toContain(viewer.bee.username);
    await tab.close();
  });

  it('answers the export as a CSV attachment over HTTP', async () => {
    const res = await fetch(`${stack.web.url}${exportPath()}`, { headers: { cookie: mod.cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="kickcord-points-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(await res.text()).toBe(await slashExport());
  });

  it('refuses a bad file with the slash command’s own words and changes nothing', async () => {
    const content = `username,points\n${viewer.cat.username},5\nbroken,-1\nno one,3\n`;
    const attachment = stack.discord.addAttachment({ filename: 'bad.csv', content });
    const slash = await stack.run(`/points import file:${attachment.id}`);
    const refusal = slash.replace(/^⚠️ /u, '');
    expect(refusal).toContain('Nothing was imported — `bad.csv` has problems:');
    expect(refusal).toContain('• line 3: points "-1" can\'t be negative');
    const before = await balance(stack.guild.id, viewer.cat.userId);
    const res = await upload(mod, { mode: '' }, { name: 'bad.csv', content });
    expect(res.status).toBe(400);
    expect(text(res.body)).toContain(refusal);
    // Pasted, the same problems name the pasted text.
    const pasted = await upload(mod, { mode: 'add', csvText: content });
    expect(pasted.status).toBe(400);
    expect(text(pasted.body)).toContain(refusal.replace('`bad.csv`', 'the pasted text'));
    // What was pasted is kept, to be fixed.
    expect(text(pasted.body)).toContain('broken,-1');
    expect(await balance(stack.guild.id, viewer.cat.userId)).toEqual(before);
    // Neither a file nor text, or both: told which.
    expect(text((await upload(mod, { mode: '' })).body)).toContain('Choose a CSV file or paste the CSV text.');
    expect(text((await upload(mod, { csvText: content }, { name: 'bad.csv', content })).body)).toContain('Choose a file or paste the CSV text, not both.');
  });

  it('refuses a file over the slash command’s limit of 5 MiB', async () => {
    const big = `username,points\n${'x,1\n'.repeat((5 * 1024 * 1024) / 4)}`;
    const res = await upload(mod, { mode: '' }, { name: 'big.csv', content: big });
    expect(res.status).toBe(400);
    expect(text(res.body)).toContain('That file is larger than 5 MiB. Split it into smaller files.');
  });

  it('pasted text in mode add: Confirm applies once (a second Confirm is refused), with ledger lines and one audit entry from the dashboard', async () => {
    const before = { cat: await balance(stack.guild.id, viewer.cat.userId), dan: await balance(stack.guild.id, viewer.dan.userId) };
    const csv = `username,points,watchtime\n${viewer.cat.username.toUpperCase()},30,6\n@${viewer.dan.username},7,0\n`;
    const dry = await upload(mod, { mode: 'add', csvText: csv });
    expect(dry.status).toBe(200);
    expect(text(dry.body)).toContain('**Dry run** of the pasted text — format: BotRix, 2 rows.');
    expect(text(dry.body)).toContain('Mode **add**: will **add 37 points** and 6 active minutes for 2 viewers to their current balances. (Mode **set** would make the balances equal the file instead.)');
    const importId = importIdOf(dry);
    expect(importId).toMatch(/^dash-/);

    // A double click of Confirm (one request id, two submits) and then a second Confirm.
    const requestId = `confirm-twice-${Date.now()}`;
    await mod.csrf(importPage());
    const confirm = (id = requestId) => mod.post(`${importPage()}/confirm`, { importId }, { csrfFrom: importPage(), requestId: id });
    const [a, b] = await Promise.all([confirm(), confirm()]);
    expect([a.status, b.status]).toEqual([303, 303]);
    expect(text((await mod.get(a.location ?? '')).body)).toContain('Imported 2 rows (mode add: added to balances)');
    const again = await confirm(`confirm-again-${Date.now()}`);
    expect(again.status).toBe(400);
    expect(text(again.body)).toContain('This import has expired or was already handled.');
    expect(await balance(stack.guild.id, viewer.cat.userId)).toEqual([before.cat[0] + 30, before.cat[1] + 6]);
    expect(await balance(stack.guild.id, viewer.dan.userId)).toEqual([before.dan[0] + 7, before.dan[1]]);

    const lines = await stack.db.prisma.pointsLedger.findMany({ where: { guildId: stack.guild.id, kind: 'import', kickUserId: { in: [viewer.cat.userId, viewer.dan.userId] }, reason: { contains: '(add,' } } });
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toMatchObject({ actorDiscordId: stack.moderatorId });
    const fingerprint = /import:([0-9a-f]{16}):/.exec(lines[0]?.idempotencyKey ?? '')?.[1];
    expect(fingerprint).toBeDefined();
    const audits = (await stack.db.prisma.auditLogEntry.findMany({ where: { guildId: stack.guild.id, action: 'points.import', source: 'dashboard' } })).filter((e) => (e.detail as { fingerprint?: string }).fingerprint === fingerprint);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorId: stack.moderatorId, actorName: 'mod' });
    expect(audits[0]?.detail).toEqual({ fingerprint, mode: 'add', rows: 2, skipped: 0 });

    // The same file again: every row already imported, nothing to confirm.
    const repeat = await upload(mod, { mode: 'add', csvText: csv });
    expect(text(repeat.body)).toContain('2 rows were already imported from this file and will be skipped.');
    expect(repeat.body).not.toContain('Confirm import');
  });

  it('Cancel drops the dry run: its Confirm is refused afterwards', async () => {
    const before = await balance(stack.guild.id, viewer.eve.userId);
    const dry = await upload(mod, { mode: 'set', csvText: kickcordCsv([[viewer.eve, 999, 9]]) });
    const importId = importIdOf(dry);
    const cancel = await mod.post(`${importPage()}/cancel`, { importId }, { csrfFrom: importPage() });
    expect(cancel.status).toBe(303);
    expect(text((await mod.get(cancel.location ?? '')).body)).toContain('Import cancelled — nothing was changed.');
    const confirm = await mod.post(`${importPage()}/confirm`, { importId }, { csrfFrom: importPage() });
    expect(confirm.status).toBe(400);
    expect(await balance(stack.guild.id, viewer.eve.userId)).toEqual(before);
  });

  it("refuses another server's import id, and a made-up one", async () => {
    const content = kickcordCsv([[viewer.bee, 1, 1]]);
    const attachment = stack.discord.addAttachment({ filename: 'b.csv', content });
    const record = await stack.invoke(`/points import file:${attachment.id}`, { guildId: guildB, userId: guildBModerator });
    const dry = await stack.discord.waitForInteractionResponse(record, (r) => responseText(r.data).includes('Dry run'), 10_000);
    expect(responseText(dry.data)).toContain('**Dry run** of `b.csv`');
    const stolen = await mod.post(`${importPage()}/confirm`, { importId: record.id }, { csrfFrom: importPage() });
    expect(stolen.status).toBe(400);
    expect(text(stolen.body)).toContain('This import belongs to another server.');
    expect(await balance(guildB, viewer.bee.userId)).toEqual([900, 90]);
    expect(await balance(stack.guild.id, viewer.bee.userId)).toEqual([0, 0]);
    const madeUp = await mod.post(`${importPage()}/confirm`, { importId: '../../x' }, { csrfFrom: importPage() });
    expect(madeUp.status).toBe(400);
    expect(text(madeUp.body)).toContain('This import id is not valid. Upload the file again.');
    // Guild B's moderator can still confirm it there.
    const click = await stack.discord.clickButton({ id: record.originalMessageId ?? '', channelId: record.channelId }, `pointsimport:confirm:${record.id}`, guildBModerator, { permissions: MANAGE_GUILD });
    await stack.discord.waitForInteractionResponse(click, (r) => responseText(r.data).includes('Imported 1 row'), 10_000);
    expect(await balance(guildB, viewer.bee.userId)).toEqual([1, 1]);
  });

  it('the upload needs the session’s CSRF token', async () => {
    const before = await balance(stack.guild.id, viewer.fay.userId);
    const csv = kickcordCsv([[viewer.fay, 77, 3]]);
    const none = await upload(mod, { mode: '', csvText: csv }, undefined, { csrf: null });
    expect(none.status).toBe(403);
    expect(none.body).not.toContain('Dry run');
    const wrong = await upload(mod, { mode: '', csvText: csv }, { name: 'f.csv', content: csv }, { csrf: 'not-the-token' });
    expect(wrong.status).toBe(403);
    const ok = await upload(mod, { mode: '', csvText: csv });
    expect(ok.status).toBe(200);
    expect(text(ok.body)).toContain('**Dry run** of the pasted text');
    expect(await balance(stack.guild.id, viewer.fay.userId)).toEqual(before);
  });

  it('a member without Manage Server or a manager role is refused on every page and form', async () => {
    const before = await balance(stack.guild.id, viewer.fay.userId);
    const dry = await upload(mod, { mode: 'set', csvText: kickcordCsv([[viewer.fay, 55, 3]]) });
    const importId = importIdOf(dry);
    const member = await loginDashboard(stack, stack.memberId);
    expect((await member.get(importPage())).status).toBe(403);
    const exported = await fetch(`${stack.web.url}${exportPath()}`, { headers: { cookie: member.cookie } });
    expect(exported.status).toBe(403);
    expect(await exported.text()).not.toContain(viewer.ann.username);
    const csrf = await member.csrf('/dashboard');
    const up = await upload(member, { mode: '', csvText: kickcordCsv([[viewer.fay, 1, 1]]) }, undefined, { csrf });
    expect(up.status).toBe(403);
    const send = (path: string) =>
      fetch(`${stack.web.url}${path}`, { method: 'POST', redirect: 'manual', headers: { cookie: member.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrf, _request: `member-${Date.now()}-0001`, importId }).toString() });
    expect((await send(`${importPage()}/confirm`)).status).toBe(403);
    expect((await send(`${importPage()}/cancel`)).status).toBe(403);
    expect(await balance(stack.guild.id, viewer.fay.userId)).toEqual(before);
    // The manager's dry run is still there to confirm.
    const confirm = await mod.post(`${importPage()}/confirm`, { importId }, { csrfFrom: importPage() });
    expect(confirm.status).toBe(303);
    expect(await balance(stack.guild.id, viewer.fay.userId)).toEqual([55, 3]);
  });
});
