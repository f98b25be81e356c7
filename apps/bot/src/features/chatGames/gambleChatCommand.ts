import { formatPointsAmount } from '@kickcord/core';
import { formatPoints } from '../../formatPoints.ts';
import type { ChatCommand } from '../../kickChat/ChatCommand.ts';
import { claimCooldown } from '../../kickChat/cooldowns.ts';
import { refusedBetReply } from './betReply.ts';
import type { RandomInt } from './bets.ts';
import { gamble } from './gambleService.ts';

/**
 * `!gamble <amount|all|N%>` — only when the guild turned gambling on (decided from the Redis-cached settings, so
 * ordinary chat costs no query). A viewer gambles once per cooldown; uses inside it are ignored silently.
 */
export function gambleChatCommand(randomInt: RandomInt): ChatCommand {
  return {
    name: 'gamble',
    matches: (chat) => chat.settings.gambleEnabled && chat.command?.name === 'gamble',
    async handle(chat, ctx) {
      const s = chat.settings;
      const at = `@${chat.sender.username}`;
      const cooldown = await claimCooldown(ctx, { guildId: chat.guildId, command: 'gamble', userId: chat.sender.userId, userLevel: 'everyone', globalCooldownSec: 0, userCooldownSec: s.gambleCooldownSec, now: ctx.now(), claimId: chat.messageId });
      if (!cooldown.allowed) return;
      const result = await gamble(ctx, {
        guildId: chat.guildId,
        messageId: chat.messageId,
        userId: chat.sender.userId,
        username: chat.sender.username,
        betText: chat.command?.args[0],
        winChance: s.gambleWinChance,
        minBet: s.gambleMinBet,
        maxBet: s.gambleMaxBet,
        randomInt,
      });
      if (result.outcome === 'duplicate') return;
      if (result.outcome === 'refused') {
        await chat.reply(refusedBetReply(at, `${s.commandPrefix}gamble <amount>`, result.bet, { min: s.gambleMinBet, max: s.gambleMaxBet }, result.balance), 'gamble');
        return;
      }
      await chat.reply(
        result.outcome === 'won'
          ? `🎲 ${at} won ${formatPointsAmount(result.bet)} and now has ${formatPoints(result.balance)}!`
          : `🎲 ${at} lost ${formatPointsAmount(result.bet)} and now has ${formatPoints(result.balance)}.`,
        'gamble',
      );
    },
  };
}
