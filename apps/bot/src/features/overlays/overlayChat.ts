import type { OverlayChatLine } from '@kickcord/queue';
import type { ChatCommand, ChatMessageContext } from '../../kickChat/ChatCommand.ts';
import { cachedChatFilters } from '../chatFilters/filterRules.ts';
import { publishOnce } from './overlayAlerts.ts';
import { overlayGuilds } from './overlayKeys.ts';

/** Longest chat line put on the chat box (Kick allows 500 characters). */
export const MAX_CHAT_LINE_LENGTH = 500;
/** A chat line's "already published" mark lives this long (a retried job comes within minutes). */
export const CHAT_LINE_SEEN_TTL_SECONDS = 3600;

/** Kick's inline emote tokens `[emote:ID:NAME]` (the chat box shows the name). */
const EMOTE_TOKEN = /\[emote:\d+:([^\]\s]*)\]/g;
/** A username colour worth passing on (`#rgb` / `#rrggbb`). */
const COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

/** The chat box's line for a Kick chat message: emotes by name, length-limited, with the sender's colour if any. */
export function chatLine(chat: Pick<ChatMessageContext, 'payload'>): OverlayChatLine | null {
  const text = chat.payload.content.replace(EMOTE_TOKEN, (_, name: string) => name).trim();
  if (!text) return null;
  const color = chat.payload.sender.identity?.username_color ?? null;
  return {
    type: 'chat',
    user: chat.payload.sender.username,
    text: text.length > MAX_CHAT_LINE_LENGTH ? `${text.slice(0, MAX_CHAT_LINE_LENGTH - 1)}…` : text,
    ...(color && COLOR.test(color) ? { color } : {}),
  };
}

/**
 * The chat box: every chat message of an owner guild's channel, published on the guild's overlay stream — only for
 * a guild with a live overlay key (told from this process's copy of the list of such guilds: an ordinary message of
 * a guild without overlays costs no Redis round trip and no PostgreSQL statement here). A message the guild's chat
 * filters would catch is never shown; each message is published once, even when its job is retried.
 */
export const overlayChatObserver: ChatCommand = {
  name: 'overlay-chat',
  async observe(chat, ctx) {
    const withOverlays = await overlayGuilds(ctx);
    if (!withOverlays.has(chat.guildId)) return;
    const line = chatLine(chat);
    if (!line) return;
    const filters = await cachedChatFilters(ctx, chat.guildId);
    if (filters.check({ content: chat.payload.content, senderLevel: chat.sender.level }).length > 0) return;
    await publishOnce(ctx, chat.guildId, `chat:${chat.messageId}`, line, CHAT_LINE_SEEN_TTL_SECONDS);
  },
};
