import type { BotContext } from '../../context.ts';
import type { ChatCommand } from '../../kickChat/ChatCommand.ts';
import { recordGtbGuess } from './gtbService.ts';

/** The one hint a `!gtb` refusal ends with. */
export const GTB_CHAT_HINT = 'try !gtb 1,234.50 or !gtb 1.2k';

/**
 * The reply to a guess that could not be read: the parser's short problem (which never quotes the viewer's text, so
 * links or spam are not posted in the streamer's name) and one hint.
 */
export function gtbRefusal(text: string, problem: string): string {
  if (text.trim() === '') return `usage: !gtb <amount>, e.g. !gtb 1,234.50 or !gtb 1.2k`;
  return `that's not an amount I can read${problem === 'not an amount' ? '' : ` (${problem})`} — ${GTB_CHAT_HINT}`;
}

/** `!gtb <amount>`: one guess per viewer, changeable while the round is open. Replies never echo the guess text. */
export const gtbChatCommand: ChatCommand = {
  name: 'gtb-guess',
  matches: (chat) => chat.command?.name === 'gtb',
  async handle(chat, ctx: BotContext) {
    const text = chat.command?.rawArgs ?? '';
    const result = await recordGtbGuess(ctx, { guildId: chat.guildId, userId: chat.sender.userId, username: chat.sender.username, text, at: new Date(chat.payload.created_at) });
    const at = `@${chat.sender.username}`;
    if (result.outcome === 'invalid') await chat.reply(`${at} ${gtbRefusal(text, result.problem)}`, 'gtb');
    else if (result.outcome === 'closed') await chat.reply(`${at} guesses are closed for this round.`, 'gtb');
    else if (result.outcome === 'no-round') await chat.reply(`${at} there is no guess-the-balance round right now.`, 'gtb');
  },
};
