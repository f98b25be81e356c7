import type { KickEventHandler } from '../../kickEvents/KickEventHandler.ts';
import { excludeBannedViewer } from './leaderboardExclusions.ts';

/**
 * Kick's `moderation.banned`: the banned viewer leaves the owner guild's leaderboards — for good after a ban (until a
 * moderator runs `/leaderboard-exclude remove`), until the timeout ends after a timeout.
 */
export const banExclusionHandler: KickEventHandler = {
  name: 'leaderboard-ban-exclusion',
  types: ['moderation.banned'],
  async handle(ctx, { event, owner }) {
    if (!owner || event.type !== 'moderation.banned') return;
    const banned = event.payload.banned_user;
    const { metadata } = event.payload;
    const bannedAt = new Date(metadata.created_at);
    const expiresAt = metadata.expires_at === null ? null : new Date(metadata.expires_at);
    // A timestamp Kick sent in a form Date cannot read: the event's time falls back to now, an unreadable
    // timeout end to a ban (a moderator can remove it).
    await excludeBannedViewer(ctx.prisma, {
      guildId: owner.guildId,
      kickUserId: banned.user_id,
      username: banned.username,
      reason: metadata.reason,
      bannedAt: Number.isNaN(bannedAt.getTime()) ? ctx.now() : bannedAt,
      expiresAt: expiresAt === null || Number.isNaN(expiresAt.getTime()) ? null : expiresAt,
    });
  },
};
