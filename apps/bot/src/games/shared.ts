import { createHash } from 'node:crypto';
import { Prisma } from '@kickcord/db';
import type { BotContext } from '../context.ts';
import { UserFacingError } from '../UserFacingError.ts';

/** Redis key namespace of the games (line counters, timer marks, pending imports). */
export const GAMES_REDIS_PREFIX = 'kc:games';

/** Thrown inside a transaction to roll it back; carries the outcome to report. */
export class GameRollback<T extends string = string> extends Error {
  override readonly name = 'GameRollback';
  constructor(readonly outcome: T) {
    super(`rolled back: ${outcome}`);
  }
}

/** True for a unique-constraint violation, from Prisma's query API (P2002) or a raw query (Postgres 23505). */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  if (error.code === 'P2002') return true;
  return error.code === 'P2010' && JSON.stringify(error.meta ?? {}).includes('23505');
}

/** A stable UUID-shaped id derived from its parts (so a retried job recreates the same row id). */
export function stableId(...parts: (string | number)[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** The guild's connected Kick channel (the owner connection), or a user-facing error saying how to connect. */
export async function requireConnectedChannel(ctx: BotContext, guildId: string): Promise<{ broadcasterUserId: number; kickUsername: string }> {
  const connection = await ctx.prisma.kickConnection.findUnique({ where: { guildId }, select: { broadcasterUserId: true, kickUsername: true } });
  if (!connection) throw new UserFacingError('This server has no connected Kick channel yet. A moderator can connect one with `/kick connect`.');
  return connection;
}

/** Whether the channel is live: the stored channel state says so or a stream session is open. */
export async function isChannelLive(ctx: BotContext, broadcasterUserId: number): Promise<boolean> {
  const [channel, session] = await Promise.all([
    ctx.prisma.kickChannel.findUnique({ where: { broadcasterUserId }, select: { isLive: true } }),
    ctx.prisma.streamSession.findUnique({ where: { openBroadcasterUserId: broadcasterUserId }, select: { id: true } }),
  ]);
  return Boolean(channel?.isLive) || session !== null;
}

/** Posts a bot message in the guild's Kick chat, at most once per `dedupeKey` (errors are recorded, never thrown). */
export async function announceInKickChat(ctx: BotContext, input: { guildId: string; broadcasterUserId: number; dedupeKey: string; content: string }): Promise<void> {
  await ctx.kickChat.send({ guildId: input.guildId, broadcasterUserId: input.broadcasterUserId, dedupeKey: input.dedupeKey, content: input.content });
}

/** `@name` list for chat, e.g. `@a, @b and @c`. */
export function mentionList(usernames: readonly string[]): string {
  const at = usernames.map((u) => `@${u}`);
  if (at.length <= 1) return at.join('');
  return `${at.slice(0, -1).join(', ')} and ${at[at.length - 1] ?? ''}`;
}

/** Formats a whole number with thousands separators. */
export function formatPoints(n: number): string {
  return n.toLocaleString('en-US');
}
