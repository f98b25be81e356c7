import { ChannelType, DiscordAPIError, Routes, type APIChannel, type APIRole } from 'discord.js';
import type { BotContext } from '../context.ts';
import { UserFacingError } from '../UserFacingError.ts';

/** Discord's "Unknown Channel" / "Missing Access": the bot cannot see the channel, or it is not there. */
const CANNOT_SEE = new Set([10003, 50001]);

/**
 * The text or announcement channel `channelId` of `guildId`, read over REST (a worker has no gateway cache). A
 * dashboard form names channels by id, so this is what keeps one guild from pointing kickcord at another's.
 */
export async function requireGuildTextChannel(ctx: Pick<BotContext, 'discordRest'>, guildId: string, channelId: string): Promise<{ id: string; name: string }> {
  let channel: APIChannel;
  try {
    channel = (await ctx.discordRest.get(Routes.channel(channelId))) as APIChannel;
  } catch (error) {
    if (error instanceof DiscordAPIError && typeof error.code === 'number' && CANNOT_SEE.has(error.code)) throw new UserFacingError('I cannot see that channel: it is not in this server, or I have no access to it.');
    throw error;
  }
  if (!('guild_id' in channel) || channel.guild_id !== guildId) throw new UserFacingError('I cannot see that channel: it is not in this server, or I have no access to it.');
  if (channel.type !== ChannelType.GuildText && channel.type !== ChannelType.GuildAnnouncement) throw new UserFacingError(`#${channel.name ?? channelId} is not a text or announcement channel.`);
  return { id: channel.id, name: channel.name ?? channelId };
}

/** The role `roleId` of `guildId` (not @everyone), read over REST. */
export async function requireGuildRole(ctx: Pick<BotContext, 'discordRest'>, guildId: string, roleId: string): Promise<APIRole> {
  if (roleId === guildId) throw new UserFacingError('@everyone cannot be chosen here; pick a role of this server.');
  const roles = (await ctx.discordRest.get(Routes.guildRoles(guildId))) as APIRole[];
  const role = roles.find((r) => r.id === roleId);
  if (!role) throw new UserFacingError('That role is not a role of this server.');
  return role;
}
