/**
 * Kick ↔ Discord account linking end to end: `/link start` through discord-sim, `!link CODE` through kick-sim chat
 * (kick-sim → web → BullMQ → bot worker), the worker editing the ephemeral reply through the interaction webhook,
 * "Link with Kick" through web and kick-sim OAuth, relink confirmation buttons, `/unlink`, `/link lookup`, and
 * linked viewers' mentions where Discord shows winners and leaderboards.
 */
import { appendLedgerEntries } from '@kickcord/db';
import type { InteractionRecord, InteractionResponseRecord } from '@kickcord/discord-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { responseText, startTestStack, type TestStack } from './helpers/harness.ts';

let stack: TestStack;
/** The bot's clock runs this far ahead of real time (to expire codes without waiting). */
let skewMs = 0;

beforeAll(async () => {
  stack = await startTestStack({ now: () => new Date(Date.now() + skewMs) });
}, 90_000);
afterAll(async () => stack?.close());

interface ComponentJson {
  type: number;
  custom_id?: string;
  url?: string;
  label?: string;
  components?: ComponentJson[];
}

/** The body of a response (callback bodies wrap it in `data`). */
function bodyOf(r: InteractionResponseRecord): { content?: string; components?: ComponentJson[]; allowed_mentions?: unknown; flags?: number } {
  const d = (r.data ?? {}) as { data?: unknown };
  return (d.data && typeof d.data === 'object' ? d.data : d) as ReturnType<typeof bodyOf>;
}

function buttons(r: InteractionResponseRecord): ComponentJson[] {
  return (bodyOf(r).components ?? []).flatMap((row) => row.components ?? []);
}

/** Runs `/link start` as `userId`; returns its interaction, the reply and the code it shows. */
async function linkStart(userId: string): Promise<{ record: InteractionRecord; reply: InteractionResponseRecord; code: string }> {
  const record = await stack.invoke('/link start', { userId, permissions: 0n });
  const reply = await stack.discord.waitForInteractionResponse(record, (r) => r.kind === 'callback', 10_000);
  const code = /!link ([0-9A-Z]{4}-[0-9A-Z]{4})/.exec(bodyOf(reply).content ?? '')?.[1];
  expect(code, bodyOf(reply).content).toBeDefined();
  return { record, reply, code: code ?? '' };
}

/** A viewer types in Kick chat; resolves with the bot's reply to that message. */
async function chat(viewer: { userId: number }, content: string): Promise<string> {
  const sent = await stack.kick.sendChat(stack.streamer.userId, viewer.userId, content);
  const reply = await stack.kick.waitForChat(stack.streamer.userId, (m) => m.type === 'bot' && m.replyToMessageId === sent.messageId, 15_000);
  return reply.content;
}

function edited(record: InteractionRecord, text: string): Promise<InteractionResponseRecord> {
  return stack.discord.waitForInteractionResponse(record, (r) => r.kind === 'edit' && (bodyOf(r).content ?? '').includes(text), 15_000);
}

const findLinkByDiscord = (prisma: TestStack['db']['prisma'], discordUserId: string) => prisma.accountLink.findUnique({ where: { discordUserId } });
const findLinkByKick = (prisma: TestStack['db']['prisma'], kickUserId: number) => prisma.accountLink.findUnique({ where: { kickUserId } });

let memberSeq = 10;
/** A new member of the demo guild (each test uses its own Discord users and Kick viewers, so tests run in any order). */
function member(username: string): string {
  const id = `2000000000000000${String(memberSeq++).padStart(2, '0')}`;
  stack.discord.addMember(stack.guild.id, { id, username });
  return id;
}

/** A Kick viewer linked to a new member, arranged directly in PostgreSQL. */
async function linkedPair(kickName: string): Promise<{ discordId: string; viewer: { userId: number; username: string } }> {
  const viewer = stack.createViewer(kickName);
  const discordId = member(`${kickName}_discord`);
  await stack.db.prisma.accountLink.create({ data: { discordUserId: discordId, kickUserId: viewer.userId, kickUsername: viewer.username } });
  return { discordId, viewer };
}

async function givePoints(viewer: { userId: number; username: string }, points: number): Promise<void> {
  await appendLedgerEntries(stack.db.prisma, [{ guildId: stack.guild.id, kickUserId: viewer.userId, username: viewer.username, kind: 'admin', points, idempotencyKey: `e2e:link:${viewer.username}` }]);
}

describe('account linking, end to end', () => {
  it('a code typed in Kick chat links the accounts, edits the ephemeral reply and answers in Kick chat without the code', async () => {
    const aliceD = member('alice_discord');
    const alice = stack.createViewer('link_alice');
    const { record, reply, code } = await linkStart(aliceD);
    expect(reply.ephemeral).toBe(true);
    expect(bodyOf(reply).content).toContain(`\`!link ${code}\` in **kick.com/${stack.streamer.username.toLowerCase()}**'s chat`);
    const linkButton = buttons(reply).find((b) => b.label === 'Link with Kick');
    expect(linkButton?.url).toContain('/link/kick?t=');

    const answer = await chat(alice, `!link ${code.toLowerCase()}`);
    expect(answer).toContain(`@${alice.username} ✅`);
    const chatText = stack.kick.chatLog(stack.streamer.userId).map((m) => (m.type === 'bot' ? m.content : '')).join('\n');
    expect(chatText).not.toContain(code);
    const done = await edited(record, 'now linked to the Kick account **link_alice**');
    expect(bodyOf(done).components).toEqual([]);
    expect(await findLinkByDiscord(stack.db.prisma, aliceD)).toMatchObject({ kickUserId: alice.userId, method: 'code' });
    expect(await stack.run('/link status', { userId: aliceD })).toContain('**link_alice**');
  });

  it('a used code and an expired code link nothing', async () => {
    const bobD = member('bob_discord');
    const mallory = stack.createViewer('link_mallory');
    const { code } = await linkStart(bobD);
    const bob = stack.createViewer('link_bob');
    expect(await chat(bob, `!link ${code}`)).toContain('✅');
    // The same code again, by someone else: refused, nothing moves.
    expect(await chat(mallory, `!link ${code}`)).toContain('wrong or already used');
    expect(await findLinkByKick(stack.db.prisma, mallory.userId)).toBeNull();
    expect(await findLinkByDiscord(stack.db.prisma, bobD)).toMatchObject({ kickUserId: bob.userId });

    const late = await linkStart(bobD);
    skewMs = 11 * 60_000;
    try {
      expect(await chat(stack.createViewer('link_late'), `!link ${late.code}`)).toContain('has expired');
    } finally {
      skewMs = 0;
    }
    expect(await findLinkByDiscord(stack.db.prisma, bobD)).toMatchObject({ kickUserId: bob.userId });
  });

  it('limits wrong codes per Kick account: after 5 wrong codes even a right one is not checked (and stays usable)', async () => {
    const guesser = stack.createViewer('link_guesser');
    for (let i = 0; i < 5; i++) expect(await chat(guesser, `!link AAAA-AAA${i}`)).toContain('wrong or already used');
    const { record, code } = await linkStart(member('owner_discord'));
    expect(await chat(guesser, `!link ${code}`)).toContain('too many wrong link codes');
    expect(await findLinkByKick(stack.db.prisma, guesser.userId)).toBeNull();
    // The code was not consumed: its owner can still use it.
    const owner = stack.createViewer('link_owner');
    expect(await chat(owner, `!link ${code}`)).toContain('✅');
    await edited(record, 'link_owner');
  });

  it('asks before relinking; Cancel changes nothing, Replace the link moves it and says what happened', async () => {
    // A (linked to rl_alice) proves the Kick account of B's link: both sides stand in the way.
    const a = await linkedPair('rl_alice');
    const b = await linkedPair('rl_bob');
    const first = await linkStart(a.discordId);
    expect(await chat(b.viewer, `!link ${first.code}`)).toContain('confirm the link in Discord');
    const question = await edited(first.record, 'needs your confirmation');
    expect(bodyOf(question).content).toContain('linked to the Kick account **rl_alice** now');
    expect(bodyOf(question).content).toContain('is linked to another Discord account now');
    const cancel = buttons(question).find((btn) => btn.label === 'Cancel')?.custom_id ?? '';
    const click = await stack.discord.clickButton({ id: first.record.originalMessageId ?? '', channelId: first.record.channelId }, cancel, a.discordId);
    const cancelled = await stack.discord.waitForInteractionResponse(click, (r) => r.kind === 'callback', 10_000);
    expect(bodyOf(cancelled).content).toContain('Nothing changed');
    expect(await findLinkByDiscord(stack.db.prisma, b.discordId)).toMatchObject({ kickUserId: b.viewer.userId });
    expect(await findLinkByDiscord(stack.db.prisma, a.discordId)).toMatchObject({ kickUserId: a.viewer.userId });

    const second = await linkStart(a.discordId);
    await chat(b.viewer, `!link ${second.code}`);
    const again = await edited(second.record, 'needs your confirmation');
    const replace = buttons(again).find((btn) => btn.label === 'Replace the link')?.custom_id ?? '';
    // Someone else pressing it is refused.
    const intruder = await stack.discord.clickButton({ id: second.record.originalMessageId ?? '', channelId: second.record.channelId }, replace, b.discordId);
    expect(responseText((await stack.discord.waitForInteractionResponse(intruder, undefined, 10_000)).data)).toContain('belongs to the person who ran /link');
    const press = await stack.discord.clickButton({ id: second.record.originalMessageId ?? '', channelId: second.record.channelId }, replace, a.discordId);
    const replaced = await stack.discord.waitForInteractionResponse(press, (r) => r.kind === 'callback', 10_000);
    expect(bodyOf(replaced).content).toContain('The previous link was replaced');
    expect(await findLinkByDiscord(stack.db.prisma, a.discordId)).toMatchObject({ kickUserId: b.viewer.userId });
    expect(await findLinkByDiscord(stack.db.prisma, b.discordId)).toBeNull();
    expect(await findLinkByKick(stack.db.prisma, a.viewer.userId)).toBeNull();
  });

  it('Link with Kick: the button opens Kick sign-in (user:read) on the web app and links the account that signed in', async () => {
    const discordId = member('oauth_discord');
    const carol = stack.createViewer('link_carol');
    const { reply } = await linkStart(discordId);
    const url = new URL(buttons(reply).find((b) => b.label === 'Link with Kick')?.url ?? '');
    const start = await fetch(url, { redirect: 'manual' });
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get('location') ?? '');
    expect(authorize.searchParams.get('scope')).toBe('user:read');
    authorize.searchParams.set('sim_user', String(carol.userId));
    const done = await fetch(authorize);
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('Linked to the Kick account link_carol');
    expect(await findLinkByDiscord(stack.db.prisma, discordId)).toMatchObject({ kickUserId: carol.userId, method: 'oauth' });
  });

  it('/unlink asks first, then removes the link everywhere; points stay with the Kick account', async () => {
    const { discordId, viewer } = await linkedPair('ul_carol');
    await givePoints(viewer, 40);
    const record = await stack.invoke('/unlink', { userId: discordId, permissions: 0n });
    const question = await stack.discord.waitForInteractionResponse(record, (r) => r.kind === 'callback', 10_000);
    expect(bodyOf(question).content).toContain('Unlink your Discord account from the Kick account **ul_carol**?');
    expect(await findLinkByDiscord(stack.db.prisma, discordId)).not.toBeNull();
    const confirm = buttons(question).find((b) => b.label === 'Unlink')?.custom_id ?? '';
    const press = await stack.discord.clickButton({ id: record.originalMessageId ?? '', channelId: record.channelId }, confirm, discordId);
    expect(bodyOf(await stack.discord.waitForInteractionResponse(press, (r) => r.kind === 'callback', 10_000)).content).toContain('Unlinked from the Kick account **ul_carol**');
    expect(await findLinkByDiscord(stack.db.prisma, discordId)).toBeNull();
    const stats = await stack.db.prisma.viewerStats.findUnique({ where: { guildId_kickUserId: { guildId: stack.guild.id, kickUserId: viewer.userId } } });
    expect(stats?.points).toBe(40);
    expect(await stack.run('/unlink', { userId: discordId })).toContain('not linked');
  });

  it('/link lookup is for moderators and finds links by member or Kick name', async () => {
    const { discordId } = await linkedPair('lk_dave');
    const stranger = member('lk_stranger');
    expect(await stack.run(`/link lookup user:<@${discordId}>`, { as: 'member' })).toContain('for moderators');
    const byMember = await stack.run(`/link lookup user:<@${discordId}>`);
    expect(byMember).toContain('**lk_dave**');
    expect(byMember).toContain(`<@${discordId}>`);
    expect(await stack.run('/link lookup kick-name:LK_DAVE')).toContain(`<@${discordId}>`);
    expect(await stack.run(`/link lookup user:<@${stranger}>`)).toContain('is not linked');
    expect(await stack.run('/link lookup')).toContain('exactly one of');
  });

  it('/points show without a name shows your own points through the link, and says how to link when there is none', async () => {
    const { discordId, viewer } = await linkedPair('pt_erin');
    await givePoints(viewer, 25);
    const own = await stack.run('/points show', { userId: discordId });
    expect(own).toContain('pt_erin');
    expect(own).toMatch(/Points: 25 \(rank #\d+\)/);
    expect(own).toContain(`<@${discordId}>`);
    expect(await stack.run('/points show', { userId: member('pt_stranger') })).toContain('Run `/link start` to link it');
  });

  it('leaderboards show linked viewers with their mention and ping nobody', async () => {
    const { discordId, viewer } = await linkedPair('lb_fay');
    await givePoints(viewer, 900_000);
    const record = await stack.invoke('/leaderboard', { as: 'member' });
    const reply = await stack.discord.waitForInteractionResponse(record, (r) => r.kind === 'callback', 10_000);
    expect(responseText(reply.data)).toContain(`lb_fay (<@${discordId}>) — `);
    expect(bodyOf(reply).allowed_mentions).toEqual({ parse: [] });
  });

  it('a raffle won by a linked viewer names and pings exactly that Discord user (no roles, no everyone)', async () => {
    const { discordId, viewer } = await linkedPair('rf_gus');
    await stack.run('/raffle start');
    await stack.kick.sendChat(stack.streamer.userId, viewer.userId, '!join');
    await stack.drain();
    const record = await stack.invoke('/raffle draw');
    const drawn = await stack.discord.waitForInteractionResponse(record, (r) => r.kind === 'edit', 10_000);
    expect(responseText(drawn.data)).toContain(`**rf_gus** (<@${discordId}>)`);
    const ping = await stack.discord.waitForInteractionResponse(record, (r) => r.kind === 'followup', 10_000);
    expect(bodyOf(ping).content).toBe(`🎉 Raffle winner: <@${discordId}>`);
    expect(bodyOf(ping).allowed_mentions).toEqual({ parse: [], users: [discordId] });
    expect(ping.ephemeral).toBe(false);
  });

  it('guess-the-balance winners and slot-call picks name and ping the linked viewer', async () => {
    const { discordId, viewer } = await linkedPair('gs_hal');
    await stack.run('/gtb start prize:10');
    await stack.kick.sendChat(stack.streamer.userId, viewer.userId, '!gtb 1000');
    await stack.drain();
    await stack.run('/gtb close');
    const result = await stack.invoke('/gtb result amount:1000');
    const shown = await stack.discord.waitForInteractionResponse(result, (r) => r.kind === 'edit', 10_000);
    expect(responseText(shown.data)).toContain(`Winner: **gs_hal** (<@${discordId}>)`);
    const gtbPing = await stack.discord.waitForInteractionResponse(result, (r) => r.kind === 'followup', 10_000);
    expect(bodyOf(gtbPing).allowed_mentions).toEqual({ parse: [], users: [discordId] });

    await stack.run('/slotcalls open');
    await stack.kick.sendChat(stack.streamer.userId, viewer.userId, '!call Book of Dead');
    await stack.drain();
    const pick = await stack.invoke('/slotcalls pick');
    const picked = await stack.discord.waitForInteractionResponse(pick, (r) => r.kind === 'edit', 10_000);
    expect(responseText(picked.data)).toContain(`called by gs_hal (<@${discordId}>)`);
    const slotPing = await stack.discord.waitForInteractionResponse(pick, (r) => r.kind === 'followup', 10_000);
    expect(bodyOf(slotPing).content).toBe(`🎰 Your slot call **Book of Dead** is up: <@${discordId}>`);
    expect(bodyOf(slotPing).allowed_mentions).toEqual({ parse: [], users: [discordId] });
    await stack.run('/slotcalls close');
  });

  it('limits /link start to 5 codes an hour per Discord user', async () => {
    const user = member('codes_discord');
    for (let i = 0; i < 5; i++) await linkStart(user);
    expect(await stack.run('/link start', { userId: user })).toContain('5 link codes in the last hour');
  });
});
