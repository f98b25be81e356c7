import type { BotContext } from '../../context.ts';
import type { ChatCommand } from '../../kickChat/ChatCommand.ts';
import { recordGtbGuess } from './gtbService.ts';

/**
 * The parser's reason when it does not quote the viewer's text (e.g. "Use at most 2 decimals"), else nothing: Kick
 * chat never repeats what a viewer typed, so links or spam are not posted in the streamer's name.
 */
function echoFreeReason(reason: string, text: string): string {
  const typed = text.trim();
  return reason.includes('"') || reason.includes(typed) ? '' : ` (${reason.replace(/\.$/u, '')})`;
}

/** `!gtb <amount>`: one guess per viewer, changeable while the round is open. Replies never echo the guess text. */
export const gtbChatCommand: ChatCommand = {
  name: 'gtb-guess',
  matches: (chat) => chat.command?.name === 'gtb',
  async handle(chat, ctx: BotContext) {
    const text = chat.command?.rawArgs ?? '';
    const result = await recordGtbGuess(ctx, { guildId: chat.guildId, userId: chat.sender.userId, username: chat.sender.username, text, at: new Date(chat.payload.created_at) });
    const at = `@${chat.sender.username}`;
    if (result.outcome === 'invalid') await chat.reply(`${at} ${text.trim() === '' ? 'usage: !gtb <amount>, e.g. !gtb 1,234.50 or !gtb 1.2k' : `that's not an amount I can read${echoFreeReason(result.reason, text)} — try !gtb 1,234.50 or !gtb 1.2k`}`, 'gtb');
    else if (result.outcome === 'closed') await chat.reply(`${at} guesses are closed for this round.`, 'gtb');
    else if (result.outcome === 'no-round') await chat.reply(`${at} there is no guess-the-balance round right now.`, 'gtb');
  },
};
