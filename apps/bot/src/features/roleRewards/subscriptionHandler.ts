/**
 * Kick's subscription events in the owner guild: each subscriber (a new sub, a renewal, every giftee) has the
 * expiry Kick sends recorded — a later expiry always wins, so a late or repeated delivery never shortens a
 * subscription — and their reward roles synced at once (the subscriber role when the viewer is linked).
 */
import type { KickEventHandler } from '../../kickEvents/KickEventHandler.ts';
import type { BotContext } from '../../context.ts';
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

/** Records that these viewers' subscriptions run at least until `expiresAt` (never moving an expiry back). */
export async function recordSubscriptions(ctx: Pick<BotContext, 'prisma'>, guildId: string, kickUserIds: readonly number[], expiresAt: Date): Promise<void> {
  if (kickUserIds.length === 0) return;
  await ctx.prisma.$executeRaw`
    INSERT INTO "RoleRewardSubscription" ("guildId", "kickUserId", "expiresAt", "updatedAt")
    SELECT ${guildId}, u, ${expiresAt}, now() FROM unnest(${[...new Set(kickUserIds)]}::int[]) AS u
    ON CONFLICT ("guildId", "kickUserId") DO UPDATE
      SET "expiresAt" = GREATEST("RoleRewardSubscription"."expiresAt", EXCLUDED."expiresAt"), "updatedAt" = now()
      WHERE "RoleRewardSubscription"."expiresAt" < EXCLUDED."expiresAt"`;
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
    await recordSubscriptions(ctx, owner.guildId, kickUserIds, expiresAt);
    await syncRoleRewards(
      ctx,
      kickUserIds.map((kickUserId) => ({ guildId: owner.guildId, kickUserId })),
    );
  },
};

