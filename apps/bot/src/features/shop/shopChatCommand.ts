import { fitChatMessage } from '@kickcord/core';
import { KICK_CHAT_MAX_LENGTH } from '@kickcord/kick';
import { formatPoints } from '../../formatPoints.ts';
import type { ChatCommand } from '../../kickChat/ChatCommand.ts';
import { claimCooldown } from '../../kickChat/cooldowns.ts';
import { listShopItems } from './shopItems.ts';

/** Seconds a viewer waits between two `!shop` answers (moderators and the broadcaster do not). */
export const SHOP_LIST_COOLDOWN_SEC = 5;

/** The `!shop` line: every enabled item with its price (sold-out ones marked), cut to Kick's message limit. */
export function shopLine(prefix: string, items: readonly { name: string; price: number; stock: number | null }[]): string {
  if (items.length === 0) return '🛒 The shop is empty right now.';
  const list = items.map((i) => `${i.name} ${formatPoints(i.price)}${i.stock === 0 ? ' (sold out)' : ''}`).join(' · ');
  const how = ` — ${prefix}redeem <item>`;
  return `${fitChatMessage(`🛒 ${list}`, KICK_CHAT_MAX_LENGTH - how.length)}${how}`;
}

/** `!shop`: lists the guild's shop items briefly in Kick chat. */
export const shopChatCommand: ChatCommand = {
  name: 'shop-list',
  matches: (chat) => chat.command?.name === 'shop',
  async handle(chat, ctx) {
    const decision = await claimCooldown(ctx, { guildId: chat.guildId, command: 'shop', userId: chat.sender.userId, userLevel: chat.sender.level, globalCooldownSec: 0, userCooldownSec: SHOP_LIST_COOLDOWN_SEC, now: ctx.now(), claimId: chat.messageId });
    if (!decision.allowed) return;
    const items = await listShopItems(ctx, chat.guildId, { enabledOnly: true });
    await chat.reply(shopLine(chat.settings.commandPrefix, items), 'shop');
  },
};
