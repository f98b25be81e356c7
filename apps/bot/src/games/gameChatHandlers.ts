import type { Raffle } from '@kickcord/db';
import type { ChatCommandHandler, ChatMessageContext } from '../chat/ChatCommandHandler.ts';
import type { BotContext } from '../context.ts';
import { formatPoints } from './shared.ts';
import { recordGtbGuess } from './gtbService.ts';
import { activeRaffle, enterRaffle, mayBeRaffleKeyword } from './raffleService.ts';
import { callSlot } from './slotCallService.ts';
import { countChatLine } from './timerService.ts';

/** The raffle a message's `matches` found, reused by `handle`. */
const matchedRaffle = new WeakMap<ChatMessageContext, Raffle>();

/** The first word of a message, lower-cased (a raffle keyword is matched against it). */
function firstWord(content: string): string {
  return content.trim().split(/\s+/u, 1)[0]?.toLowerCase() ?? '';
}

/** Viewers enter the open raffle by typing its keyword (default `!join`) as the first word of a message. */
export const raffleEntryChatHandler: ChatCommandHandler = {
  name: 'raffle-entry',
  async matches(chat, ctx) {
    const word = firstWord(chat.payload.content);
    if (word.length === 0 || word.length > 32) return false;
    // Most messages stop here on a Redis hint, without a database query.
    if (!(await mayBeRaffleKeyword(ctx, chat.guildId, word))) return false;
    const raffle = await activeRaffle(ctx, chat.guildId);
    if (!raffle || raffle.status !== 'open' || raffle.keyword !== word) return false;
    matchedRaffle.set(chat, raffle);
    return true;
  },
  async handle(chat, ctx) {
    const raffle = matchedRaffle.get(chat) ?? (await activeRaffle(ctx, chat.guildId));
    if (!raffle) return;
    const result = await enterRaffle(ctx, raffle, chat.sender);
    if (result.outcome === 'insufficient') {
      await chat.reply(`@${chat.sender.username} entering costs ${formatPoints(result.cost)} points — you have ${formatPoints(result.balance)}.`, 'raffle');
    }
  },
};

/** `!gtb <amount>`: one guess per viewer, changeable while the round is open. */
export const gtbChatHandler: ChatCommandHandler = {
  name: 'gtb-guess',
  matches: (chat) => chat.command?.name === 'gtb',
  async handle(chat, ctx: BotContext) {
    const text = chat.command?.rawArgs ?? '';
    const result = await recordGtbGuess(ctx, { guildId: chat.guildId, userId: chat.sender.userId, username: chat.sender.username, text, at: new Date(chat.payload.created_at) });
    const at = `@${chat.sender.username}`;
    if (result.outcome === 'invalid') await chat.reply(`${at} ${text.trim() === '' ? 'usage: !gtb <amount>, e.g. !gtb 1,234.50 or !gtb 1.2k' : `that's not an amount (${result.reason}) — try !gtb 1,234.50 or !gtb 1.2k`}`, 'gtb');
    else if (result.outcome === 'closed') await chat.reply(`${at} guesses are closed for this round.`, 'gtb');
    else if (result.outcome === 'no-round') await chat.reply(`${at} there is no guess-the-balance round right now.`, 'gtb');
  },
};

/** `!call <slot name>`: queues a viewer's slot call. */
export const slotCallChatHandler: ChatCommandHandler = {
  name: 'slot-call',
  matches: (chat) => chat.command?.name === 'call',
  async handle(chat, ctx) {
    const result = await callSlot(ctx, {
      guildId: chat.guildId,
      messageId: chat.messageId,
      userId: chat.sender.userId,
      username: chat.sender.username,
      text: chat.command?.rawArgs ?? '',
      at: new Date(chat.payload.created_at),
    });
    const at = `@${chat.sender.username}`;
    switch (result.outcome) {
      case 'queued':
        await chat.reply(`${at} called ${result.call.slotName} — #${result.position} in the queue${result.merged > 0 ? ` (${result.merged + 1} callers)` : ''}.`, 'call');
        break;
      case 'closed':
        await chat.reply(`${at} slot calls are closed right now.`, 'call');
        break;
      case 'invalid':
        await chat.reply(`${at} ${result.reason}`, 'call');
        break;
      case 'already':
        await chat.reply(`${at} you already have a call in the queue (${result.slotName}).`, 'call');
        break;
      case 'insufficient':
        await chat.reply(`${at} a slot call costs ${formatPoints(result.cost)} points — you have ${formatPoints(result.balance)}.`, 'call');
        break;
      case 'duplicate':
        break;
    }
  },
};

/** Counts every chat line for the timers' minimum-chat-lines rule (once per Kick message id). */
export const timerLineObserver: ChatCommandHandler = {
  name: 'timer-lines',
  async observe(chat, ctx) {
    await countChatLine(ctx, chat.guildId, chat.messageId);
  },
};

/** Every games chat handler, in priority order (register these in chat/registry.ts). */
export const gameChatHandlers: ChatCommandHandler[] = [timerLineObserver, raffleEntryChatHandler, gtbChatHandler, slotCallChatHandler];
