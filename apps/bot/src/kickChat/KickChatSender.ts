import { ReauthRequiredError, type ChatReplyCounts, type KickConnectionStore } from '@kickcord/connections';
import { fitChatMessage } from '@kickcord/core';
import type { PrismaClient } from '@kickcord/db';
import { KICK_CHAT_MAX_LENGTH, KickApiClient, KickApiError } from '@kickcord/kick';
import type { RedisConnection } from '@kickcord/queue';
import type { Logger } from '../logger.ts';
import type { RedisKeys } from '../redisKeys.ts';

/** A reply still `pending` this long after its claim was left by a process that stopped while sending it. */
export const STUCK_REPLY_AFTER_MS = 5 * 60_000;
/** `error` of a reply expired by {@link expireStuckReplies}. */
export const STUCK_REPLY_ERROR = 'not confirmed: the process stopped while sending';

/**
 * Marks replies left `pending` for {@link STUCK_REPLY_AFTER_MS} (a crash between the claim and Kick's answer)
 * as `failed` with {@link STUCK_REPLY_ERROR}, so /kick status shows them; whether Kick posted them is unknown,
 * and they are never sent again (that could post twice). Returns how many were expired.
 */
export async function expireStuckReplies(prisma: PrismaClient, now: Date, olderThanMs: number = STUCK_REPLY_AFTER_MS): Promise<number> {
  const { count } = await prisma.outgoingChatMessage.updateMany({
    where: { status: 'pending', createdAt: { lt: new Date(now.getTime() - olderThanMs) } },
    data: { status: 'failed', error: STUCK_REPLY_ERROR },
  });
  return count;
}

export { chatReplyCounts } from '@kickcord/connections';
export type { ChatReplyCounts } from '@kickcord/connections';

/** One line for /kick status, or null when no reply is pending or failed. */
export function describeChatReplyCounts(counts: ChatReplyCounts): string | null {
  if (counts.pending === 0 && counts.failed === 0) return null;
  return `${counts.pending} pending, ${counts.failed} failed in the last 24 h`;
}

/** Outgoing chat limit per Kick channel (our own, below Kick's unpublished quota). */
export interface ChatRateLimit {
  messages: number;
  windowSeconds: number;
}
export const DEFAULT_CHAT_RATE_LIMIT: ChatRateLimit = { messages: 20, windowSeconds: 30 };

/** `lastError` of a connection whose chat token Kick refused twice (shown in /kick status and the notice). */
export const CHAT_REAUTH_REASON = 'Kick refused the chat token twice (401, also after a refresh) — the streamer must connect again';

/** Kick's answer to `type:"bot"` chat from an app whose bot is not enabled: a 5xx (reported in the wild) or a 403. */
function isBotTypeRefused(error: unknown): error is KickApiError {
  return error instanceof KickApiError && (error.status >= 500 || error.status === 403);
}

function isUnauthorized(error: unknown): boolean {
  return error instanceof KickApiError && error.status === 401;
}

export type ChatSendOutcome = 'sent' | 'duplicate' | 'rate_limited' | 'failed';

/** One reply to post in Kick chat. `dedupeKey` makes a retried job send at most once (e.g. `reply:<kick message id>`). */
export interface ChatReply {
  guildId: string;
  broadcasterUserId: number;
  dedupeKey: string;
  content: string;
  replyToMessageId?: string | null;
}


/** Attempts to record a reply Kick accepted as `sent` (100, 200, 400, 800 ms, then 1 s between them). */
const SENT_RECORD_ATTEMPTS = 9;
/**
 * Sends bot messages to Kick chat with the channel owner's token. Each message is claimed in
 * OutgoingChatMessage first (unique per guild and dedupe key), so a retried job never sends twice;
 * a per-channel window limit (in Redis, shared by all workers) keeps a chat flood from making us spam.
 * Failures are recorded for /kick status and never thrown into job retries.
 */
export class KickChatSender {
  constructor(
    private readonly deps: {
      prisma: PrismaClient;
      redis: RedisConnection;
      keys: Pick<RedisKeys, 'chatOut'>;
      /**
       * Tokens of the guild's streamer. With `refreshIfExpiring` a chat 401 refreshes once and retries; with
       * `markNeedsReauth` a second 401 marks the connection as needing the streamer to connect again.
       */
      connections: Pick<KickConnectionStore, 'getValidAccessToken'> & Partial<Pick<KickConnectionStore, 'refreshIfExpiring' | 'markNeedsReauth'>>;
      kickApiUrl: string;
      logger: Logger;
      now: () => Date;
      rateLimit?: ChatRateLimit;
    },
  ) {}

  async send(reply: ChatReply): Promise<ChatSendOutcome> {
    const { prisma, logger } = this.deps;
    const content = fitChatMessage(reply.content, KICK_CHAT_MAX_LENGTH);
    const where = { guildId_dedupeKey: { guildId: reply.guildId, dedupeKey: reply.dedupeKey } };
    // Everything that can fail for a transient reason (Postgres, Redis, a token refresh) happens BEFORE the
    // claim, and throws so the job is retried; after the claim only the Kick call itself can fail. That keeps
    // the window in which a crash loses a reply (claimed, never sent) down to the HTTP call.
    const existing = await prisma.outgoingChatMessage.findUnique({ where, select: { status: true } });
    if (existing) return 'duplicate';
    let token: string;
    try {
      token = await this.deps.connections.getValidAccessToken(reply.guildId);
    } catch (error) {
      if (error instanceof ReauthRequiredError) return this.record(reply, content, 'failed', `${error.name}: ${error.message}`);
      throw error;
    }
    if (!(await this.takeRateSlot(reply.broadcasterUserId))) return this.record(reply, content, 'dropped', 'rate limited by kickcord (per-channel outgoing limit)');

    const claim = await prisma.outgoingChatMessage.createMany({
      data: [{ guildId: reply.guildId, broadcasterUserId: reply.broadcasterUserId, dedupeKey: reply.dedupeKey, content, replyToMessageId: reply.replyToMessageId ?? null }],
      skipDuplicates: true,
    });
    if (claim.count === 0) return 'duplicate';
    let kickMessageId: string;
    try {
      kickMessageId = await this.postWithReauth(reply, content, token);
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      await prisma.outgoingChatMessage.update({ where, data: { status: 'failed', error: message.slice(0, 500) } });
      logger.warn({ err: error, guildId: reply.guildId, broadcasterUserId: reply.broadcasterUserId }, 'kick chat reply failed');
      return 'failed';
    }
    // The message is in Kick chat: record it as sent, riding out dropped database connections (a failover
    // or restart terminates them again and again for a few seconds) — up to ~5 s of retries, because a
    // retried job finds the claim and never learns the message went out.
    for (let attempt = 1; ; attempt++) {
      try {
        await prisma.outgoingChatMessage.update({ where, data: { status: 'sent', kickMessageId, sentAt: this.deps.now() } });
        return 'sent';
      } catch (error) {
        if (attempt >= SENT_RECORD_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, 100 * 2 ** (attempt - 1))));
      }
    }
  }

  /**
   * One chat post with `token`; returns Kick's message id. Sent as `type:"bot"` (the app's bot account), which
   * needs the bot enabled in the Kick app's settings; when Kick refuses that type (a 5xx or 403 — apps without
   * the bot get 500s) it is sent again as `type:"user"` to `broadcaster_user_id`, i.e. as the streamer's account.
   */
  private async post(reply: ChatReply, content: string, token: string): Promise<string> {
    const client = new KickApiClient({ apiUrl: this.deps.kickApiUrl, token, maxRetries: 2 });
    const replyTo = reply.replyToMessageId ? { replyToMessageId: reply.replyToMessageId } : {};
    try {
      return (await client.sendChatMessage({ type: 'bot', content, ...replyTo })).messageId;
    } catch (error) {
      if (!isBotTypeRefused(error)) throw error;
      this.deps.logger.warn(
        { guildId: reply.guildId, broadcasterUserId: reply.broadcasterUserId, status: error.status },
        'kick refused bot-type chat (is the bot enabled in the Kick app settings?); sending as the streamer',
      );
    }
    return (await client.sendChatMessage({ type: 'user', broadcasterUserId: reply.broadcasterUserId, content, ...replyTo })).messageId;
  }

  /**
   * Posts; when Kick answers 401 (a token it revoked or expired early) forces one token refresh and retries.
   * A second 401 means the grant is dead: the connection is marked `needs_reauth` (shown in /kick status, and
   * announced once to the guild's moderators by the refresh-tokens task) and the error is rethrown.
   */
  private async postWithReauth(reply: ChatReply, content: string, token: string): Promise<string> {
    const { connections, logger } = this.deps;
    try {
      return await this.post(reply, content, token);
    } catch (error) {
      if (!isUnauthorized(error) || !connections.refreshIfExpiring) throw error;
      logger.info({ guildId: reply.guildId, broadcasterUserId: reply.broadcasterUserId }, 'kick chat answered 401; refreshing the token once');
    }
    await connections.refreshIfExpiring(reply.guildId, Number.POSITIVE_INFINITY);
    const fresh = await connections.getValidAccessToken(reply.guildId);
    try {
      return await this.post(reply, content, fresh);
    } catch (error) {
      if (isUnauthorized(error)) {
        await connections.markNeedsReauth?.(reply.guildId, CHAT_REAUTH_REASON);
        logger.warn({ guildId: reply.guildId, broadcasterUserId: reply.broadcasterUserId }, 'kick chat answered 401 after a token refresh; connection marked needs_reauth');
      }
      throw error;
    }
  }

  /** Records a reply that was not sent (no Kick call was made), once per dedupe key. */
  private async record(reply: ChatReply, content: string, status: 'failed' | 'dropped', error: string): Promise<ChatSendOutcome> {
    const claim = await this.deps.prisma.outgoingChatMessage.createMany({
      data: [{ guildId: reply.guildId, broadcasterUserId: reply.broadcasterUserId, dedupeKey: reply.dedupeKey, content, replyToMessageId: reply.replyToMessageId ?? null, status, error: error.slice(0, 500) }],
      skipDuplicates: true,
    });
    if (claim.count === 0) return 'duplicate';
    if (status === 'failed') this.deps.logger.warn({ guildId: reply.guildId, broadcasterUserId: reply.broadcasterUserId, error }, 'kick chat reply not sent');
    return status === 'dropped' ? 'rate_limited' : 'failed';
  }

  private async takeRateSlot(broadcasterUserId: number): Promise<boolean> {
    const limit = this.deps.rateLimit ?? DEFAULT_CHAT_RATE_LIMIT;
    const window = Math.floor(this.deps.now().getTime() / 1000 / limit.windowSeconds);
    const key = this.deps.keys.chatOut(broadcasterUserId, window);
    const [[, count]] = (await this.deps.redis.multi().incr(key).expire(key, limit.windowSeconds * 2).exec()) as [[Error | null, number]];
    return count <= limit.messages;
  }
}
