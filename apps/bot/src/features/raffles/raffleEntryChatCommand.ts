import { formatPointsAmount } from '@kickcord/core';
import type { Raffle } from '@kickcord/db';
import { formatPoints } from '../../formatPoints.ts';
import type { ChatCommand, ChatMessageContext } from '../../kickChat/ChatCommand.ts';
import { activeRaffle, enterRaffle, mayBeRaffleKeyword } from './raffleService.ts';

/** The raffle a message's `matches` found, reused by `handle`. */
const matchedRaffle = new WeakMap<ChatMessageContext, Raffle>();

/** The first word of a message, lower-cased (a raffle keyword is matched against it). */
function firstWord(content: string): string {
  return content.trim().split(/\s+/u, 1)[0]?.toLowerCase() ?? '';
}

/** Viewers enter the open raffle by typing its keyword (default `!join`) as the first word of a message. */
export const raffleEntryChatCommand: ChatCommand = {
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
      await chat.reply(`@${chat.sender.username} entering costs ${formatPointsAmount(result.cost)} — you have ${formatPoints(result.balance)}.`, 'raffle');
    }
  },
};
