import type { BotContext } from '../context.ts';
import type { ChatCommand, ChatMessageContext } from './ChatCommand.ts';
import { claimCooldown } from './cooldowns.ts';

/** The built-in chat commands, in the order `!commands` lists them (before the guild's custom commands). */
export const BUILTIN_CHAT_COMMANDS = ['points', 'watchtime', 'top', 'commands', 'uptime'] as const;
/** The name of a built-in chat command (without prefix). */
export type BuiltinChatCommandName = (typeof BUILTIN_CHAT_COMMANDS)[number];
/** Seconds a viewer waits between two uses of the same built-in (moderators and the broadcaster do not). */
export const BUILTIN_USER_COOLDOWN_SEC = 5;

/**
 * A built-in chat command `<prefix><name>` answered with one reply. A per-viewer cooldown of
 * {@link BUILTIN_USER_COOLDOWN_SEC} keeps one viewer from flooding replies.
 */
export function builtinChatCommand(name: BuiltinChatCommandName, reply: (chat: ChatMessageContext, ctx: BotContext) => Promise<string>): ChatCommand {
  return {
    name: `builtin-${name}`,
    matches: (chat) => chat.command?.name === name,
    async handle(chat, ctx) {
      const decision = await claimCooldown(ctx, {
        guildId: chat.guildId,
        command: `builtin:${name}`,
        userId: chat.sender.userId,
        userLevel: chat.sender.level,
        globalCooldownSec: 0,
        userCooldownSec: BUILTIN_USER_COOLDOWN_SEC,
        now: ctx.now(),
        claimId: chat.messageId,
      });
      if (!decision.allowed) return;
      await chat.reply(await reply(chat, ctx), `builtin-${name}`);
    },
  };
}
