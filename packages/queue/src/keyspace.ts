/**
 * Where an install's keys live in Redis. `QUEUE_PREFIX` (default `kc`) names the install; every key
 * kickcord writes starts with `<prefix>:`, so two installs can share one Redis or Redis Cluster.
 *
 * - BullMQ queues use the prefix `<prefix>:{q}`: the `{q}` hash tag puts every key of a queue in one
 *   cluster slot, as BullMQ requires for its multi-key scripts (BullMQ's documented way to run on a
 *   Redis Cluster). `kick-events` jobs are `<prefix>:{q}:kick-events:<job id>`.
 * - Everything else (activity windows, cooldowns, caches, rate limits) is named in full as
 *   `<prefix>:…` (the bot's `RedisKeys`); keys that one command or script touches together carry a hash
 *   tag of their own, e.g. `<prefix>:act:{<guild>}:<broadcaster>:z` (every key of the per-message chat tally
 *   carries its guild's tag).
 */

/** The default install prefix. */
export const DEFAULT_KEY_PREFIX = 'kc';

/** The BullMQ `prefix` of an install's queues: `<prefix>:{q}`. */
export function queueKeyPrefix(installPrefix: string = DEFAULT_KEY_PREFIX): string {
  return `${installPrefix}:{q}`;
}

// BullMQ refuses integer-looking job ids and ids with ':'; a job id is also spliced into JSON unescaped.
const SAFE_JOB_ID = /^(?!\d+$)[A-Za-z0-9_.-]{1,128}$/;

/**
 * Whether `id` can be a BullMQ job id as the enqueuer writes it: 1–128 of `[A-Za-z0-9_.-]`, not only
 * digits (BullMQ reads an integer-looking id as a counter value).
 */
export function isSafeJobId(id: string): boolean {
  return SAFE_JOB_ID.test(id);
}
