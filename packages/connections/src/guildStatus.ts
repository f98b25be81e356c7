import type { PrismaClient } from '@kickcord/db';
import { KICKCORD_SCOPES } from '@kickcord/kick';

/** Kick chat replies of a guild since a moment, by state. */
export interface ChatReplyCounts {
  /** Claimed and not yet confirmed by Kick. */
  pending: number;
  /** Not sent: Kick refused, the connection needs re-auth, or the process stopped while sending. */
  failed: number;
}

/** Counts a guild's `pending` and `failed` chat replies created at or after `since`. */
export async function chatReplyCounts(prisma: Pick<PrismaClient, 'outgoingChatMessage'>, guildId: string, since: Date): Promise<ChatReplyCounts> {
  const groups = await prisma.outgoingChatMessage.groupBy({
    by: ['status'],
    where: { guildId, status: { in: ['pending', 'failed'] }, createdAt: { gte: since } },
    _count: { _all: true },
  });
  const of = (status: string) => groups.find((g) => g.status === status)?._count._all ?? 0;
  return { pending: of('pending'), failed: of('failed') };
}

/** The scopes kickcord asks for today that a connection granted earlier lacks, in the order asked. */
export function missingRequestedScopes(granted: readonly string[]): string[] {
  return KICKCORD_SCOPES.filter((scope) => !granted.includes(scope));
}

/** What `/kick status` and the dashboard's overview show about a guild. */
export interface GuildStatus {
  /** The connected Kick channel (streamer OAuth), or null. */
  connection: {
    slug: string;
    status: 'active' | 'needs_reauth' | 'revoked';
    lastError: string | null;
    /** When the access token renews (kickcord refreshes it on its own). */
    expiresAt: Date;
    scopes: string[];
    /** Scopes kickcord asks for that this connection lacks: only a reconnect grants them. */
    missingScopes: string[];
  } | null;
  /** Connected and watched channels (at most 20), each with its active Kick subscriptions. */
  links: {
    slug: string;
    kind: 'owner' | 'watch';
    subscriptions: { event: string; lastDeliveryAt: Date | null }[];
  }[];
  /** Announcements that cannot post, and why. */
  brokenAnnouncements: { event: string; discordChannelId: string; reason: string }[];
  /** The last 3 chat replies not sent in the last 24 hours. */
  chatFailures: { createdAt: Date; status: string; error: string | null }[];
  /** Chat replies pending and failed in the last 24 hours. */
  chatReplies: ChatReplyCounts;
}

const DAY_MS = 86_400_000;
/** Channels shown; a guild may watch up to 25. */
const MAX_LINKS_SHOWN = 20;

/**
 * Gathers a guild's connection status, its channels' subscriptions with the last delivery per event, broken
 * announcements, recent chat reply failures and counts, and the missing Kick scopes. Scoped to `guildId`.
 */
export async function gatherGuildStatus(
  prisma: Pick<PrismaClient, 'kickConnection' | 'guildChannelLink' | 'announcementSetting' | 'outgoingChatMessage'>,
  guildId: string,
  now: Date = new Date(),
): Promise<GuildStatus> {
  const since = new Date(now.getTime() - DAY_MS);
  const [connection, links, broken, chatFailures, chatReplies] = await Promise.all([
    prisma.kickConnection.findUnique({ where: { guildId }, include: { channel: true } }),
    prisma.guildChannelLink.findMany({
      where: { guildId },
      orderBy: [{ kind: 'desc' }, { createdAt: 'asc' }],
      take: MAX_LINKS_SHOWN,
      include: { channel: { include: { subscriptions: { where: { status: 'active' }, orderBy: { event: 'asc' } } } } },
    }),
    prisma.announcementSetting.findMany({ where: { guildId, brokenReason: { not: null } } }),
    prisma.outgoingChatMessage.findMany({ where: { guildId, status: { in: ['failed', 'dropped'] }, createdAt: { gte: since } }, orderBy: { createdAt: 'desc' }, take: 3 }),
    chatReplyCounts(prisma, guildId, since),
  ]);
  return {
    connection: connection
      ? {
          slug: connection.channel.slug,
          status: connection.status,
          lastError: connection.lastError,
          expiresAt: connection.expiresAt,
          scopes: connection.scopes,
          missingScopes: missingRequestedScopes(connection.scopes),
        }
      : null,
    links: links.map((l) => ({ slug: l.channel.slug, kind: l.kind, subscriptions: l.channel.subscriptions.map((s) => ({ event: s.event, lastDeliveryAt: s.lastDeliveryAt })) })),
    brokenAnnouncements: broken.map((b) => ({ event: b.event, discordChannelId: b.discordChannelId, reason: b.brokenReason ?? '' })),
    chatFailures: chatFailures.map((f) => ({ createdAt: f.createdAt, status: f.status, error: f.error })),
    chatReplies,
  };
}
