import { formatPointsAmount } from '@kickcord/core';
import { formatPoints } from '../../formatPoints.ts';
import type { ChatCommand } from '../../kickChat/ChatCommand.ts';
import { claimCooldown } from '../../kickChat/cooldowns.ts';
import { refusedBetReply } from './betReply.ts';
import type { RandomInt } from './bets.ts';
import { acceptDuel, challengeDuel } from './duelService.ts';

/** `!duel @viewer <amount>` — only when the guild turned duels on (from the Redis-cached settings). */
export const duelChatCommand: ChatCommand = {
  name: 'duel',
  matches: (chat) => chat.settings.duelEnabled && chat.command?.name === 'duel',
  async handle(chat, ctx) {
    const s = chat.settings;
    const at = `@${chat.sender.username}`;
    const usage = `${s.commandPrefix}duel @viewer <amount>`;
    const cooldown = await claimCooldown(ctx, { guildId: chat.guildId, command: 'duel', userId: chat.sender.userId, userLevel: 'everyone', globalCooldownSec: 0, userCooldownSec: s.duelCooldownSec, now: ctx.now(), claimId: chat.messageId });
    if (!cooldown.allowed) return;
    const result = await challengeDuel(ctx, {
      guildId: chat.guildId,
      broadcasterUserId: chat.broadcasterUserId,
      messageId: chat.messageId,
      userId: chat.sender.userId,
      username: chat.sender.username,
      opponentText: chat.command?.args[0],
      betText: chat.command?.args[1],
      minBet: s.duelMinBet,
      maxBet: s.duelMaxBet,
      expirySec: s.duelExpirySec,
    });
    switch (result.outcome) {
      case 'challenged':
        await chat.reply(`⚔️ @${result.duel.opponentName}, ${at} challenges you to a duel for ${formatPointsAmount(result.duel.stake)}! Type ${s.commandPrefix}accept within ${s.duelExpirySec}s.`, 'duel');
        return;
      case 'duplicate':
        return;
      case 'usage':
        await chat.reply(`${at} usage: ${usage}`, 'duel');
        return;
      case 'unknown-opponent':
        await chat.reply(`${at} that viewer has not been seen in this chat yet.`, 'duel');
        return;
      case 'self':
        await chat.reply(`${at} you cannot duel yourself.`, 'duel');
        return;
      case 'already':
        await chat.reply(`${at} you already challenged @${result.opponentName} — wait for them to accept or for the challenge to expire.`, 'duel');
        return;
      case 'refused':
        await chat.reply(refusedBetReply(at, usage, result.bet, { min: s.duelMinBet, max: s.duelMaxBet }, result.balance), 'duel');
        return;
    }
  },
};

/** `!accept [@challenger]`: accepts a duel challenge (only when duels are on). */
export function acceptChatCommand(randomInt: RandomInt): ChatCommand {
  return {
    name: 'duel-accept',
    matches: (chat) => chat.settings.duelEnabled && chat.command?.name === 'accept',
    async handle(chat, ctx) {
      const at = `@${chat.sender.username}`;
      const result = await acceptDuel(ctx, { guildId: chat.guildId, userId: chat.sender.userId, username: chat.sender.username, challengerText: chat.command?.args[0], randomInt });
      if (result.outcome === 'none') {
        await chat.reply(`${at} nobody has challenged you (or the challenge expired).`, 'accept');
        return;
      }
      if (result.outcome === 'insufficient') {
        await chat.reply(`${at} the duel is for ${formatPointsAmount(result.duel.stake)} — you have ${formatPoints(result.balance)}.`, 'accept');
        return;
      }
      await chat.reply(`⚔️ @${result.winner.name} wins the duel against @${result.loser.name} and takes ${formatPointsAmount(result.duel.stake * 2)}!`, 'accept');
    },
  };
}
