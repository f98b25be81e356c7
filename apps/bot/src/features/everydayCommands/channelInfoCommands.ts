/**
 * `!title` and `!game`: everyone reads the stream title and category; moderators change them
 * (`!title <text>`, `!game <name>`) through Kick's `PATCH /public/v1/channels` with the streamer's token,
 * which needs the `channel:write` scope. `!game <name>` finds the category through Kick's category search.
 */
import { meetsLevel } from '@kickcord/core';
import { KickApiError, type KickApiClient } from '@kickcord/kick';
import type { BotContext } from '../../context.ts';
import { builtinChatCommand, typedBuiltin } from '../../kickChat/builtinChatCommand.ts';
import type { ChatMessageContext } from '../../kickChat/ChatCommand.ts';
import type { RequestedScope } from '../../requireScopes.ts';
import { channelClient } from './channelClient.ts';
import { findCategory } from './findCategory.ts';

/** The scope Kick asks for to change a channel's title or category. */
export const CHANNEL_WRITE_SCOPE = 'channel:write' satisfies RequestedScope;

/** The stored title and category of the channel (kept by Kick's events and the live-status poll), else Kick's answer. */
async function channelInfo(ctx: BotContext, broadcasterUserId: number): Promise<{ title: string | null; category: string | null }> {
  const row = await ctx.prisma.kickChannel.findUnique({ where: { broadcasterUserId }, select: { streamTitle: true, categoryName: true } });
  if (row?.streamTitle && row.categoryName) return { title: row.streamTitle, category: row.categoryName };
  try {
    const [channel] = await ctx.kickApp.getChannels({ broadcasterUserIds: [broadcasterUserId] });
    return { title: row?.streamTitle || channel?.streamTitle || null, category: row?.categoryName || channel?.category?.name || null };
  } catch (error) {
    ctx.logger.debug({ err: error, broadcasterUserId }, 'channel lookup for !title/!game failed');
    return { title: row?.streamTitle ?? null, category: row?.categoryName ?? null };
  }
}

/** Kick's reason for refusing a change, for chat (Kick's own words, never the token). */
function refusal(error: unknown): string | null {
  if (!(error instanceof KickApiError) || error.status >= 500 || error.status === 429) return null;
  return (error.reason ?? `HTTP ${error.status}`).slice(0, 120);
}

/** Runs a channel change; answers the moderator with what Kick said. Kick outages (5xx, 429) retry the job. */
async function changeChannel(chat: ChatMessageContext, ctx: BotContext, what: string, change: (client: KickApiClient) => Promise<string>): Promise<string> {
  const access = await channelClient(ctx, chat.guildId, [CHANNEL_WRITE_SCOPE], what);
  if (!access.ok) return `@${chat.sender.username} ${access.problem}`;
  try {
    return await change(access.client);
  } catch (error) {
    const reason = refusal(error);
    if (reason === null) throw error;
    return `@${chat.sender.username} Kick refused the change: ${reason}`;
  }
}

/** `!title` (everyone) and `!title <text>` (moderators; `channel:write`). */
export const titleChatCommand = builtinChatCommand('title', async (chat, ctx) => {
  const text = chat.command?.rawArgs ?? '';
  if (text.length === 0) {
    const { title } = await channelInfo(ctx, chat.broadcasterUserId);
    return title ? `Title: ${title}` : `${chat.payload.broadcaster.username} has no stream title set.`;
  }
  if (!meetsLevel(chat.sender.level, 'moderator')) return `@${chat.sender.username} only moderators can change the title.`;
  return changeChannel(chat, ctx, `${typedBuiltin(chat, 'title')} <text>`, async (client) => {
    await client.updateChannel({ streamTitle: text });
    await ctx.prisma.kickChannel.updateMany({ where: { broadcasterUserId: chat.broadcasterUserId }, data: { streamTitle: text } });
    await ctx.prisma.streamSession.updateMany({ where: { openBroadcasterUserId: chat.broadcasterUserId }, data: { title: text } });
    return `@${chat.sender.username} the title is now: ${text}`;
  });
});

/** `!game` (everyone) and `!game <name>` (moderators; `channel:write`; the category from Kick's search). */
export const gameChatCommand = builtinChatCommand('game', async (chat, ctx) => {
  const query = chat.command?.rawArgs ?? '';
  if (query.length === 0) {
    const { category } = await channelInfo(ctx, chat.broadcasterUserId);
    return category ? `Category: ${category}` : `${chat.payload.broadcaster.username} has no category set.`;
  }
  if (!meetsLevel(chat.sender.level, 'moderator')) return `@${chat.sender.username} only moderators can change the category.`;
  return changeChannel(chat, ctx, `${typedBuiltin(chat, 'game')} <name>`, async (client) => {
    const category = await findCategory(client, query);
    if (!category) return `@${chat.sender.username} Kick has no category matching that name.`;
    await client.updateChannel({ categoryId: category.id });
    await ctx.prisma.kickChannel.updateMany({ where: { broadcasterUserId: chat.broadcasterUserId }, data: { categoryName: category.name } });
    await ctx.prisma.streamSession.updateMany({ where: { openBroadcasterUserId: chat.broadcasterUserId }, data: { categoryName: category.name } });
    return `@${chat.sender.username} the category is now ${category.name}.`;
  });
});
