import { createHash } from 'node:crypto';
import { DiscordAPIError, Routes, type EmbedBuilder, type REST, type RESTPostAPIChannelMessageJSONBody, type RESTPostAPIChannelMessageResult } from 'discord.js';
import type { AnnouncementEvent } from '@kickcord/db';
import type { BotContext } from '../../context.ts';

/** Discord error codes that mean "this channel setting is broken" — retrying will not help. */
const BROKEN_CHANNEL_CODES = new Set([10003 /* Unknown Channel */, 50001 /* Missing Access */, 50013 /* Missing Permissions */, 50008 /* Cannot send in non-text channel */]);

/** The message to post; `content` already rendered from the guild's template. */
export interface AnnouncementMessage {
  content: string;
  roleId: string | null;
  embed?: EmbedBuilder;
}

/** Discord's nonce (≤ 25 chars): stable per guild and Kick message, so a retried post is deduplicated by Discord. */
export function announcementNonce(guildId: string, kickMessageId: string): string {
  return createHash('sha256').update(`${guildId}:${kickMessageId}`).digest('hex').slice(0, 25);
}

export type PostOutcome = 'posted' | 'already-posted' | 'broken';

/**
 * Posts an announcement exactly once per (guild, announcement key — the Kick message id, or for a go-live
 * the broadcaster and stream start, see `announcementKey`): a PostedAnnouncement row is
 * claimed first; a retry after a crash re-sends with the same nonce and `enforce_nonce`, so Discord
 * returns the original message instead of posting twice. A channel that is gone or forbidden marks
 * the setting broken (shown in /kick status) and is not retried.
 */
export async function postAnnouncement(
  ctx: BotContext,
  input: { guildId: string; kickMessageId: string; event: AnnouncementEvent; channelId: string; message: AnnouncementMessage },
): Promise<PostOutcome> {
  const nonce = announcementNonce(input.guildId, input.kickMessageId);
  const existing = await ctx.prisma.postedAnnouncement.findUnique({ where: { guildId_kickMessageId: { guildId: input.guildId, kickMessageId: input.kickMessageId } } });
  if (existing?.postedAt) return 'already-posted';
  if (!existing) {
    await ctx.prisma.postedAnnouncement.createMany({
      data: [{ guildId: input.guildId, kickMessageId: input.kickMessageId, event: input.event, discordChannelId: input.channelId, nonce }],
      skipDuplicates: true,
    });
  }

  try {
    const sent = await sendChannelMessage(ctx.discordRest, input.channelId, { ...input.message, nonce });
    await ctx.prisma.postedAnnouncement.update({
      where: { guildId_kickMessageId: { guildId: input.guildId, kickMessageId: input.kickMessageId } },
      data: { discordMessageId: sent.id, postedAt: ctx.now() },
    });
    ctx.logger.debug({ guildId: input.guildId, event: input.event, channelId: input.channelId, kickMessageId: input.kickMessageId, discordMessageId: sent.id }, 'announcement posted');
    return 'posted';
  } catch (error) {
    const reason = brokenChannelReason(error);
    if (reason === undefined) throw error;
    await ctx.prisma.announcementSetting.updateMany({ where: { guildId: input.guildId, event: input.event }, data: { brokenReason: reason, brokenAt: ctx.now() } });
    ctx.logger.warn({ guildId: input.guildId, event: input.event, channelId: input.channelId, reason }, 'announcement channel broken; setting marked');
    return 'broken';
  }
}

/**
 * Posts a message into a channel over Discord REST (no gateway session needed, so any worker can): the role
 * ping is the only mention allowed, and `enforce_nonce` makes Discord answer a repeated nonce with the
 * message it already created instead of posting again.
 */
export async function sendChannelMessage(rest: Pick<REST, 'post'>, channelId: string, message: AnnouncementMessage & { nonce: string }): Promise<RESTPostAPIChannelMessageResult> {
  const body: RESTPostAPIChannelMessageJSONBody = {
    content: message.roleId ? `<@&${message.roleId}> ${message.content}` : message.content,
    allowed_mentions: message.roleId ? { roles: [message.roleId] } : { parse: [] },
    nonce: message.nonce,
    enforce_nonce: true,
    ...(message.embed ? { embeds: [message.embed.toJSON()] } : {}),
  };
  return (await rest.post(Routes.channelMessages(channelId), { body })) as RESTPostAPIChannelMessageResult;
}

/** Why a post failed for good because of the channel setting (gone, forbidden, not a text channel), or undefined. */
export function brokenChannelReason(error: unknown): string | undefined {
  if (error instanceof DiscordAPIError && typeof error.code === 'number' && BROKEN_CHANNEL_CODES.has(error.code)) return `${error.message} (Discord code ${error.code})`;
  return undefined;
}
