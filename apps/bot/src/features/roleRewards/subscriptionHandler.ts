/**
 * Kick's subscription events in the owner guild: each subscriber (a new sub, a renewal, every giftee) has the
 * expiry Kick sends recorded — a later expiry always wins, so a late or repeated delivery never shortens a
 * subscription — and their reward roles synced at once (the subscriber role when the viewer is linked).
 */
import type { KickEventHandler } from '../../kickEvents/KickEventHandler.ts';
import type { BotContext } from '../../context.ts';
import { SUBSCRIPTION_GRACE_MS } from './desiredRoles.ts';
import { syncRoleRewards } from './syncRoleRewards.ts';

/** One month after `from` (Kick's subscriptions last a month), for an event that carries no `expires_at`. */
export function oneMonthAfter(from: Date): Date {
  const d = new Date(from.getTime());
  d.setUTCMonth(d.getUTCMonth() + 1);
  return d;
}

/** The expiry a subscription event stands for: its `expires_at`, else a month after `created_at` (or now). */
export function subscriptionExpiry(payload: { created_at: string; expires_at: string | null }, now: Date): Date {
  const expires = payload.expires_at === null ? null : new Date(payload.expires_at);
  if (expires && !Number.isNaN(expires.getTime())) return expires;
  const created = new Date(payload.created_at);
  return oneMonthAfter(Number.isNaN(created.getTime()) ? now : created);
}

/**
 * Records that these viewers' subscriptions run at least until `expiresAt` (never moving an expiry back), and
 * since when each has been subscribed without a break: `startedAt` (the event's time) for a new row or after a
 * lapse longer than the grace hour, else the earlier of the two.
 */
export async function recordSubscriptions(ctx: Pick<BotContext, 'prisma'>, guildId: string, kickUserIds: readonly number[], expiresAt: Date, startedAt: Date): Promise<void> {
  if (kickUserIds.length === 0) return;
  const since = startedAt < expiresAt ? startedAt : expiresAt;
  const lapseMs = SUBSCRIPTION_GRACE_MS;
  await ctx.prisma.$executeRaw`
    INSERT INTO "RoleRewardSubscription" ("guildId", "kickUserId", "expiresAt", "since", "updatedAt")
    SELECT ${guildId}, u, ${expiresAt}, ${since}, now() FROM unnest(${[...new Set(kickUserIds)]}::int[]) AS u
    ON CONFLICT ("guildId", "kickUserId") DO UPDATE
      SET "expiresAt" = GREATEST("RoleRewardSubscription"."expiresAt", EXCLUDED."expiresAt"),
          "since" = CASE WHEN "RoleRewardSubscription"."expiresAt" + make_interval(secs => ${lapseMs / 1000}) < EXCLUDED."since" THEN EXCLUDED."since"
                         ELSE LEAST("RoleRewardSubscription"."since", EXCLUDED."since") END,
          "updatedAt" = now()
      WHERE "RoleRewardSubscription"."expiresAt" < EXCLUDED."expiresAt"`;
}

/** When a subscription event happened: its `created_at`, or `now` when that is missing or unreadable. */
export function subscriptionEventTime(payload: { created_at: string }, now: Date): Date {
  const created = new Date(payload.created_at);
  return Number.isNaN(created.getTime()) || created > now ? now : created;
}

/** `channel.subscription.new`, `.renewal` and `.gifts` (every giftee) in the owner guild. */
export const roleRewardSubscriptionHandler: KickEventHandler = {
  name: 'role-rewards-subscriptions',
  types: ['channel.subscription.new', 'channel.subscription.renewal', 'channel.subscription.gifts'],
  async handle(ctx, { event, owner }) {
    if (!owner) return;
    let kickUserIds: number[];
    let expiresAt: Date;
    if (event.type === 'channel.subscription.new' || event.type === 'channel.subscription.renewal') {
      kickUserIds = [event.payload.subscriber.user_id];
      expiresAt = subscriptionExpiry(event.payload, ctx.now());
    } else if (event.type === 'channel.subscription.gifts') {
      kickUserIds = event.payload.giftees.map((g) => g.user_id);
      expiresAt = subscriptionExpiry(event.payload, ctx.now());
    } else {
      return;
    }
    await recordSubscriptions(ctx, owner.guildId, kickUserIds, expiresAt, subscriptionEventTime(event.payload, ctx.now()));
    await syncRoleRewards(
      ctx,
      kickUserIds.map((kickUserId) => ({ guildId: owner.guildId, kickUserId })),
    );
  },
};

