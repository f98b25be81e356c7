import { Prisma, type PrismaClient } from '@kickcord/db';
import type { KickTokenSet } from '@kickcord/kick';
import type { KickConnectionStore } from './KickConnectionStore.ts';

/** Input of {@link completeKickConnect}: a finished OAuth sign-in, its tokens and who the streamer is. */
export interface CompleteKickConnectInput {
  /** The OAuth `state` Kick sent back; its `OAuthState` row is claimed (used once). */
  state: string;
  /** The `ConnectLink` the sign-in started from; claimed (used once). */
  connectLinkId: string;
  /** The guild that issued the connect link. */
  guildId: string;
  /** The Discord user who ran `/kick connect` (kept as `connectedByDiscordId` and on the owner link). */
  discordUserId: string;
  /** The streamer as Kick describes the token's owner (`GET /users`) and their channel (`GET /channels`). */
  broadcaster: { userId: number; name: string; profilePicture: string | null; channelSlug: string };
  /** Tokens from the code exchange; stored encrypted. */
  tokens: KickTokenSet;
  /** When the state and link are marked used; default now. */
  now?: Date;
}

/**
 * Outcome of {@link completeKickConnect}. A refusal changes nothing (the transaction rolls back):
 * - `already_owned`: another guild holds this Kick channel (`channel` = its slug);
 * - `already_connected`: this guild is connected to a different channel (`channel` = that channel's Kick username);
 * - `state_used` / `link_used`: a concurrent callback claimed the state or the link first.
 */
export type CompleteKickConnectResult =
  | { ok: true; broadcasterUserId: number }
  | { ok: false; reason: 'already_owned' | 'already_connected'; channel: string }
  | { ok: false; reason: 'state_used' | 'link_used' };

type Refusal = Extract<CompleteKickConnectResult, { ok: false }>;

/** Thrown inside the transaction to roll it back; carries the refusal to return. */
class ConnectRefused extends Error {
  override readonly name = 'ConnectRefused';
  constructor(readonly refusal: Refusal) {
    super(refusal.reason);
  }
}

/**
 * Saves a streamer's OAuth connection for a guild in ONE transaction: claims the OAuth state and the
 * connect link (each usable once), upserts the `KickChannel` row, stores the encrypted tokens as the guild's
 * `KickConnection` and makes the guild's link to the channel an `owner` link. A Kick channel is connected
 * by at most one guild: when another guild owns it, or this guild is connected to another channel, or
 * another guild wins a race for the same channel (unique violation), nothing is written and the refusal
 * is returned. Subscriptions are not touched — call `SubscriptionService.ensure(broadcasterUserId, OWNER_EVENTS)`
 * afterwards.
 */
export async function completeKickConnect(prisma: PrismaClient, store: Pick<KickConnectionStore, 'save'>, input: CompleteKickConnectInput): Promise<CompleteKickConnectResult> {
  const now = input.now ?? new Date();
  const { guildId, discordUserId, broadcaster } = input;
  const broadcasterUserId = broadcaster.userId;
  try {
    await prisma.$transaction(async (tx) => {
      const owner = await tx.kickConnection.findUnique({ where: { broadcasterUserId }, select: { guildId: true } });
      if (owner && owner.guildId !== guildId) throw new ConnectRefused({ ok: false, reason: 'already_owned', channel: broadcaster.channelSlug });
      const current = await tx.kickConnection.findUnique({ where: { guildId }, select: { broadcasterUserId: true, kickUsername: true } });
      if (current && current.broadcasterUserId !== broadcasterUserId) throw new ConnectRefused({ ok: false, reason: 'already_connected', channel: current.kickUsername });
      // Claim state and link (guards against a concurrent second callback).
      const claimedState = await tx.oAuthState.updateMany({ where: { state: input.state, usedAt: null }, data: { usedAt: now } });
      if (claimedState.count !== 1) throw new ConnectRefused({ ok: false, reason: 'state_used' });
      const claimedLink = await tx.connectLink.updateMany({ where: { id: input.connectLinkId, usedAt: null }, data: { usedAt: now } });
      if (claimedLink.count !== 1) throw new ConnectRefused({ ok: false, reason: 'link_used' });
      await tx.kickChannel.upsert({
        where: { broadcasterUserId },
        create: { broadcasterUserId, slug: broadcaster.channelSlug, displayName: broadcaster.name, profilePicture: broadcaster.profilePicture },
        update: { slug: broadcaster.channelSlug, displayName: broadcaster.name, profilePicture: broadcaster.profilePicture },
      });
      await store.save({ guildId, broadcasterUserId, kickUsername: broadcaster.name, tokens: input.tokens, connectedByDiscordId: discordUserId }, tx);
      await tx.guildChannelLink.upsert({
        where: { guildId_broadcasterUserId: { guildId, broadcasterUserId } },
        create: { guildId, broadcasterUserId, kind: 'owner', createdByDiscordId: discordUserId },
        update: { kind: 'owner' },
      });
    });
  } catch (error) {
    if (error instanceof ConnectRefused) return error.refusal;
    // Another guild connected this channel between the check and the insert.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') return { ok: false, reason: 'already_owned', channel: broadcaster.channelSlug };
    throw error;
  }
  return { ok: true, broadcasterUserId };
}
