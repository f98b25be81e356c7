import { isSubscriberFromBadges, KNOWN_BOT_USERNAMES, parseCommand, userLevelFromBadges } from '@kickcord/core';
import type { BotContext } from '../context.ts';
import type { FeatureSettings } from '../features/BotFeature.ts';
import { cachedGuildSettings } from '../guildSettings.ts';
import type { KickEventHandler } from '../kickEvents/KickEventHandler.ts';
import type { ChatCommand, ChatMessageContext } from './ChatCommand.ts';
import { composeTallies } from './chatTally.ts';

/** Guild settings of chat command parsing itself (every feature's chat commands use the prefix). */
export const CHAT_COMMAND_SETTINGS: FeatureSettings = { commandPrefix: '!' };

/** Orders chat commands for dispatch: as given, with the `fallback` ones (custom commands) last. */
export function dispatchOrder(commands: readonly ChatCommand[]): ChatCommand[] {
  return [...commands.filter((c) => !c.fallback), ...commands.filter((c) => c.fallback)];
}

/**
 * The Kick event handler for `chat.message.sent` in an owner guild: every observer sees the message and,
 * at the same time, the first chat command whose `matches` is true handles it (`fallback` commands are asked last).
 * Messages of the bot itself and of known bots are ignored.
 */
export function createChatCommandDispatcher(commands: readonly ChatCommand[]): KickEventHandler {
  const ordered = dispatchOrder(commands);
  const observers = ordered.filter((c) => c.observe);
  // Every feature's per-message Redis record (activity, first sight, timers' line count, badges) in one script.
  const tally = composeTallies(ordered.flatMap((c) => (c.tally ? [c.tally] : [])));
  const handlers = ordered.filter((c) => c.handle && c.matches);
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
      // From Redis for an ordinary message (created with the defaults only the first time).
      const settings = await cachedGuildSettings(ctx, guildId);
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
      // The tallies, the observers and command matching are independent: run them together, so an ordinary
      // message costs one round of Redis commands here (one script for every tally), not one per observer.
      const observed = observers.length > 0 ? Promise.all([tally(chat, ctx, input.jobConnection), ...observers.map((c) => c.observe?.(chat, ctx))]) : tally(chat, ctx, input.jobConnection);
      const handled = (async () => {
        for (const c of handlers) {
          // Most matchers answer synchronously (a name comparison): await only those that return a promise.
          const match = c.matches?.(chat, ctx);
          if (match === true || (match instanceof Promise && (await match))) {
            await c.handle?.(chat, ctx);
            return;
          }
        }
      })();
      await Promise.all([observed, handled]);
    },
  };
}
