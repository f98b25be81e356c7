import { ReauthRequiredError, type KickConnectionStore } from '@kickcord/connections';
import { fitChatMessage } from '@kickcord/core';
import type { PrismaClient } from '@kickcord/db';
import { KICK_CHAT_MAX_LENGTH, KickApiClient } from '@kickcord/kick';
import type { RedisConnection } from '@kickcord/queue';
import type { Logger } from '../logger.ts';
import type { RedisKeys } from '../redisKeys.ts';

/** Outgoing chat limit per Kick channel (our own, below Kick's unpublished quota). */
export interface ChatRateLimit {
  messages: number;
  windowSeconds: number;
}
export const DEFAULT_CHAT_RATE_LIMIT: ChatRateLimit = { messages: 20, windowSeconds: 30 };

export type ChatSendOutcome = 'sent' | 'duplicate' | 'rate_limited' | 'failed';

/** One reply to post in Kick chat. `dedupeKey` makes a retried job send at most once (e.g. `reply:<kick message id>`). */
export interface ChatReply {
  guildId: string;
  broadcasterUserId: number;
  dedupeKey: string;
  content: string;
  replyToMessageId?: string | null;
}

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
      connections: Pick<KickConnectionStore, 'getValidAccessToken'>;
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
      const client = new KickApiClient({ apiUrl: this.deps.kickApiUrl, token, maxRetries: 2 });
      const sent = await client.sendChatMessage({ type: 'bot', content, ...(reply.replyToMessageId ? { replyToMessageId: reply.replyToMessageId } : {}) });
      kickMessageId = sent.messageId;
    } catch (error) {
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      await prisma.outgoingChatMessage.update({ where, data: { status: 'failed', error: message.slice(0, 500) } });
      logger.warn({ err: error, guildId: reply.guildId, broadcasterUserId: reply.broadcasterUserId }, 'kick chat reply failed');
      return 'failed';
    }
    // The message is in Kick chat: record it as sent, riding out a dropped database connection.
    for (let attempt = 1; ; attempt++) {
      try {
        await prisma.outgoingChatMessage.update({ where, data: { status: 'sent', kickMessageId, sentAt: this.deps.now() } });
        return 'sent';
      } catch (error) {
        if (attempt >= 3) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
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
