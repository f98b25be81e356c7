import { BUILTIN_CHAT_COMMANDS, builtinChatCommand } from '../../kickChat/builtinChatCommand.ts';

/** `!commands`: the built-in chat commands, then the guild's enabled custom commands (by name). */
export const commandsChatCommand = builtinChatCommand('commands', async (chat, ctx) => {
  const prefix = chat.settings.commandPrefix;
  const custom = await ctx.prisma.chatCommand.findMany({ where: { guildId: chat.guildId, enabled: true }, select: { name: true }, orderBy: { name: 'asc' } });
  const names = [...BUILTIN_CHAT_COMMANDS, ...custom.map((c) => c.name)].map((n) => `${prefix}${n}`);
  return `Commands: ${names.join(', ')}`;
});
