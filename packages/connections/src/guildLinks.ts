import type { LinkKind, PrismaClient } from '@kickcord/db';
import { ConnectionsError } from './ConnectionsError.ts';

/** Public channel facts used to create the `KickChannel` row when a guild first links a broadcaster. */
export interface KickChannelInfo {
  slug: string;
  displayName: string;
  profilePicture?: string | null;
}

/** Input of {@link linkWatch}. */
export interface LinkWatchInput {
  guildId: string;
  broadcasterUserId: number;
  /** Who ran the command (kept on the link). */
  discordUserId: string;
  /** Channel facts from Kick; required the first time any guild links this broadcaster. */
  channel?: KickChannelInfo;
}

/**
 * Makes a guild watch a broadcaster (announcements only). Idempotent; a guild that already owns
 * the broadcaster keeps its `owner` link. Subscriptions are not touched here — call
 * `SubscriptionService.sync(broadcasterUserId)` afterwards.
 */
export async function linkWatch(prisma: PrismaClient, input: LinkWatchInput): Promise<{ created: boolean; kind: LinkKind }> {
  return prisma.$transaction(async (tx) => {
    if (input.channel) {
      await tx.kickChannel.upsert({
        where: { broadcasterUserId: input.broadcasterUserId },
        create: {
          broadcasterUserId: input.broadcasterUserId,
          slug: input.channel.slug,
          displayName: input.channel.displayName,
          profilePicture: input.channel.profilePicture ?? null,
        },
        update: { slug: input.channel.slug, displayName: input.channel.displayName, profilePicture: input.channel.profilePicture ?? null },
      });
    } else if (!(await tx.kickChannel.findUnique({ where: { broadcasterUserId: input.broadcasterUserId }, select: { broadcasterUserId: true } }))) {
      throw new ConnectionsError(
        `Kick channel ${input.broadcasterUserId} is not known yet — look it up on Kick (getChannels) and pass its slug and name as \`channel\``,
      );
    }
    const existing = await tx.guildChannelLink.findUnique({
      where: { guildId_broadcasterUserId: { guildId: input.guildId, broadcasterUserId: input.broadcasterUserId } },
    });
    if (existing) return { created: false, kind: existing.kind };
    await tx.guildChannelLink.create({
      data: { guildId: input.guildId, broadcasterUserId: input.broadcasterUserId, kind: 'watch', createdByDiscordId: input.discordUserId },
    });
    return { created: true, kind: 'watch' as LinkKind };
  });
}

/**
 * Stops a guild watching a broadcaster. Only `watch` links are removed (an owner link goes away
 * with `KickConnectionStore.disconnect`). Returns whether a link was removed and how many guilds
 * still link the broadcaster (0 → call `SubscriptionService.sync` to drop its subscriptions).
 */
export async function unlinkWatch(
  prisma: PrismaClient,
  input: { guildId: string; broadcasterUserId: number },
): Promise<{ removed: boolean; remainingLinks: number }> {
  const { count } = await prisma.guildChannelLink.deleteMany({
    where: { guildId: input.guildId, broadcasterUserId: input.broadcasterUserId, kind: 'watch' },
  });
  const remainingLinks = await prisma.guildChannelLink.count({ where: { broadcasterUserId: input.broadcasterUserId } });
  return { removed: count > 0, remainingLinks };
}

/** One guild a broadcaster's deliveries fan out to. */
export interface GuildFanOut {
  guildId: string;
  kind: LinkKind;
}

/** Active guilds linked to a broadcaster (the fan-out list for one Kick delivery), owner first. */
export async function guildsForBroadcaster(prisma: PrismaClient, broadcasterUserId: number): Promise<GuildFanOut[]> {
  const rows = await prisma.guildChannelLink.findMany({
    where: { broadcasterUserId, guild: { active: true } },
    select: { guildId: true, kind: true },
    orderBy: [{ kind: 'desc' }, { guildId: 'asc' }],
  });
  return rows.map((r) => ({ guildId: r.guildId, kind: r.kind }));
}
