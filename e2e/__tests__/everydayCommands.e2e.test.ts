/**
 * The everyday chat commands end to end: moderators configure them with slash commands through discord-sim and a
 * real discord.js client, viewers use them in kick-sim chat (kick-sim → web → BullMQ → bot worker → Kick chat),
 * and the public command list page on web shows what the server set. Real PostgreSQL and Redis.
 */
import { waitFor } from '@kickcord/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './helpers/harness.ts';

let stack: TestStack;
let viewer: { userId: number; username: string };
let modViewer: { userId: number; username: string };
const MOD = [{ text: 'Moderator', type: 'moderator' }];

beforeAll(async () => {
  stack = await startTestStack();
  viewer = stack.createViewer('e2e_viewer');
  modViewer = stack.createViewer('e2e_chat_mod');
}, 90_000);
afterAll(async () => stack?.close());

/** Sends a chat message on the production path and returns the bot's reply to it. */
async function reply(user: { userId: number }, content: string, badges: { text: string; type: string }[] = []): Promise<string> {
  const sent = await stack.kick.sendChat(stack.streamer.userId, user.userId, content, { badges });
  const answer = await stack.kick.waitForChat(stack.streamer.userId, (m) => m.type === 'bot' && m.replyToMessageId === sent.messageId, 15_000);
  return answer.content;
}

/** Sends a chat message on the production path and checks, once the queue is drained, that the bot did not answer. */
async function silent(user: { userId: number }, content: string, badges: { text: string; type: string }[] = []): Promise<void> {
  const sent = await stack.kick.sendChat(stack.streamer.userId, user.userId, content, { badges });
  await stack.drain();
  expect(stack.kick.chatLog(stack.streamer.userId).filter((m) => m.type === 'bot' && m.replyToMessageId === sent.messageId)).toEqual([]);
}

async function page(): Promise<string> {
  const res = await fetch(`${stack.web.url}/c/${stack.streamer.username.toLowerCase()}/commands`);
  expect(res.status).toBe(200);
  return res.text();
}

describe('everyday chat commands, end to end', () => {
  it('/commands builtin: moderators rename and turn off built-ins; chat and the public page follow', async () => {
    expect(await stack.run('/commands builtin disable command:so', { as: 'member' })).toContain('for moderators');
    expect(await stack.run('/commands builtin rename command:so name:shoutout')).toContain('now answers to **!shoutout**');
    expect(await stack.run('/commands builtin rename command:quote name:shoutout')).toContain('already the name of the built-in !so');
    expect(await stack.run('/commands builtin disable command:followage')).toContain('**!followage** is off');
    const list = await stack.run('/commands builtin list');
    expect(list).toContain('✅ **!shoutout** (built-in !so)');
    expect(list).toContain('⛔ **!followage** — off');
    expect(list).toContain(`/c/${stack.streamer.username.toLowerCase()}/commands`);

    expect(await reply(modViewer, '!shoutout e2e_viewer', MOD)).toBe('Go check out e2e_viewer at https://kick.com/e2e_viewer! They were last streaming in Just Chatting.');
    await silent(modViewer, '!so e2e_viewer', MOD);
    await silent(viewer, '!followage');
    expect(await reply(viewer, '!commands')).toBe(`Commands, who may use them, cooldowns and costs: ${stack.env.PUBLIC_URL}/c/${stack.streamer.username.toLowerCase()}/commands`);

    const html = await page();
    expect(html).toContain('<code>!shoutout &#60;user&#62;</code>');
    expect(html).not.toContain('<code>!so ');
    expect(html).not.toContain('!followage');

    expect(await stack.run('/commands builtin enable command:followage')).toContain('**!followage** is on');
    expect(await stack.run('/commands builtin rename command:so name:so')).toContain('answers to its own name again');
    expect(await reply(viewer, '!followage')).toContain('kickcord has not seen you follow');
  });

  it('quotes: added in chat, managed with /quotes', async () => {
    expect(await reply(viewer, '!quote add not a mod')).toBe('@e2e_viewer adding quotes is for moderators and up.');
    expect(await reply(modViewer, '!quote add First quote', MOD)).toBe('@e2e_chat_mod added quote #1.');
    expect(await reply(modViewer, '!quote add Second quote', MOD)).toBe('@e2e_chat_mod added quote #2.');
    expect(await stack.run('/quotes list', { as: 'member' })).toContain('for moderators');
    const list = await stack.run('/quotes list');
    expect(list).toContain('page 1 of 1, 2 in all');
    expect(list.indexOf('#2: "Second quote"')).toBeLessThan(list.indexOf('#1: "First quote"'));
    expect(list).toContain('added by e2e_chat_mod');
    expect(await stack.run('/quotes edit number:1 text:"First quote, fixed"')).toContain('#1: "First quote, fixed"');
    expect(await stack.run('/quotes remove number:2')).toContain('Removed quote #2: "Second quote"');
    expect(await stack.run('/quotes remove number:2')).toContain('There is no quote #2.');
    // Another viewer: the first one used !quote less than the built-ins' 5 s cooldown ago.
    const reader = stack.createViewer('e2e_reader');
    expect(await reply(reader, '!quote 1')).toMatch(/^#1: "First quote, fixed" \(\d{1,2} \w{3} \d{4}\)$/);
    expect(await stack.run('/quotes settings add-level:vip')).toContain('now for **vip** and up');
    const vip = stack.createViewer('e2e_vip');
    expect(await reply(vip, '!quote add vip only', [{ text: 'VIP', type: 'vip' }])).toBe('@e2e_vip added quote #2.');
    expect(await stack.db.prisma.quote.count({ where: { guildId: stack.guild.id } })).toBe(2);
  });

  it('counters: /counters add|set|list|remove, counted from chat by moderators', async () => {
    expect(await stack.run('/counters add name:wins', { as: 'member' })).toContain('for moderators');
    expect(await stack.run('/counters add name:Wins value:2')).toContain('Counter **wins** added at 2');
    expect(await stack.run('/counters add name:quote')).toContain('built-in');
    expect(await reply(modViewer, '!wins +', MOD)).toBe('Wins: 3');
    expect(await reply(viewer, '!wins +')).toBe('@e2e_viewer only moderators can change Wins.');
    expect(await reply(modViewer, '!deaths +', MOD)).toBe('Deaths: 1');
    expect(await stack.run('/counters set name:deaths value:41')).toContain('**deaths** is now 41');
    expect(await reply(viewer, '!deaths')).toBe('Deaths: 41');
    const list = await stack.run('/counters list');
    expect(list).toContain('**!deaths** — 41');
    expect(list).toContain('**!wins** — 3');
    expect(await page()).toContain('<code>!wins + | -</code>');
    expect(await stack.run('/counters remove name:wins')).toContain('Counter **wins** (at 3) removed.');
    await waitFor(async () => (await stack.db.prisma.chatCounter.count({ where: { guildId: stack.guild.id, name: 'wins' } })) === 0, { description: 'the counter removed' });
    await silent(modViewer, '!wins +', MOD);
  });

  it('!title and !game: read by everyone, changed by moderators once the streamer granted channel:write', async () => {
    await stack.kick.goLive(stack.streamer.userId, { title: 'Morning stream', category: 'Just Chatting' });
    const reader = stack.createViewer('e2e_title_reader');
    expect(await reply(reader, '!title')).toBe('Title: Morning stream');
    expect(await reply(modViewer, '!title Evening stream', MOD)).toContain('needs the Kick permission channel:write');
    const connection = await stack.db.prisma.kickConnection.findUniqueOrThrow({ where: { guildId: stack.guild.id } });
    await stack.reconnect([...connection.scopes, 'channel:write']);
    expect(await reply(modViewer, '!title Evening stream', MOD)).toBe('@e2e_chat_mod the title is now: Evening stream');
    expect(await reply(modViewer, '!game slots', MOD)).toBe('@e2e_chat_mod the category is now Slots & Casino.');
    const channel = stack.kick.findUserBySlug(stack.streamer.username)?.channel;
    expect(channel?.streamTitle).toBe('Evening stream');
    expect(channel?.category.name).toBe('Slots & Casino');
    expect(await reply(viewer, '!game')).toBe('Category: Slots & Casino');
  });
});
