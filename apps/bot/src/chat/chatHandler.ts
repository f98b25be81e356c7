import { isSubscriberFromBadges, KNOWN_BOT_USERNAMES, parseCommand, userLevelFromBadges } from '@kickcord/core';
import type { BotContext } from '../context.ts';
import type { KickEventHandler } from '../kickEvents/KickEventHandler.ts';
import { guildSettings } from '../loyalty/settings.ts';
import type { ChatCommandHandler, ChatMessageContext } from './ChatCommandHandler.ts';

/** Builds the chat handler: observers first, then the first matching command handler. */
export function createChatHandler(handlers: readonly ChatCommandHandler[]): KickEventHandler {
  return {
    name: 'chat',
    types: ['chat.message.sent'],
    async handle(ctx: BotContext, input) {
      if (input.event.type !== 'chat.message.sent' || !input.owner) return;
      const payload = input.event.payload;
      // The bot's own messages (and other bots') come back as chat events; never react to them.
      const senderName = payload.sender.username.toLowerCase();
      if (senderName === ctx.env.KICK_BOT_USERNAME.toLowerCase() || KNOWN_BOT_USERNAMES.includes(senderName)) return;
      const guildId = input.owner.guildId;
      // A plain read for every message (created with the defaults only the first time).
      const settings = await guildSettings(ctx.prisma, guildId);
      const badges = payload.sender.identity?.badges ?? [];
      const chat: ChatMessageContext = {
        guildId,
        broadcasterUserId: input.broadcasterUserId,
        messageId: payload.message_id,
        payload,
        sender: {
          userId: payload.sender.user_id,
          username: payload.sender.username,
          level: userLevelFromBadges(badges, { isBroadcaster: payload.sender.user_id === input.broadcasterUserId }),
          isSubscriber: isSubscriberFromBadges(badges),
        },
        settings,
        command: parseCommand(payload.content, { prefix: settings.commandPrefix }),
        reply: async (content, key = 'reply') => {
          await ctx.kickChat.send({ guildId, broadcasterUserId: input.broadcasterUserId, dedupeKey: `${key}:${payload.message_id}`, content, replyToMessageId: payload.message_id });
        },
      };
      for (const h of handlers) if (h.observe) await h.observe(chat, ctx);
      for (const h of handlers) {
        if (h.handle && h.matches && (await h.matches(chat, ctx))) {
          await h.handle(chat, ctx);
          return;
        }
      }
    },
  };
}
