/**
 * Chat filters and moderation end to end: `/filters` and `/mod` through discord-sim and a real discord.js client,
 * viewers through kick-sim chat (kick-sim → web → BullMQ → bot worker → kick-sim's moderation endpoints), the mod
 * log and its buttons in discord-sim, real PostgreSQL and Redis.
 */
import { waitFor } from '@kickcord/queue';
import { MANAGE_GUILD } from '@kickcord/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { responseText, startTestStack, type TestStack } from './helpers/harness.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
}, 90_000);
afterAll(async () => stack?.close());

/** A response that is an answer (not a deferral). */
const answered = (r: { kind: string; type?: number }) => r.kind !== 'delete' && (r.kind !== 'callback' || (r.type !== 5 && r.type !== 6));
const modLog = () => stack.discord.messages(stack.guild.modLogChannelId).filter((m) => JSON.stringify(m.embeds).includes('🛡️'));
const deletedInKick = (messageId: string) => stack.kick.chatLog(stack.streamer.userId).find((m) => m.messageId === messageId)?.deletedAt instanceof Date;

describe('chat filters and moderation, end to end', () => {
  it('moderators configure the filters; a member cannot', async () => {
    expect(await stack.run('/filters enable filter:links', { as: 'member' })).toContain('is for moderators');
    expect(await stack.run('/filters enable filter:links')).toContain('The **links** filter is on');
    expect(await stack.run('/filters enable filter:words')).toContain('Add terms with `/filters word-add`');
    expect(await stack.run('/filters word-add term:$CAM')).toContain('Banned `scam` (word)');
    expect(await stack.run('/filters word-add term:"(a+" mode:regex')).toContain('not valid RE2 syntax');
    expect(await stack.run('/filters configure filter:links ladder:"delete, ban"')).toContain('ladder delete → ban');
    expect(await stack.run('/filters configure filter:links ladder:"delete, kick"')).toContain('`kick` is not a step');
    expect(await stack.run('/filters link-allow domain:https://www.YouTube.com/watch')).toContain('**youtube.com**');
    expect(await stack.run('/filters modlog channel:#mod-log')).toContain(`<#${stack.guild.modLogChannelId}>`);
    const dry = await stack.run('/filters test text:"come to example[.]com, it is no scam"');
    expect(dry).toContain('**words**');
    expect(dry).toContain('**links**');
    expect(dry).toContain('example[.]com');
    expect(await stack.run('/filters test text:"watch youtube.com/abc"')).toContain('No filter would act');
  });

  it('without the chat-delete permission the action fails and the mod log is told once; after reconnecting it works', async () => {
    // A connection made before filters existed: no moderation:chat_message:manage.
    await stack.reconnect(['user:read', 'channel:read', 'chat:write', 'events:subscribe', 'moderation:ban', 'kicks:read']);
    const early = stack.createViewer('e2e_early');
    for (const text of ['visit example.com', 'visit example.net']) await stack.kick.sendChat(stack.streamer.userId, early.userId, text);
    await stack.drain();
    await waitFor(async () => (await stack.db.prisma.moderationAction.count({ where: { guildId: stack.guild.id, kickUserId: early.userId } })) === 2, { description: 'both actions recorded', timeoutMs: 15_000 });
    const failed = await stack.db.prisma.moderationAction.findMany({ where: { guildId: stack.guild.id, kickUserId: early.userId } });
    expect(failed.map((a) => a.status)).toEqual(['failed', 'failed']);
    const notices = () => stack.discord.messages(stack.guild.modLogChannelId).filter((m) => m.content.includes('lacks the `moderation:chat_message:manage` permission'));
    await waitFor(() => notices().length === 1, { description: 'the missing-scope notice', timeoutMs: 15_000 });
    expect(await stack.run('/filters view')).toContain('lacks `moderation:chat_message:manage`');

    await stack.reconnect(['user:read', 'channel:read', 'chat:write', 'events:subscribe', 'moderation:ban', 'moderation:chat_message:manage', 'kicks:read']);
    expect(notices()).toHaveLength(1);
  });

  it('a link in Kick chat is deleted, logged with buttons, and a moderator bans from the mod log', async () => {
    const viewer = stack.createViewer('e2e_spammer');
    const sent = await stack.kick.sendChat(stack.streamer.userId, viewer.userId, 'cheap followers at example.com');
    await stack.drain();
    await waitFor(() => deletedInKick(sent.messageId), { description: 'the message deleted in Kick', timeoutMs: 15_000 });
    const inLog = () => modLog().filter((m) => JSON.stringify(m.embeds).includes('e2e_spammer'));
    await waitFor(() => inLog().length === 1, { description: 'the action in the mod log', timeoutMs: 15_000 });
    const logged = inLog()[0]!;
    expect(JSON.stringify(logged.embeds)).toContain('e2e_spammer');
    expect(JSON.stringify(logged.embeds)).toContain('example[.]com');
    const action = await stack.db.prisma.moderationAction.findFirstOrThrow({ where: { guildId: stack.guild.id, kickMessageId: sent.messageId } });
    expect(action).toMatchObject({ kind: 'delete', filter: 'links', status: 'done' });

    const denied = await stack.discord.clickButton(logged, `modlog:ban:${action.id}`, stack.memberId);
    expect(responseText((await stack.discord.waitForInteractionResponse(denied, answered, 10_000)).data)).toContain('for moderators');
    await stack.kick.sendChat(stack.streamer.userId, viewer.userId, 'still here');

    const ban = await stack.discord.clickButton(logged, `modlog:ban:${action.id}`, stack.moderatorId, { permissions: MANAGE_GUILD });
    await stack.discord.waitForInteractionResponse(ban, answered, 10_000);
    await waitFor(() => JSON.stringify(stack.discord.messages(stack.guild.modLogChannelId).find((m) => m.id === logged.id)?.embeds).includes(`<@${stack.moderatorId}>: banned`), {
      description: 'the mod-log entry edited with who banned',
      timeoutMs: 15_000,
    });
    await expect(stack.kick.sendChat(stack.streamer.userId, viewer.userId, 'banned?')).rejects.toThrow(/banned/);
    // After the ban, Undo is offered on the entry (it was not for the deletion) and lifts it.
    const edited = () => stack.discord.messages(stack.guild.modLogChannelId).find((m) => m.id === logged.id)!;
    const undoButton = () => JSON.stringify(edited().components).match(/"custom_id":"modlog:undo:[^"]+"(,"[a-z_]+":[^,}]+)*/)?.[0] ?? '';
    expect(undoButton()).not.toContain('"disabled":true');
    const undo = await stack.discord.clickButton(edited(), `modlog:undo:${action.id}`, stack.moderatorId, { permissions: MANAGE_GUILD });
    await stack.discord.waitForInteractionResponse(undo, answered, 10_000);
    await waitFor(() => JSON.stringify(edited().embeds).includes(`<@${stack.moderatorId}>: unbanned`), { description: 'the entry edited with the undo', timeoutMs: 15_000 });
    await expect(stack.kick.sendChat(stack.streamer.userId, viewer.userId, 'free again')).resolves.toMatchObject({ messageId: expect.any(String) });
    expect(undoButton()).toContain('"disabled":true');

    const fp = await stack.discord.clickButton(logged, `modlog:fp:${action.id}`, stack.moderatorId, { permissions: MANAGE_GUILD });
    await stack.discord.waitForInteractionResponse(fp, answered, 10_000);
    expect(await stack.run('/filters view')).toContain('False positives marked in the mod log: 1');
  });

  it('/mod timeout and unban a Kick user by name, recorded and logged', async () => {
    const viewer = stack.createViewer('e2e_rowdy');
    await stack.kick.sendChat(stack.streamer.userId, viewer.userId, 'hello');
    await stack.drain();
    expect(await stack.run('/mod timeout user:e2e_rowdy minutes:5 reason:calm', { as: 'member' })).toContain('is for moderators');
    expect(await stack.run('/mod timeout user:e2e_rowdy minutes:5 reason:calm')).toContain('**e2e_rowdy** timed out for 5 minutes');
    await expect(stack.kick.sendChat(stack.streamer.userId, viewer.userId, 'timed out?')).rejects.toThrow(/banned/);
    expect(await stack.run('/mod unban user:e2e_rowdy')).toContain('**e2e_rowdy** unbanned');
    await expect(stack.kick.sendChat(stack.streamer.userId, viewer.userId, 'free')).resolves.toMatchObject({ messageId: expect.any(String) });
    expect(await stack.run('/mod ban user:nobody_by_that_name')).toContain('No Kick user named');
    const actions = await stack.db.prisma.moderationAction.findMany({ where: { guildId: stack.guild.id, kickUserId: viewer.userId }, orderBy: { createdAt: 'asc' } });
    expect(actions.map((a) => [a.kind, a.source, a.discordUserId])).toEqual([
      ['timeout', 'command', stack.moderatorId],
      ['unban', 'command', stack.moderatorId],
    ]);
    await waitFor(() => modLog().some((m) => JSON.stringify(m.embeds).includes('e2e_rowdy — unbanned')), { description: 'the unban in the mod log', timeoutMs: 15_000 });
  });
});
