/**
 * Remembers the first follow kickcord sees (`channel.followed`) per owner guild and viewer. Kick's public API
 * publishes no follow dates, so `!followage` can only answer from these. Deliveries can arrive late or twice:
 * the earliest time seen wins.
 */
import type { KickEventHandler } from '../../kickEvents/KickEventHandler.ts';

function timeOf(value: string, fallback: Date): Date {
  const at = new Date(value);
  return Number.isFinite(at.getTime()) && at.getUTCFullYear() > 1970 ? at : fallback;
}

/** Stores a follow's first-seen time for the owner guild of the channel. */
export const followRecorder: KickEventHandler = {
  name: 'follow-recorder',
  types: ['channel.followed'],
  async handle(ctx, { event, job, owner }) {
    if (event.type !== 'channel.followed' || !owner) return;
    const follower = event.payload.follower;
    if (!follower.user_id || !follower.username) return;
    const at = timeOf(job.messageTimestamp, ctx.now());
    await ctx.prisma.$executeRaw`
      INSERT INTO "ViewerFollow" ("guildId", "kickUserId", username, "firstSeenAt")
      VALUES (${owner.guildId}, ${follower.user_id}, ${follower.username.toLowerCase()}, ${at})
      ON CONFLICT ("guildId", "kickUserId") DO UPDATE
        SET "firstSeenAt" = LEAST("ViewerFollow"."firstSeenAt", EXCLUDED."firstSeenAt"),
            username = CASE WHEN EXCLUDED."firstSeenAt" < "ViewerFollow"."firstSeenAt" THEN "ViewerFollow".username ELSE EXCLUDED.username END`;
  },
};
