import { findLinkByKick } from '@kickcord/connections';
import { formatPointsAmount } from '@kickcord/core';
import { formatPoints } from '../../formatPoints.ts';
import type { ChatCommand } from '../../kickChat/ChatCommand.ts';
import { purchaseItem, type PurchaseResult } from './redemptions.ts';

/**
 * The Kick chat answer to a purchase, or null for none (a duplicate delivery, or a chat message item whose
 * own message is the answer). It names the item and never repeats the viewer's input or anything else they typed.
 */
export function redeemReply(at: string, prefix: string, result: PurchaseResult): string | null {
  switch (result.outcome) {
    case 'bought': {
      const { item, delivery } = result;
      if (delivery.state === 'refunded') return `${at} kickcord could not give you ${item.name} right now, so you got your ${formatPointsAmount(item.price)} back. The moderators have been told.`;
      if (item.kind === 'chat') return null;
      if (item.kind === 'role') return `${at} you bought ${item.name}: your Discord role is there${item.roleDays ? ` for ${item.roleDays} ${item.roleDays === 1 ? 'day' : 'days'}` : ''}! (${formatPointsAmount(result.balance)} left)`;
      return `${at} you redeemed ${item.name} for ${formatPointsAmount(item.price)} — a moderator will take care of it. (${formatPointsAmount(result.balance)} left)`;
    }
    case 'duplicate':
      return null;
    case 'unknown-item':
      return `${at} there is no such item — type ${prefix}shop for the list.`;
    case 'sold-out':
      return `${at} ${result.item.name} is sold out.`;
    case 'limit':
      return `${at} you already bought ${result.item.name} as often as one viewer may (${result.item.perViewerLimit}).`;
    case 'cooldown':
      return `${at} you can buy ${result.item.name} again in ${result.retryInSec}s.`;
    case 'insufficient':
      return `${at} ${result.item.name} costs ${formatPointsAmount(result.item.price)} — you have ${formatPoints(result.balance)}.`;
    case 'input-required':
      return `${at} ${result.item.name} needs your input: ${prefix}redeem ${result.item.name} <${result.item.inputPrompt ?? 'text'}>`;
    case 'input-too-long':
      return `${at} that input is too long for ${result.item.name}: keep it short.`;
    case 'not-linked':
      return `${at} ${result.item.name} gives a Discord role: link your Discord account first (/link in the Discord server).`;
  }
}

/** `!redeem <item> [input]`: buys a shop item with points. */
export const redeemChatCommand: ChatCommand = {
  name: 'shop-redeem',
  matches: (chat) => chat.command?.name === 'redeem',
  async handle(chat, ctx) {
    const rawArgs = chat.command?.rawArgs ?? '';
    const itemName = rawArgs.split(/\s+/u, 1)[0] ?? '';
    const at = `@${chat.sender.username}`;
    const prefix = chat.settings.commandPrefix;
    if (!itemName) {
      await chat.reply(`${at} type ${prefix}redeem <item> — ${prefix}shop lists the items.`, 'redeem');
      return;
    }
    const result = await purchaseItem(ctx, {
      guildId: chat.guildId,
      itemName,
      buyer: { kickUserId: chat.sender.userId, username: chat.sender.username, discordUserId: (await findLinkByKick(ctx.prisma, chat.sender.userId))?.discordUserId ?? null },
      input: rawArgs.slice(itemName.length).trim() || null,
      source: { kind: 'kick', messageId: chat.messageId },
    });
    const reply = redeemReply(at, prefix, result);
    if (reply) await chat.reply(reply, 'redeem');
  },
};
