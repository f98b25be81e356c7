/**
 * Badge roles on the chat path, which must cost no PostgreSQL statement: in a guild with badge roles (the list
 * comes with the cached guild settings), the sender's configured badges are compared with the last seen in
 * Redis by one script; only a change queues a role sync (Redis), which the role rewards sync task runs in batches
 * and which acts only for linked viewers. A guild without badge roles costs nothing here.
 */
import { redisScript, runScript } from '@kickcord/queue';
import type { BotContext } from '../../context.ts';
import type { ChatCommand } from '../../kickChat/ChatCommand.ts';
import { badgeSignature } from './desiredRoles.ts';

/** How long a guild's badge memory lives after its last write. */
const BADGE_MEMORY_SECONDS = 30 * 86_400;

/**
 * KEYS[1] the guild's badge hash; ARGV: Kick user id, signature, ttl. Returns 1 when the signature changed from a
 * known one or a badge appeared (a sync is due), 0 otherwise. A first sighting without badges is remembered
 * without a sync: there is nothing to give.
 */
const NOTE_BADGES = redisScript(`
local cur = redis.call('HGET', KEYS[1], ARGV[1])
if cur == ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
if (not cur) and ARGV[2] == '' then return 0 end
return 1`);

/** Queues role syncs for viewers (the sync task drains the set). */
export async function queueRoleSync(ctx: Pick<BotContext, 'redis' | 'keys'>, viewers: readonly { guildId: string; kickUserId: number }[]): Promise<void> {
  if (viewers.length === 0) return;
  await ctx.redis.sadd(ctx.keys.roleRewardPending(), ...viewers.map((v) => `${v.guildId}:${v.kickUserId}`));
}

/** Remembers the sender's configured badges and queues a role sync when they changed (Redis only). */
export const badgeRoleObserver: ChatCommand = {
  name: 'role-rewards-badges',
  async observe(chat, ctx) {
    const configured = chat.settings.roleRewardBadges;
    if (!configured || configured.length === 0 || chat.sender.userId === chat.broadcasterUserId) return;
    const signature = badgeSignature(configured, chat.payload.sender.identity?.badges ?? []);
    const changed = await runScript(ctx.redis, NOTE_BADGES, [ctx.keys.roleRewardBadges(chat.guildId)], [chat.sender.userId, signature, BADGE_MEMORY_SECONDS]);
    if (Number(changed) === 1) await queueRoleSync(ctx, [{ guildId: chat.guildId, kickUserId: chat.sender.userId }]);
  },
};
