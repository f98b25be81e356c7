import { BUILTIN_CHAT_COMMANDS, BUILTIN_USER_COOLDOWN_SEC, builtinCommandName, type BuiltinChatCommandName } from '@kickcord/core';
import type { BotContext } from '../context.ts';
import type { ChatCommand, ChatMessageContext } from './ChatCommand.ts';
import { claimCooldown } from './cooldowns.ts';

export { BUILTIN_CHAT_COMMANDS, BUILTIN_USER_COOLDOWN_SEC };
export type { BuiltinChatCommandName };

/**
 * The name a built-in answers to in the message's guild (null when the guild turned it off). Read from the
 * guild's settings, which the chat path already holds (no query).
 */
export function builtinNameFor(chat: Pick<ChatMessageContext, 'settings'>, builtin: BuiltinChatCommandName): string | null {
  return builtinCommandName(chat.settings.builtinCommands, builtin);
}

/** The command as viewers type it in this guild, e.g. `!shoutout` for a renamed `!so`. */
export function typedBuiltin(chat: Pick<ChatMessageContext, 'settings'>, builtin: BuiltinChatCommandName): string {
  return `${chat.settings.commandPrefix}${builtinNameFor(chat, builtin) ?? builtin}`;
}

/**
 * Claims the built-ins' per-viewer cooldown of {@link BUILTIN_USER_COOLDOWN_SEC} for one use of `command`
 * (moderators and the broadcaster pass). False: the viewer used it too recently, stay silent.
 */
export async function claimBuiltinCooldown(chat: ChatMessageContext, ctx: BotContext, command: string): Promise<boolean> {
  const decision = await claimCooldown(ctx, {
    guildId: chat.guildId,
    command,
    userId: chat.sender.userId,
    userLevel: chat.sender.level,
    globalCooldownSec: 0,
    userCooldownSec: BUILTIN_USER_COOLDOWN_SEC,
    now: ctx.now(),
    claimId: chat.messageId,
  });
  return decision.allowed;
}

/**
 * A built-in chat command `<prefix><name>` answered with at most one reply (`null` = stay silent). It answers
 * to the name the guild gave it (`/commands builtin rename`) and not at all when the guild turned it off. A
 * per-viewer cooldown of {@link BUILTIN_USER_COOLDOWN_SEC} keeps one viewer from flooding replies.
 */
export function builtinChatCommand(name: BuiltinChatCommandName, reply: (chat: ChatMessageContext, ctx: BotContext) => Promise<string | null>): ChatCommand {
  return {
    name: `builtin-${name}`,
    matches: (chat) => chat.command !== null && chat.command.name === builtinNameFor(chat, name),
    async handle(chat, ctx) {
      if (!(await claimBuiltinCooldown(chat, ctx, `builtin:${name}`))) return;
      const text = await reply(chat, ctx);
      if (text) await chat.reply(text, `builtin-${name}`);
    },
  };
}
