/**
 * `!followage [@viewer]`: since when a viewer follows, as far as kickcord saw it. Kick's public API has no
 * follow dates, so the answer says the date is when kickcord saw the follow, and that an unseen follow is unknown.
 */
import { targetUsername } from '@kickcord/core';
import { builtinChatCommand } from '../../kickChat/builtinChatCommand.ts';
import { formatDay } from './formatDay.ts';
import { KICK_USERNAME_PATTERN } from './shoutoutChatCommand.ts';

/** `!followage`. */
export const followageChatCommand = builtinChatCommand('followage', async (chat, ctx) => {
  const target = targetUsername(chat.command?.args[0]);
  const self = target === undefined || target.toLowerCase() === chat.sender.username.toLowerCase();
  if (!self && !KICK_USERNAME_PATTERN.test(target)) return `@${chat.sender.username} that is not a Kick username.`;
  const follow = self
    ? await ctx.prisma.viewerFollow.findUnique({ where: { guildId_kickUserId: { guildId: chat.guildId, kickUserId: chat.sender.userId } } })
    : await ctx.prisma.viewerFollow.findFirst({ where: { guildId: chat.guildId, username: target.toLowerCase() }, orderBy: { firstSeenAt: 'asc' } });
  if (!follow) {
    // An unseen name is not repeated: only names Kick delivered reach chat.
    return `@${chat.sender.username} kickcord has not seen ${self ? 'you' : 'that viewer'} follow ${chat.payload.broadcaster.username} (Kick shares no follow dates; kickcord only knows follows it saw).`;
  }
  const verb = self ? 'you have been' : `${follow.username} has been`;
  return `@${chat.sender.username} ${verb} following ${chat.payload.broadcaster.username} since at least ${formatDay(follow.firstSeenAt)} (kickcord saw it).`;
});
