/**
 * `!quote` (a random quote), `!quote <n>` (quote number n) and `!quote add <text>` (the guild's quote-add
 * level, moderators by default). The text of a quote reaches chat only after someone of that level added it.
 */
import { meetsLevel } from '@kickcord/core';
import { builtinChatCommand, typedBuiltin } from '../../kickChat/builtinChatCommand.ts';
import { UserFacingError } from '../../UserFacingError.ts';
import { openSessionOf } from '../streams/streamSessions.ts';
import { addQuote, formatQuote, quoteByNumber, randomQuote } from './quotes.ts';

const LEVEL_WORDS = { everyone: 'everyone', subscriber: 'subscribers', vip: 'VIPs', moderator: 'moderators', broadcaster: 'the broadcaster' } as const;

/** `!quote`. */
export const quoteChatCommand = builtinChatCommand('quote', async (chat, ctx) => {
  const args = chat.command?.args ?? [];
  const first = args[0]?.toLowerCase();
  if (first === 'add') {
    const level = chat.settings.quoteAddLevel;
    if (!meetsLevel(chat.sender.level, level)) return `@${chat.sender.username} adding quotes is for ${LEVEL_WORDS[level]}${level === 'broadcaster' ? '' : ' and up'}.`;
    const text = (chat.command?.rawArgs ?? '').replace(/^\S+\s*/u, '');
    const session = await openSessionOf(ctx.prisma, chat.broadcasterUserId);
    try {
      const quote = await addQuote(ctx, {
        guildId: chat.guildId,
        text,
        category: session?.categoryName ?? null,
        addedByName: chat.sender.username,
        addedByKickUserId: chat.sender.userId,
        sourceMessageId: chat.messageId,
        addedAt: ctx.now(),
      });
      return `@${chat.sender.username} added quote #${quote.number}.`;
    } catch (error) {
      if (error instanceof UserFacingError) return `@${chat.sender.username} ${error.message}`;
      throw error;
    }
  }
  if (first !== undefined) {
    const number = Number(first.replace(/^#/, ''));
    if (!Number.isSafeInteger(number) || number < 1) return `@${chat.sender.username} usage: ${typedBuiltin(chat, 'quote')} [number] or ${typedBuiltin(chat, 'quote')} add <text>`;
    const quote = await quoteByNumber(ctx, chat.guildId, number);
    return quote ? formatQuote(quote) : `@${chat.sender.username} there is no quote #${number}.`;
  }
  const quote = await randomQuote(ctx, chat.guildId);
  return quote ? formatQuote(quote) : `No quotes yet — add one with ${typedBuiltin(chat, 'quote')} add <text>.`;
});
