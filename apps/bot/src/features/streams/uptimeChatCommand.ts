import { formatUptime } from '@kickcord/core';
import { builtinChatCommand } from '../../kickChat/builtinChatCommand.ts';
import { openSessionOf } from './streamSessions.ts';

/** `!uptime`: how long the current stream has been live, or that the channel is offline. */
export const uptimeChatCommand = builtinChatCommand('uptime', async (chat, ctx) => {
  const name = chat.payload.broadcaster.username;
  const session = await openSessionOf(ctx.prisma, chat.broadcasterUserId);
  if (!session) return `${name} is offline.`;
  return `${name} has been live for ${formatUptime(session.startedAt, ctx.now())}.`;
});
