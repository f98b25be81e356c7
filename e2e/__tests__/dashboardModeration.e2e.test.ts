/**
 * The dashboard's Moderation and Channel rewards pages, end to end: the web app sends each change through
 * `guild-actions` to the bot, which runs the same code as `/filters`, `/mod`, the mod log's buttons and `/rewards`
 * (validation, texts, audit entries). Viewers act in kick-sim (chat, redemptions); the bot moderates and decides there.
 */
import { KICKCORD_SCOPES } from '@kickcord/kick';
import { waitFor } from '@kickcord/queue';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserLogin, launchChromium, loginDashboard, type DashboardClient, type DashboardResponse } from './helpers/dashboard.ts';
import { startTestStack, type TestStack } from './helpers/harness.ts';

/** A connection made before kickcord asked for chat-message deletion and reward writing. */
const OLD_SCOPES = ['user:read', 'channel:read', 'chat:write', 'events:subscribe', 'moderation:ban', 'kicks:read', 'channel:rewards:read'];

let stack: TestStack;
let browser: Browser;
let mod: DashboardClient;
/** Another server with kickcord (its own Guild row), for tenancy checks. */
const otherGuildId = '100000000000000777';

beforeAll(async () => {
  [stack, browser] = await Promise.all([startTestStack({ dashboard: true }), launchChromium()]);
  mod = await loginDashboard(stack);
  await stack.db.prisma.guild.create({ data: { id: otherGuildId, name: 'Elsewhere' } });
}, 120_000);
afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stack?.close();
});

const moderation = () => `/dashboard/${stack.guild.id}/moderation`;
const rewards = () => `/dashboard/${stack.guild.id}/channel-rewards`;
const deletedInKick = (messageId: string) => stack.kick.chatLog(stack.streamer.userId).find((m) => m.messageId === messageId)?.deletedAt instanceof Date;

/** Markup as the text a person reads (tags dropped, entities decoded). */
function textOf(markup: string): string {
  return markup
    .replace(/<br>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&amp;/g, '&');
}
/** The text of the page's refusal notice. */
function refusal(res: DashboardResponse): string {
  const m = /<p class="notice bad" role="alert">([\s\S]*?)<\/p>/.exec(res.body);
  if (!m?.[1]) throw new Error(`no refusal on the page (${res.status}): ${res.body.slice(0, 300)}`);
  return textOf(m[1]);
}
/** A slash command's answer as the dashboard shows it: no warning sign, bold or code marks. */
function plain(slash: string): string {
  return slash.replace(/^⚠️ /u, '').replace(/\*\*/g, '').replace(/`/g, '');
}
async function latestAudit(action: string) {
  return stack.db.prisma.auditLogEntry.findFirst({ where: { guildId: stack.guild.id, action }, orderBy: { createdAt: 'desc' } });
}

describe('dashboard → moderation', () => {
  it('in Chromium: turns on the links filter with a timeout, a viewer’s link in Kick chat is deleted and shows in the mod log, and Undo lifts the timeout', async () => {
    await stack.reconnect([...KICKCORD_SCOPES]);
    const tab = await browserLogin(browser, stack);
    tab.on('dialog', (d) => void d.accept());
    await tab.goto(`${stack.web.url}${moderation()}`);
    await tab.getByText('Kick permissions: ok').waitFor();

    await tab.getByLabel('Post every moderation action in').selectOption({ label: '#mod-log' });
    await tab.getByRole('button', { name: 'Save mod log channel' }).click();
    await tab.getByText('Moderation actions (and kickcord notices) are posted in').waitFor();

    const links = tab.locator('#filter-links');
    await links.getByLabel('On', { exact: true }).check();
    await links.getByLabel('Actions per offence').fill('timeout 5m');
    await links.getByRole('button', { name: 'Save links' }).click();
    await tab.locator('#filter-links').getByText('ladder timeout 5m').waitFor();
    expect(await tab.locator('#filter-links h3').innerText()).toContain('on');

    // The test box's live preview says what would happen, with the saved settings.
    await tab.getByLabel('A message from a plain viewer').fill('come to example.com');
    await expect.poll(() => tab.locator('#test [data-preview-target]').innerText(), { timeout: 10_000 }).toContain('first offence: timeout 5m');
    expect(await tab.locator('#test [data-preview-target]').innerText()).toContain('example[.]com');

    const viewer = stack.createViewer('dash_linker');
    const sent = await stack.kick.sendChat(stack.streamer.userId, viewer.userId, 'cheap followers at example.com');
    await stack.drain();
    await waitFor(() => deletedInKick(sent.messageId), { description: 'the message deleted in Kick', timeoutMs: 15_000 });
    await expect(stack.kick.sendChat(stack.streamer.userId, viewer.userId, 'timed out?')).rejects.toThrow(/banned/);
    const entry = await stack.db.prisma.moderationAction.findFirstOrThrow({ where: { guildId: stack.guild.id, kickMessageId: sent.messageId } });
    expect(entry).toMatchObject({ kind: 'timeout', durationMinutes: 5, filter: 'links', source: 'filter', status: 'done' });

    await tab.reload();
    const row = tab.locator(`#entry-${entry.id}`);
    await expect.poll(() => row.innerText(), { timeout: 10_000 }).toContain('timed out for 5 minutes');
    expect(await row.innerText()).toContain('dash_linker');
    expect(await row.innerText()).toContain('cheap followers at example[.]com');
    await row.getByRole('button', { name: 'Undo: unban dash_linker' }).click();
    await tab.locator('#log').getByRole('status').getByText('dash_linker unbanned').waitFor();
    await expect(stack.kick.sendChat(stack.streamer.userId, viewer.userId, 'free again')).resolves.toMatchObject({ messageId: expect.any(String) });
    const unban = await stack.db.prisma.moderationAction.findFirstOrThrow({ where: { guildId: stack.guild.id, kickUserId: viewer.userId, kind: 'unban' } });
    expect(unban).toMatchObject({ source: 'dashboard', discordUserId: stack.moderatorId, status: 'done', reason: 'mod log: undo' });
    expect(await latestAudit('mod.undo')).toMatchObject({ source: 'dashboard', actorId: stack.moderatorId });
    // The entry's message in Discord's mod log says who undid it, and no longer offers Undo.
    await waitFor(
      () => {
        const message = stack.discord.messages(stack.guild.modLogChannelId).find((m) => m.id === entry.modLogMessageId);
        return JSON.stringify(message?.embeds ?? []).includes(`<@${stack.moderatorId}> (dashboard): unbanned`);
      },
      { description: 'the mod-log message to name the dashboard undo', timeoutMs: 15_000 },
    );
    // Undo is gone from the page too (the viewer is no longer timed out).
    expect(await tab.locator(`#entry-${entry.id}`).getByRole('button', { name: /Undo/ }).count()).toBe(0);

    // At 390 px wide the page does not scroll sideways.
    await tab.setViewportSize({ width: 390, height: 800 });
    await tab.goto(`${stack.web.url}${moderation()}`);
    expect(Number(await tab.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(390);
    await tab.close();
  });

  it('changes through the bot with audit entries from the dashboard: a banned word, a timeout by name, a false positive', async () => {
    await stack.reconnect([...KICKCORD_SCOPES]);
    const word = await mod.post(`${moderation()}/words`, { do: 'add', term: '$CAM', mode: 'word' }, { csrfFrom: moderation() });
    expect(word.status, word.body).toBe(303);
    expect(word.location).toBe(`${moderation()}?at=words#words`);
    expect((await mod.get(word.location ?? '')).body).toContain('Banned <code>scam</code> (word)');
    expect(await stack.db.prisma.chatFilterTerm.count({ where: { guildId: stack.guild.id, pattern: 'scam' } })).toBe(1);
    expect(await latestAudit('filters.word_add')).toMatchObject({ source: 'dashboard', actorId: stack.moderatorId, detail: { term: 'scam', mode: 'word' } });

    const rowdy = stack.createViewer('dash_rowdy');
    await stack.kick.sendChat(stack.streamer.userId, rowdy.userId, 'hello');
    await stack.drain();
    const act = await mod.post(`${moderation()}/act`, { user: 'dash_rowdy', kind: 'timeout', minutes: '3', reason: 'calm down' }, { csrfFrom: moderation() });
    expect(act.status, act.body).toBe(303);
    expect((await mod.get(act.location ?? '')).body).toContain('<strong>dash_rowdy</strong> timed out for 3 minutes');
    await expect(stack.kick.sendChat(stack.streamer.userId, rowdy.userId, 'still here?')).rejects.toThrow(/banned/);
    expect(await stack.db.prisma.moderationAction.findFirst({ where: { guildId: stack.guild.id, kickUserId: rowdy.userId } })).toMatchObject({ kind: 'timeout', source: 'dashboard', discordUserId: stack.moderatorId, reason: 'calm down' });
    expect(await latestAudit('mod.timeout')).toMatchObject({ source: 'dashboard', actorId: stack.moderatorId, detail: { viewer: 'dash_rowdy', minutes: 3, reason: 'calm down' } });

    // Shouting is caught (a filter entry), then marked a false positive from the dashboard: counted once.
    const caps = await mod.post(`${moderation()}/filters/caps`, { enabled: 'on', ladder: 'delete', limit: '70', minLength: '15', exemptLevel: 'moderator', warn: 'on' }, { csrfFrom: moderation() });
    expect(caps.status, caps.body).toBe(303);
    const shouter = stack.createViewer('dash_shouter');
    const shout = await stack.kick.sendChat(stack.streamer.userId, shouter.userId, 'WHY IS NOBODY LISTENING TO ME');
    await stack.drain();
    await waitFor(() => deletedInKick(shout.messageId), { description: 'the shouting deleted', timeoutMs: 15_000 });
    const caught = await stack.db.prisma.moderationAction.findFirstOrThrow({ where: { guildId: stack.guild.id, kickMessageId: shout.messageId } });
    const before = (await stack.db.prisma.chatFilterSettings.findUniqueOrThrow({ where: { guildId: stack.guild.id } })).falsePositives;
    const fp = await mod.post(`${moderation()}/log/${caught.id}`, { do: 'fp', q: 'user=dash_shouter' }, { csrfFrom: moderation() });
    expect(fp.status, fp.body).toBe(303);
    expect(fp.location).toBe(`${moderation()}?user=dash_shouter&at=log#log`);
    const again = await mod.post(`${moderation()}/log/${caught.id}`, { do: 'fp' }, { csrfFrom: moderation() });
    expect(again.status).toBe(303);
    expect((await mod.get(again.location ?? '')).body).toContain('This was already marked a false positive.');
    expect((await stack.db.prisma.chatFilterSettings.findUniqueOrThrow({ where: { guildId: stack.guild.id } })).falsePositives).toBe(before + 1);
    expect(await stack.db.prisma.moderationAction.findUniqueOrThrow({ where: { id: caught.id } })).toMatchObject({ falsePositive: true, falsePositiveBy: stack.moderatorId });
    expect(await latestAudit('mod.false_positive')).toMatchObject({ source: 'dashboard', actorId: stack.moderatorId });
    // The mod log filter shows the viewer's entry and not others.
    const filtered = await mod.get(`${moderation()}?user=dash_shouter`);
    expect(filtered.body).toContain(`entry-${caught.id}`);
    expect(filtered.body).not.toContain('dash_rowdy</strong></td>');
  });

  it('refuses with the slash commands’ own words, keeps what was typed, and changes nothing', async () => {
    await stack.reconnect([...KICKCORD_SCOPES]);
    const ladderSlash = await stack.run('/filters configure filter:links ladder:"delete, kick"');
    const ladder = await mod.post(`${moderation()}/filters/links`, { enabled: 'on', ladder: 'delete, kick', limit: '60', exemptLevel: 'vip', warn: 'on' }, { csrfFrom: moderation() });
    expect(ladder.status).toBe(400);
    expect(refusal(ladder)).toBe(plain(ladderSlash));
    expect(ladder.body).toContain('value="delete, kick"');

    const wordSlash = await stack.run('/filters word-remove term:neverbanned');
    const word = await mod.post(`${moderation()}/words`, { do: 'remove', term: 'neverbanned' }, { csrfFrom: moderation() });
    expect(word.status).toBe(400);
    expect(refusal(word)).toBe(plain(wordSlash));

    const userSlash = await stack.run('/mod ban user:nobody_by_that_name');
    const user = await mod.post(`${moderation()}/act`, { user: 'nobody_by_that_name', kind: 'ban', minutes: '10', reason: '' }, { csrfFrom: moderation() });
    expect(user.status).toBe(400);
    expect(refusal(user)).toBe(plain(userSlash));
    expect(user.body).toContain('value="nobody_by_that_name"');

    const colourSlash = await stack.run('/rewards create title:Bad cost:5 colour:green');
    const colour = await mod.post(`${rewards()}/create`, { title: 'Bad', cost: '5', colour: 'green', enabled: 'on' }, { csrfFrom: rewards() });
    expect(colour.status).toBe(400);
    expect(refusal(colour)).toBe(plain(colourSlash));
    expect(stack.kick.channelRewards(stack.streamer.userId).some((r) => r.title === 'Bad')).toBe(false);
  });

  it('says which Kick permissions are missing in the slash commands’ words, until the streamer reconnects', async () => {
    await stack.reconnect(OLD_SCOPES);
    const view = await stack.run('/filters view');
    const lacks = view.split('\n').find((l) => l.includes('lacks')) ?? '';
    expect(lacks).toContain('moderation:chat_message:manage');
    const page = await mod.get(moderation());
    const shown = /<div class="notice bad" role="status"><p>([\s\S]*?)<\/p>/.exec(page.body)?.[1] ?? '';
    expect(plain(textOf(shown))).toBe(plain(lacks));
    expect(page.body).toContain('Create a reconnect link on the Overview page');

    const slash = await stack.run('/rewards create title:Hydrate cost:100');
    expect(slash).toContain('needs the Kick permission `channel:rewards:write`');
    const create = await mod.post(`${rewards()}/create`, { title: 'Hydrate', cost: '100', enabled: 'on' }, { csrfFrom: rewards() });
    expect(create.status).toBe(400);
    expect(refusal(create)).toBe(plain(slash));
    const listed = await mod.get(rewards());
    expect(listed.body).toContain('needs the Kick permission <code>channel:rewards:write</code>, which this server&#39;s Kick connection was not granted');
    expect(stack.kick.channelRewards(stack.streamer.userId).some((r) => r.title === 'Hydrate')).toBe(false);
    await stack.reconnect([...KICKCORD_SCOPES]);
    expect((await mod.get(moderation())).body).toContain('Kick permissions: ok');
  });

  it("refuses another server's mod-log entry, role, reward and redemption (tenancy is checked by the bot)", async () => {
    await stack.reconnect([...KICKCORD_SCOPES]);
    const theirs = await stack.db.prisma.moderationAction.create({
      data: { guildId: otherGuildId, broadcasterUserId: 1, kickUserId: 424242, kickUsername: 'their_viewer', kind: 'ban', source: 'filter', filter: 'links', status: 'done', idempotencyKey: 'other-guild-entry' },
    });
    for (const todo of ['undo', 'fp']) {
      const res = await mod.post(`${moderation()}/log/${theirs.id}`, { do: todo }, { csrfFrom: moderation() });
      expect(res.status).toBe(400);
      expect(refusal(res)).toBe('This action is no longer on record.');
    }
    expect(await stack.db.prisma.moderationAction.count({ where: { kickUserId: 424242 } })).toBe(1);
    expect(await stack.db.prisma.moderationAction.findUniqueOrThrow({ where: { id: theirs.id } })).toMatchObject({ falsePositive: false });

    const elsewhere = stack.discord.addGuild({ name: 'Elsewhere roles', channels: [{ name: 'their-log' }], members: [{ id: '200000000000000098', username: 'them' }] });
    const theirRole = stack.discord.addRole(elsewhere.id, { name: 'Their VIPs' });
    const role = await mod.post(`${moderation()}/filters/links`, { enabled: 'on', ladder: 'delete', limit: '60', exemptLevel: 'vip', warn: 'on', exemptRoleIds: theirRole.id }, { csrfFrom: moderation() });
    expect(role.status).toBe(400);
    expect(refusal(role)).toBe('That role is not a role of this server.');
    const theirChannel = elsewhere.channels[0]?.id ?? '';
    const channel = await mod.post(`${moderation()}/settings`, { do: 'modlog', channelId: theirChannel }, { csrfFrom: moderation() });
    expect(channel.status).toBe(400);
    expect(refusal(channel)).toContain('I cannot see that channel');

    const otherStreamer = stack.createViewer('other_streamer');
    const theirReward = stack.kick.createChannelReward(otherStreamer.userId, { title: 'Not yours', cost: 5, clientId: stack.kickApp.clientId });
    const del = await mod.post(`${rewards()}/reward/${theirReward.id}`, { do: 'delete' }, { csrfFrom: rewards() });
    expect(del.status).toBe(400);
    expect(refusal(del)).toBe(`The channel has no reward "${theirReward.id}". See /rewards list.`);
    expect(stack.kick.channelRewards(otherStreamer.userId).map((r) => r.id)).toEqual([theirReward.id]);

    await stack.db.prisma.channelRewardRedemption.create({
      data: { guildId: otherGuildId, redemptionId: 'THEIRREDEMPTION01', rewardId: theirReward.id, rewardTitle: 'Not yours', cost: 5, kickUserId: 424242, username: 'their_viewer', status: 'pending', redeemedAt: new Date() },
    });
    const accept = await mod.post(`${rewards()}/redemption/THEIRREDEMPTION01`, { do: 'accept' }, { csrfFrom: rewards() });
    expect(accept.status).toBe(400);
    expect(refusal(accept)).toBe('kickcord has no record of this redemption.');
    expect((await stack.db.prisma.channelRewardRedemption.findFirstOrThrow({ where: { redemptionId: 'THEIRREDEMPTION01' } })).status).toBe('pending');
  });

  it('a member without Manage Server or a manager role is refused on GET and POST, and nothing changes', async () => {
    const member = await loginDashboard(stack, stack.memberId);
    expect((await member.get(moderation())).status).toBe(403);
    expect((await member.get(rewards())).status).toBe(403);
    const csrf = await member.csrf('/dashboard');
    const post = (path: string, fields: Record<string, string>) =>
      fetch(`${stack.web.url}${path}`, { method: 'POST', redirect: 'manual', headers: { cookie: member.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrf, ...fields }).toString() });
    const before = await stack.db.prisma.moderationAction.count({ where: { guildId: stack.guild.id } });
    expect((await post(`${moderation()}/act`, { user: 'dash_rowdy', kind: 'ban' })).status).toBe(403);
    expect((await post(`${moderation()}/words`, { do: 'add', term: 'memberword' })).status).toBe(403);
    expect((await post(`${rewards()}/create`, { title: 'Member reward', cost: '1', enabled: 'on' })).status).toBe(403);
    expect(await stack.db.prisma.moderationAction.count({ where: { guildId: stack.guild.id } })).toBe(before);
    expect(await stack.db.prisma.chatFilterTerm.count({ where: { guildId: stack.guild.id, pattern: 'memberword' } })).toBe(0);
    expect(stack.kick.channelRewards(stack.streamer.userId).some((r) => r.title === 'Member reward')).toBe(false);
  });
});

describe('dashboard → channel rewards', () => {
  it('in Chromium: creates a reward on Kick, a viewer redeems it, and Accept on the dashboard decides it at Kick and in Discord', async () => {
    await stack.reconnect([...KICKCORD_SCOPES]);
    const tab = await browserLogin(browser, stack);
    await tab.goto(`${stack.web.url}${rewards()}`);
    await tab.getByText('Read from Kick just now').waitFor();

    await tab.getByLabel("The moderators' channel").selectOption({ label: '#general' });
    await tab.getByRole('button', { name: 'Save channel' }).click();
    await tab.getByText('Kick reward redemptions will appear in').waitFor();

    const create = tab.locator('#create');
    await create.getByLabel('Title').fill('Stretch break');
    await create.getByLabel('Cost (Kick channel points)').fill('250');
    await create.getByLabel('Description').fill('The streamer stretches');
    await create.getByLabel('Ask the viewer for text when redeeming').check();
    await create.getByRole('button', { name: 'Create on Kick' }).click();
    await tab.getByText('Created on Kick').waitFor();
    const reward = stack.kick.channelRewards(stack.streamer.userId).find((r) => r.title === 'Stretch break');
    expect(reward).toMatchObject({ cost: 250, description: 'The streamer stretches', isUserInputRequired: true, clientId: stack.kickApp.clientId });
    expect(await latestAudit('rewards.create')).toMatchObject({ source: 'dashboard', actorId: stack.moderatorId });

    // kickcord points for each redemption, set on the reward's card.
    const card = tab.locator(`#reward-${reward!.id}`);
    await card.getByText('What kickcord does when it is redeemed').click();
    await card.getByLabel('kickcord points for the redeemer').fill('40');
    await card.getByLabel('Add each redemption to the reward queue').check();
    await card.getByRole('button', { name: 'Save kickcord actions' }).click();
    await tab.locator(`#reward-${reward!.id}`).getByText('When redeemed, kickcord: 40 points').waitFor();
    expect(await latestAudit('rewards.actions')).toMatchObject({ source: 'dashboard', detail: { reward: 'Stretch break', points: { from: 0, to: 40 } } });

    const fan = stack.createViewer('dash_fan');
    const { redemption } = await stack.kick.redeemChannelReward(stack.streamer.userId, fan.userId, reward!.id, { userInput: 'both arms' });
    await stack.drain();
    await waitFor(async () => (await stack.db.prisma.channelRewardRedemption.count({ where: { guildId: stack.guild.id, redemptionId: redemption.id, status: 'pending' } })) === 1, { description: 'the redemption recorded' });
    await waitFor(() => stack.discord.messages(stack.guild.generalChannelId).some((m) => JSON.stringify(m.embeds).includes(redemption.id)), { description: 'the redemption posted in #general', timeoutMs: 15_000 });

    await tab.reload();
    const row = tab.locator(`#redemption-${redemption.id}`);
    expect(await row.innerText()).toContain('both arms');
    expect(await row.innerText()).toContain('40 points');
    await row.getByRole('button', { name: 'Accept Stretch break for dash_fan' }).click();
    await tab.getByText('Accepted on Kick').waitFor();
    expect(stack.kick.redemptions(stack.streamer.userId).find((r) => r.id === redemption.id)?.status).toBe('accepted');
    expect(await stack.db.prisma.channelRewardRedemption.findFirstOrThrow({ where: { redemptionId: redemption.id } })).toMatchObject({ status: 'accepted', decidedByDiscordId: stack.moderatorId, decidedVia: 'dashboard' });
    expect(await latestAudit('rewards.accept')).toMatchObject({ source: 'dashboard', actorId: stack.moderatorId, detail: { viewer: 'dash_fan' } });
    await waitFor(
      () => {
        const message = stack.discord.messages(stack.guild.generalChannelId).find((m) => JSON.stringify(m.embeds).includes(redemption.id));
        return JSON.stringify(message?.embeds ?? []).includes(`Accepted by <@${stack.moderatorId}>`) && (message?.components ?? []).length === 0;
      },
      { description: 'the Discord message to say who accepted, without buttons', timeoutMs: 15_000 },
    );
    expect(await tab.locator(`#redemption-${redemption.id}`).count()).toBe(0);

    // The reward queue has it until a moderator marks it done.
    const queued = tab.locator('#queue');
    expect(await queued.innerText()).toContain('#1 Stretch break — dash_fan: “both arms”');
    await queued.getByRole('button', { name: 'Mark #1 Stretch break for dash_fan done' }).click();
    await tab.locator('#queue').getByText('Done: #1 Stretch break for dash_fan.').waitFor();
    expect(await tab.locator('#queue').innerText()).toContain('The reward queue is empty.');
    expect(await latestAudit('rewards.queue_done')).toMatchObject({ source: 'dashboard', detail: { viewer: 'dash_fan' } });

    // Deciding again is refused with the button's words.
    const again = await mod.post(`${rewards()}/redemption/${redemption.id}`, { do: 'reject' }, { csrfFrom: rewards() });
    expect(again.status).toBe(400);
    expect(refusal(again)).toBe(`This redemption was already accepted by @${stack.moderatorId}.`);

    // Pause and delete from the page: Kick has it paused, then gone.
    const paused = await mod.post(`${rewards()}/reward/${reward!.id}`, { do: 'pause' }, { csrfFrom: rewards() });
    expect(paused.status, paused.body).toBe(303);
    expect(stack.kick.channelRewards(stack.streamer.userId).find((r) => r.id === reward!.id)?.isPaused).toBe(true);
    const deleted = await mod.post(`${rewards()}/reward/${reward!.id}`, { do: 'delete' }, { csrfFrom: rewards() });
    expect(deleted.status, deleted.body).toBe(303);
    expect(stack.kick.channelRewards(stack.streamer.userId).some((r) => r.id === reward!.id)).toBe(false);
    expect(await latestAudit('rewards.delete')).toMatchObject({ source: 'dashboard', detail: { reward: 'Stretch break' } });

    // At 390 px wide the page does not scroll sideways.
    await tab.setViewportSize({ width: 390, height: 800 });
    await tab.reload();
    expect(Number(await tab.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(390);
    await tab.close();
  });
});
