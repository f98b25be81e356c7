import { describe, expect, it } from 'vitest';
import { RedisKeys } from '../src/redisKeys.ts';

/** The hash tag Redis Cluster hashes: the part between the first `{` and the next `}` (if non-empty). */
function hashTag(key: string): string {
  const open = key.indexOf('{');
  const close = key.indexOf('}', open + 1);
  return open >= 0 && close > open + 1 ? key.slice(open + 1, close) : key;
}

describe('RedisKeys', () => {
  const keys = new RedisKeys('kc');

  it('puts every key under the install prefix', () => {
    const all = [
      ...Object.values(keys.activity('g1', 7)),
      keys.paidMarker('s1'),
      keys.seenViewer('g1', 5),
      keys.newViewers(),
      keys.guildSettings('g1'),
      keys.raffleKeyword('g1'),
      keys.commandUse('g1', 'm1'),
      ...Object.values(keys.cooldowns('g1', 'Lurk', 5)),
      keys.timers('g1').lines,
      keys.timers('g1').marks,
      keys.timers('g1').lineSeen('m1'),
      keys.pendingImport('i1'),
      keys.chatOut(7, 42),
      keys.lock('flush'),
      keys.watchtimeFailure('g1'),
      keys.noticeSent('g1', 'reauth'),
      keys.identify(0),
      keys.accountLink().code('h1'),
      keys.accountLink().userCode('d1'),
      keys.accountLink().issued('d1'),
      keys.accountLink().failures(5),
      keys.accountLink().redeemed('m1'),
      keys.accountLink().pending('p1'),
      keys.roleRewardBadges('g1'),
      keys.roleRewardPending(),
      keys.roleRewardReconcile(),
      keys.roleRewardCursor('ledger'),
      keys.roleRewardProblem('g1'),
      keys.roleRewardNotMember('g1', 'd1'),
    ];
    for (const key of all) expect(key.startsWith('kc:')).toBe(true);
    expect(new RedisKeys('other').identify(0)).toBe('other:identify:0');
  });

  it('gives keys that one script touches the same hash tag (one Redis Cluster slot)', () => {
    const act = keys.activity('g1', 7);
    // Every key of the per-message chat tally (one script) carries the guild's tag.
    expect(hashTag(act.zset)).toBe('g1');
    expect(hashTag(act.hash)).toBe('g1');
    expect(hashTag(keys.timers('g1').lines)).toBe('g1');
    expect(hashTag(keys.timers('g1').lineSeen('m1'))).toBe('g1');
    expect(hashTag(keys.seenViewer('g1', 5))).toBe('g1');
    expect(hashTag(keys.roleRewardBadges('g1'))).toBe('g1');
    // The names earlier releases wrote keep their guild-and-channel tag, and differ from the current ones.
    const legacy = keys.legacyActivity('g1', 7);
    expect(hashTag(legacy.zset)).toBe('g1:7');
    expect(hashTag(legacy.hash)).toBe('g1:7');
    // Exactly the names earlier releases wrote, or an upgrade would not find their activity.
    expect(legacy).toEqual({ zset: 'kc:act:{g1:7}:z', hash: 'kc:act:{g1:7}:h' });
    expect(act).toEqual({ zset: 'kc:act:{g1}:7:z', hash: 'kc:act:{g1}:7:h' });
    expect([legacy.zset, legacy.hash]).not.toContain(act.zset);
    expect([legacy.zset, legacy.hash]).not.toContain(act.hash);
    expect(legacy.zset).not.toBe(legacy.hash);
    const cd = keys.cooldowns('g1', 'Lurk', 5);
    expect(hashTag(cd.global)).toBe(hashTag(cd.user));
    const timers = keys.timers('g1');
    expect(hashTag(timers.lineSeen('m1'))).toBe(hashTag(timers.lines));
    // Different guilds spread over the cluster.
    expect(hashTag(keys.activity('g2', 7).zset)).not.toBe(hashTag(act.zset));
  });

  it('lower-cases command names so !Lurk and !lurk share a cooldown', () => {
    expect(keys.cooldowns('123', 'Lurk', 456)).toEqual({ global: 'kc:cd:{123}:g:lurk', user: 'kc:cd:{123}:u:lurk:456' });
    expect(keys.cooldowns('123', 'lurk', 456)).toEqual(keys.cooldowns('123', 'LURK', 456));
  });
});
