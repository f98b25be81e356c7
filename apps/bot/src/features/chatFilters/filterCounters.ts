import { redisScript, runScript } from '@kickcord/queue';
import { tallyScript } from '../../kickChat/chatTally.ts';
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
/**
 * The viewer's run of one message fingerprint (a chat tally fragment: kickChat/chatTally.ts). K: the viewer's repeats
 * hash; A: fingerprint, message id, window seconds. Returns the run, this message counted once.
 */
export const REPEAT_LUA = `local state = redis.call('HMGET', K[1], 'f', 'n', 'm')
if state[3] == A[2] then return tonumber(state[2]) end
local n = 1
if state[1] == A[1] then n = tonumber(state[2]) + 1 end
redis.call('HSET', K[1], 'f', A[1], 'n', n, 'm', A[2])
redis.call('EXPIRE', K[1], A[3])
return n`;
const REPEAT_SCRIPT = tallyScript(REPEAT_LUA);

/** The viewer's offences against `filter` within the window, this message counted once. */
export async function countOffence(ctx: Pick<BotContext, 'redis' | 'keys'>, input: { guildId: string; kickUserId: number; filter: string; messageId: string; windowMinutes: number }): Promise<number> {
  const keys = ctx.keys.filterOffences(input.guildId, input.kickUserId, input.filter, input.messageId);
  return Number(await runScript(ctx.redis, OFFENCE_SCRIPT, [keys.count, keys.seen], [input.windowMinutes * 60]));
}

/** What {@link REPEAT_LUA} needs for one message. */
export interface RepeatRunInput {
  guildId: string;
  kickUserId: number;
  fingerprint: string;
  messageId: string;
  windowSeconds: number;
}

/** The keys and arguments of {@link REPEAT_LUA}. */
export function repeatRunInput(ctx: Pick<BotContext, 'keys'>, input: RepeatRunInput): { keys: string[]; args: (string | number)[] } {
  return { keys: [ctx.keys.filterRepeats(input.guildId, input.kickUserId)], args: [input.fingerprint, input.messageId, input.windowSeconds] };
}

/** How many times in a row (within `windowSeconds` of each other) the viewer sent this fingerprint. */
export async function repeatRun(ctx: Pick<BotContext, 'redis' | 'keys'>, input: RepeatRunInput): Promise<number> {
  const { keys, args } = repeatRunInput(ctx, input);
  return Number(await runScript(ctx.redis, REPEAT_SCRIPT, keys, args));
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
