/**
 * Watchtime across the activity key rename: releases before 2026-12-06 kept a channel's chat activity under
 * `RedisKeys.legacyActivity`; `readActivity` reads those keys beside the current ones and merges them per viewer
 * (the latest message's name and subscriber flag, every chat minute of both), so an upgrade loses no watchtime.
 */
import { randomBytes } from 'node:crypto';
import { createRedisConnection, type RedisConnection } from '@kickcord/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeViewerActivity, readActivity, recordChatActivity, type ViewerActivity } from '../src/features/watchtime/activity.ts';
import { RedisKeys } from '../src/redisKeys.ts';

let redis: RedisConnection;
const keys = new RedisKeys(`kc-test-actlegacy-${randomBytes(3).toString('hex')}`);

beforeAll(() => {
  redis = createRedisConnection(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
});
afterAll(async () => {
  const own = await redis.keys(`${keys.prefix}:*`);
  if (own.length > 0) await redis.del(...own);
  redis?.disconnect();
});

/** A viewer's entry as every release stores it: `<sub 0|1>|<latest ms>|<minutes,...>|<username>`. */
function storedEntry(sub: boolean, latestMs: number, minutes: readonly number[], username: string): string {
  return `${sub ? 1 : 0}|${latestMs}|${minutes.join(',')}|${username}`;
}

/** Writes one viewer's activity under the names earlier releases used (zset score = their latest chat). */
async function writeLegacy(guildId: string, broadcasterUserId: number, userId: number, sub: boolean, latestMs: number, minutes: readonly number[], username: string): Promise<void> {
  const legacy = keys.legacyActivity(guildId, broadcasterUserId);
  await redis.zadd(legacy.zset, latestMs, String(userId));
  await redis.hset(legacy.hash, String(userId), storedEntry(sub, latestMs, minutes, username));
  await redis.expire(legacy.zset, 3600);
  await redis.expire(legacy.hash, 3600);
}

describe('readActivity across the key rename', () => {
  it('returns viewers of the earlier key names, of the current ones, and of both merged', async () => {
    const guildId = 'g-legacy-1';
    const broadcaster = 9001;
    const base = Math.floor(Date.now() / 60_000) * 60_000 - 30 * 60_000;
    const minute = (ms: number) => Math.floor(ms / 60_000);

    // A: only under the earlier names (minutes stored out of order).
    const aLatest = base + 5 * 60_000 + 1_000;
    await writeLegacy(guildId, broadcaster, 101, true, aLatest, [minute(aLatest), minute(base + 2 * 60_000)], 'alice');
    // B: under both; the earlier names hold an older name and flag and other minutes.
    const bOld = base + 3 * 60_000 + 500;
    await writeLegacy(guildId, broadcaster, 102, true, bOld, [minute(base + 60_000), minute(bOld)], 'bob_old');
    const bNew1 = base + 7 * 60_000 + 10;
    const bNew2 = base + 9 * 60_000 + 20;
    await recordChatActivity({ redis, keys }, { guildId, broadcasterUserId: broadcaster, userId: 102, username: 'bob_mid', isSubscriber: true, at: new Date(bNew1) });
    await recordChatActivity({ redis, keys }, { guildId, broadcasterUserId: broadcaster, userId: 102, username: 'bob', isSubscriber: false, at: new Date(bNew2) });
    // B also chatted in minute(bOld) after the rename: that minute is counted once.
    await recordChatActivity({ redis, keys }, { guildId, broadcasterUserId: broadcaster, userId: 102, username: 'bob_early', isSubscriber: true, at: new Date(bOld + 1_000) });
    // C: only under the current names.
    const cAt = base + 8 * 60_000;
    await recordChatActivity({ redis, keys }, { guildId, broadcasterUserId: broadcaster, userId: 103, username: 'carol', isSubscriber: true, at: new Date(cAt) });
    // D: under the earlier names, but too long ago for the query.
    await writeLegacy(guildId, broadcaster, 104, false, base - 60 * 60_000, [minute(base - 60 * 60_000)], 'dave');
    // Another channel's earlier keys are not this channel's activity.
    await writeLegacy(guildId, broadcaster + 1, 105, false, aLatest, [minute(aLatest)], 'elsewhere');

    const [viewers, empty] = await readActivity({ redis, keys }, [
      { guildId, broadcasterUserId: broadcaster, sinceMs: base },
      { guildId, broadcasterUserId: 9999, sinceMs: base },
    ]);
    expect(empty).toEqual([]);
    const byId = [...(viewers ?? [])].sort((x, y) => x.userId - y.userId);
    expect(byId).toEqual<ViewerActivity[]>([
      { userId: 101, username: 'alice', isSubscriber: true, lastChatAt: aLatest, chatMinutes: [minute(base + 2 * 60_000), minute(aLatest)] },
      {
        userId: 102,
        username: 'bob',
        isSubscriber: false,
        lastChatAt: bNew2,
        chatMinutes: [minute(base + 60_000), minute(bOld), minute(bNew1), minute(bNew2)],
      },
      { userId: 103, username: 'carol', isSubscriber: true, lastChatAt: cAt, chatMinutes: [minute(cAt)] },
    ]);
  });

  it('keeps the earlier record’s name and flag when its chat is the latest', async () => {
    const guildId = 'g-legacy-2';
    const broadcaster = 9002;
    const now = Math.floor(Date.now() / 60_000) * 60_000;
    const minute = (ms: number) => Math.floor(ms / 60_000);
    const current = now - 10 * 60_000;
    const legacyLatest = now - 2 * 60_000;
    await recordChatActivity({ redis, keys }, { guildId, broadcasterUserId: broadcaster, userId: 201, username: 'older_name', isSubscriber: false, at: new Date(current) });
    await writeLegacy(guildId, broadcaster, 201, true, legacyLatest, [minute(legacyLatest)], 'latest_name');

    const [viewers] = await readActivity({ redis, keys }, [{ guildId, broadcasterUserId: broadcaster, sinceMs: now - 60 * 60_000 }]);
    expect(viewers).toEqual<ViewerActivity[]>([{ userId: 201, username: 'latest_name', isSubscriber: true, lastChatAt: legacyLatest, chatMinutes: [minute(current), minute(legacyLatest)] }]);
  });
});

describe('mergeViewerActivity', () => {
  const older: ViewerActivity = { userId: 7, username: 'old', isSubscriber: true, lastChatAt: 1_000, chatMinutes: [3, 5, 9] };
  const newer: ViewerActivity = { userId: 7, username: 'new', isSubscriber: false, lastChatAt: 2_000, chatMinutes: [1, 5, 12] };

  it('takes the name and flag of the latest chat and every minute of both, once, in order', () => {
    const expected: ViewerActivity = { userId: 7, username: 'new', isSubscriber: false, lastChatAt: 2_000, chatMinutes: [1, 3, 5, 9, 12] };
    expect(mergeViewerActivity(older, newer)).toEqual(expected);
    expect(mergeViewerActivity(newer, older)).toEqual(expected);
  });

  it('keeps the first record on a tie and sorts minutes numerically', () => {
    const first: ViewerActivity = { userId: 8, username: 'first', isSubscriber: false, lastChatAt: 5_000, chatMinutes: [100, 9] };
    const second: ViewerActivity = { userId: 8, username: 'second', isSubscriber: true, lastChatAt: 5_000, chatMinutes: [20] };
    expect(mergeViewerActivity(first, second)).toEqual({ userId: 8, username: 'first', isSubscriber: false, lastChatAt: 5_000, chatMinutes: [9, 20, 100] });
  });

  it('leaves its inputs unchanged', () => {
    const a = structuredClone(older);
    const b = structuredClone(newer);
    mergeViewerActivity(a, b);
    expect(a).toEqual(older);
    expect(b).toEqual(newer);
  });
});
