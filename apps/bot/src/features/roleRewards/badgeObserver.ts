/**
 * Badge roles on the chat path, which must cost no PostgreSQL statement: in a guild with badge roles (the list
 * comes with the cached guild settings), the sender's configured badges are compared with the last seen in
 * Redis by one script; only a change queues a role sync (Redis), which the role rewards sync task runs in batches
 * and which acts only for linked viewers. A guild without badge roles costs nothing here.
 */
import type { BotContext } from '../../context.ts';
import type { ChatCommand } from '../../kickChat/ChatCommand.ts';
import { badgeSignature } from './desiredRoles.ts';

/** How long a guild's badge memory lives after its last write. */
const BADGE_MEMORY_SECONDS = 30 * 86_400;

/**
 * A chat tally fragment. K[1] the guild's badge hash; A: Kick user id, signature, ttl. Returns 1 when the signature
 * changed from a known one or a badge appeared (a sync is due), 0 otherwise. A first sighting without badges is
 * remembered without a sync: there is nothing to give.
 */
const NOTE_BADGES_LUA = `local cur = redis.call('HGET', K[1], A[1])
if cur == A[2] then return 0 end
redis.call('HSET', K[1], A[1], A[2])
redis.call('EXPIRE', K[1], A[3])
if (not cur) and A[2] == '' then return 0 end
return 1`;

/** Queues role syncs for viewers (the sync task drains the set). */
export async function queueRoleSync(ctx: Pick<BotContext, 'redis' | 'keys'>, viewers: readonly { guildId: string; kickUserId: number }[]): Promise<void> {
  if (viewers.length === 0) return;
  await ctx.redis.sadd(ctx.keys.roleRewardPending(), ...viewers.map((v) => `${v.guildId}:${v.kickUserId}`));
}

/** Remembers the sender's configured badges and queues a role sync when they changed (Redis only; part of the message's chat tally). */
export const badgeRoleObserver: ChatCommand = {
  name: 'role-rewards-badges',
  tally: {
    lua: NOTE_BADGES_LUA,
    input(chat, ctx) {
      const configured = chat.settings.roleRewardBadges;
      if (!configured || configured.length === 0 || chat.sender.userId === chat.broadcasterUserId) return null;
      const signature = badgeSignature(configured, chat.payload.sender.identity?.badges ?? []);
      return { keys: [ctx.keys.roleRewardBadges(chat.guildId)], args: [chat.sender.userId, signature, BADGE_MEMORY_SECONDS] };
    },
    settle(changed, chat, ctx) {
      if (Number(changed) === 1) return queueRoleSync(ctx, [{ guildId: chat.guildId, kickUserId: chat.sender.userId }]);
    },
  },
};
