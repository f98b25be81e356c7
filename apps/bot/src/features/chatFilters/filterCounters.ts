import { redisScript, runScript } from '@kickcord/queue';
import type { BotContext } from '../../context.ts';

/**
 * Counts one offence (once per message: a retried job reads the same number) and returns the viewer's
 * offences against the filter within the window. KEYS: count, seen. ARGV: window seconds.
 */
const OFFENCE_SCRIPT = redisScript(`
local seen = redis.call('GET', KEYS[2])
if seen then return tonumber(seen) end
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
redis.call('SET', KEYS[2], n, 'EX', ARGV[1])
return n
`);

/**
 * The repeats filter's state: the viewer's last fingerprint, how many times in a row it came, and the last
 * message id (a retried job counts its message once). KEYS: state hash. ARGV: fingerprint, message id, window.
 * Returns the run length including this message.
 */
const REPEAT_SCRIPT = redisScript(`
local state = redis.call('HMGET', KEYS[1], 'f', 'n', 'm')
if state[3] == ARGV[2] then return tonumber(state[2]) end
local n = 1
if state[1] == ARGV[1] then n = tonumber(state[2]) + 1 end
redis.call('HSET', KEYS[1], 'f', ARGV[1], 'n', n, 'm', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return n
`);

/** The viewer's offences against `filter` within the window, this message counted once. */
export async function countOffence(ctx: Pick<BotContext, 'redis' | 'keys'>, input: { guildId: string; kickUserId: number; filter: string; messageId: string; windowMinutes: number }): Promise<number> {
  const keys = ctx.keys.filterOffences(input.guildId, input.kickUserId, input.filter, input.messageId);
  return Number(await runScript(ctx.redis, OFFENCE_SCRIPT, [keys.count, keys.seen], [input.windowMinutes * 60]));
}

/** How many times in a row (within `windowSeconds` of each other) the viewer sent this fingerprint. */
export async function repeatRun(ctx: Pick<BotContext, 'redis' | 'keys'>, input: { guildId: string; kickUserId: number; fingerprint: string; messageId: string; windowSeconds: number }): Promise<number> {
  return Number(await runScript(ctx.redis, REPEAT_SCRIPT, [ctx.keys.filterRepeats(input.guildId, input.kickUserId)], [input.fingerprint, input.messageId, input.windowSeconds]));
}

/** Lets one message of `username` with a link through within `seconds` (`!permit`). */
export async function grantPermit(ctx: Pick<BotContext, 'redis' | 'keys'>, guildId: string, username: string, seconds: number): Promise<void> {
  await ctx.redis.set(ctx.keys.filterPermit(guildId, username), '1', 'EX', seconds);
}

/**
 * Takes the viewer's permit for one message, remembering which message took it (a retried job finds it used by
 * that same message). KEYS: permit, the permit's "used by" mark. ARGV: message id, seconds to remember.
 */
const PERMIT_SCRIPT = redisScript(`
if redis.call('GET', KEYS[2]) == ARGV[1] then return 1 end
if redis.call('DEL', KEYS[1]) == 1 then
  redis.call('SET', KEYS[2], ARGV[1], 'EX', ARGV[2])
  return 1
end
return 0
`);

/** Uses up the viewer's permit, if any, for this message: true when it may carry its link (also when its job runs again). */
export async function usePermit(ctx: Pick<BotContext, 'redis' | 'keys'>, guildId: string, username: string, messageId: string): Promise<boolean> {
  const key = ctx.keys.filterPermit(guildId, username);
  return Number(await runScript(ctx.redis, PERMIT_SCRIPT, [key, `${key}:used`], [messageId, 3_600])) === 1;
}
