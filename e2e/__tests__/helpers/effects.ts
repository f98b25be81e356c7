import { expect } from 'vitest';
/**
 * Exactly-once checks shared by the resilience tests: what a burst of follows, chat and a go-live must
 * have produced — once each — in Discord, Kick chat and the points ledger.
 */
import type { PrismaClient } from '@kickcord/db';
import type { DiscordSim } from '@kickcord/discord-sim';
import type { KickSim } from '@kickcord/kick-sim';
import type { TestStack } from './harness.ts';

/** What one burst sent. */
export interface BurstRecord {
  broadcasterUserId: number;
  guildId: string;
  announcementsChannelId: string;
  followBonus: number;
  followers: { userId: number; username: string }[];
  chatters: { userId: number; username: string }[];
  /** Message ids of the `!points` commands sent (each must get exactly one reply). */
  commandMessageIds: string[];
  /** The go-live title (its announcement must be posted once). */
  liveTitle: string;
}

/** Counts of each effect, per thing that should have happened once (for readable assertion failures). */
export interface EffectCounts {
  followAnnouncements: Record<string, number>;
  liveAnnouncements: number;
  followLedgerRows: Record<string, number>;
  followerPoints: Record<string, number>;
  commandReplies: Record<string, number>;
  /** Status of each command's outgoing-reply claim (`OutgoingChatMessage`), `none` when never claimed. */
  commandReplyClaims: Record<string, string>;
  /** Viewers whose balance (points, minutes) differs from the sum of their ledger rows. */
  ledgerMismatches: string[];
  watchRows: number;
  postedAnnouncements: { total: number; unposted: number };
  discordNoncesRepeated: number;
}

/** Reads every effect of `burst` (call after the queue has drained). */
export async function countEffects(prisma: PrismaClient, discord: DiscordSim, kick: KickSim, burst: BurstRecord): Promise<EffectCounts> {
  const messages = discord.messages(burst.announcementsChannelId).filter((m) => !m.interactionId);
  const followAnnouncements: Record<string, number> = {};
  for (const f of burst.followers) followAnnouncements[f.username] = messages.filter((m) => m.content.includes(`${f.username} just followed`)).length;
  const liveAnnouncements = messages.filter((m) => m.content.includes(burst.liveTitle) || (m.embeds as { title?: string }[]).some((e) => e.title === burst.liveTitle)).length;

  const followRows = await prisma.pointsLedger.findMany({ where: { guildId: burst.guildId, kind: 'follow' } });
  const followLedgerRows: Record<string, number> = {};
  const followerPoints: Record<string, number> = {};
  for (const f of burst.followers) {
    followLedgerRows[f.username] = followRows.filter((r) => r.kickUserId === f.userId).length;
    const stats = await prisma.viewerStats.findUnique({ where: { guildId_kickUserId: { guildId: burst.guildId, kickUserId: f.userId } } });
    followerPoints[f.username] = stats?.points ?? 0;
  }

  const chat = kick.chatLog(burst.broadcasterUserId);
  const commandReplies: Record<string, number> = {};
  for (const id of burst.commandMessageIds) commandReplies[id] = chat.filter((m) => m.replyToMessageId === id && m.type === 'bot').length;
  const claims = await prisma.outgoingChatMessage.findMany({ where: { guildId: burst.guildId, replyToMessageId: { in: burst.commandMessageIds } } });
  const commandReplyClaims: Record<string, string> = {};
  for (const id of burst.commandMessageIds) commandReplyClaims[id] = claims.filter((c) => c.replyToMessageId === id).map((c) => c.status).join(',') || 'none';

  const ledgerMismatches: string[] = [];
  const sums = await prisma.pointsLedger.groupBy({ by: ['kickUserId'], where: { guildId: burst.guildId }, _sum: { points: true, minutes: true } });
  const stats = await prisma.viewerStats.findMany({ where: { guildId: burst.guildId } });
  for (const s of stats) {
    const sum = sums.find((x) => x.kickUserId === s.kickUserId)?._sum;
    if ((sum?.points ?? 0) !== s.points || (sum?.minutes ?? 0) !== s.activeMinutes) {
      ledgerMismatches.push(`${s.username}: balance ${s.points} pts / ${s.activeMinutes} min, ledger ${sum?.points ?? 0} / ${sum?.minutes ?? 0}`);
    }
  }
  const watchRows = await prisma.pointsLedger.count({ where: { guildId: burst.guildId, kind: 'watch' } });

  const posted = await prisma.postedAnnouncement.findMany({ where: { guildId: burst.guildId } });
  const nonces = new Map<string, number>();
  for (const m of discord.allMessages()) if (m.nonce !== null) nonces.set(String(m.nonce), (nonces.get(String(m.nonce)) ?? 0) + 1);

  return {
    followAnnouncements,
    liveAnnouncements,
    followLedgerRows,
    followerPoints,
    commandReplies,
    commandReplyClaims,
    ledgerMismatches,
    watchRows,
    postedAnnouncements: { total: posted.length, unposted: posted.filter((p) => p.postedAt === null).length },
    discordNoncesRepeated: [...nonces.values()].filter((n) => n > 1).length,
  };
}

/** `{ key: value }` for every key of `keys` (to compare a counts record against "exactly once each"). */
export function each<T>(keys: readonly string[], value: T): Record<string, T> {
  return Object.fromEntries(keys.map((k) => [k, value]));
}

/** Creates the viewers of a burst (`label` keeps names unique per test) and records what it will send. */
export function planBurst(stack: TestStack, label: string, options: { followers: number; chatters: number; followBonus: number }): BurstRecord {
  return {
    broadcasterUserId: stack.streamer.userId,
    guildId: stack.guild.id,
    announcementsChannelId: stack.guild.announcementsChannelId,
    followBonus: options.followBonus,
    followers: Array.from({ length: options.followers }, (_, i) => stack.createViewer(`${label}_fan${i}`)),
    chatters: Array.from({ length: options.chatters }, (_, i) => stack.createViewer(`${label}_chat${i}`)),
    commandMessageIds: [],
    liveTitle: `${label} live ${Date.now()}`,
  };
}

/**
 * Sends the burst through the production path (kick-sim signs → web → BullMQ): the go-live, then
 * follows interleaved with chat (every chatter says hello, then asks `!points`). `onSent` runs after each
 * event is accepted by web (e.g. to crash the worker at a given point). Returns when all are accepted.
 */
export async function sendBurst(stack: TestStack, burst: BurstRecord, onSent?: (sent: number) => Promise<void> | void): Promise<void> {
  let sent = 0;
  const after = async () => {
    sent++;
    await onSent?.(sent);
  };
  await stack.kick.goLive(burst.broadcasterUserId, { title: burst.liveTitle });
  await after();
  const rounds = Math.max(burst.followers.length, burst.chatters.length * 2);
  for (let i = 0; i < rounds; i++) {
    const follower = burst.followers[i];
    if (follower) {
      await stack.kick.follow(burst.broadcasterUserId, follower.userId);
      await after();
    }
    const chatter = burst.chatters[i % Math.max(1, burst.chatters.length)];
    if (chatter && i < burst.chatters.length * 2) {
      const asking = i >= burst.chatters.length;
      const message = await stack.kick.sendChat(burst.broadcasterUserId, chatter.userId, asking ? '!points' : `hello from ${chatter.username}`);
      if (asking) burst.commandMessageIds.push(message.messageId);
      await after();
    }
  }
}

/**
 * Kick chat replies are at-most-once by design (claimed in `OutgoingChatMessage` before the send, since
 * Kick's chat API has no idempotency key): a reply may be missing after a crash or a lost database
 * connection, but never doubled, and a missing one is never recorded as sent. Returns the violations.
 */
export function chatReplyViolations(effects: EffectCounts): string[] {
  const out: string[] = [];
  for (const [id, n] of Object.entries(effects.commandReplies)) {
    const claim = effects.commandReplyClaims[id] ?? 'none';
    if (n > 1) out.push(`${id}: replied ${n} times`);
    if (n === 1 && claim !== 'sent') out.push(`${id}: replied, but its claim is "${claim}"`);
    if (n === 0 && (claim === 'sent' || claim === 'none')) out.push(`${id}: no reply, claim "${claim}"`);
  }
  return out;
}

/**
 * The exactly-once checks both resilience tests make after a burst survived a failure: every follow
 * announced, rewarded and paid once, one go-live, chat replies never doubled (and at least one given), the
 * ledger and balances in agreement, watchtime paid, every claimed announcement posted, no Discord nonce twice.
 */
export function expectEffectsExactlyOnce(effects: EffectCounts, burst: BurstRecord, followBonus: number): void {
  const names = burst.followers.map((f) => f.username);
  expect(effects.followAnnouncements).toEqual(each(names, 1));
  expect(effects.liveAnnouncements).toBe(1);
  expect(effects.followLedgerRows).toEqual(each(names, 1));
  expect(effects.followerPoints).toEqual(each(names, followBonus));
  // Chat replies are at-most-once (see chatReplyViolations): never doubled, a missing one never recorded as sent.
  expect(chatReplyViolations(effects)).toEqual([]);
  expect(Object.values(effects.commandReplies).filter((n) => n === 1).length).toBeGreaterThan(0);
  expect(effects.ledgerMismatches).toEqual([]);
  expect(effects.watchRows).toBeGreaterThan(0);
  expect(effects.postedAnnouncements).toEqual({ total: burst.followers.length + 1, unposted: 0 });
  expect(effects.discordNoncesRepeated).toBe(0);
}
