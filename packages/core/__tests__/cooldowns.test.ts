import { describe, expect, it } from 'vitest';
import { checkCooldown, type CooldownInput } from '../src/cooldowns.ts';
import { USER_LEVELS } from '../src/userLevel.ts';

const NOW = 1_800_000_000_000;
const base: CooldownInput = { now: NOW, lastGlobalUseAt: null, lastUserUseAt: null, globalCooldownSec: 30, userCooldownSec: 120, userLevel: 'everyone' };
const ago = (sec: number) => NOW - sec * 1000;

describe('checkCooldown', () => {
  it.each([
    ['never used', {}, { allowed: true }],
    ['global running', { lastGlobalUseAt: ago(10) }, { allowed: false, retryInSec: 20, scope: 'global' }],
    ['global just expired', { lastGlobalUseAt: ago(30) }, { allowed: true }],
    ['global 1 ms left rounds up to 1 s', { lastGlobalUseAt: NOW - 29_999 }, { allowed: false, retryInSec: 1, scope: 'global' }],
    ['global 10.5 s left rounds up', { lastGlobalUseAt: NOW - 19_500 }, { allowed: false, retryInSec: 11, scope: 'global' }],
    ['user running', { lastUserUseAt: ago(100) }, { allowed: false, retryInSec: 20, scope: 'user' }],
    ['user expired', { lastUserUseAt: ago(120) }, { allowed: true }],
    ['both: user ends later', { lastGlobalUseAt: ago(1), lastUserUseAt: ago(60) }, { allowed: false, retryInSec: 60, scope: 'user' }],
    ['both: global ends later', { lastGlobalUseAt: ago(1), lastUserUseAt: ago(115), }, { allowed: false, retryInSec: 29, scope: 'global' }],
    ['tie reports global', { globalCooldownSec: 120, lastGlobalUseAt: ago(10), lastUserUseAt: ago(10) }, { allowed: false, retryInSec: 110, scope: 'global' }],
    ['zero cooldowns', { globalCooldownSec: 0, userCooldownSec: 0, lastGlobalUseAt: NOW, lastUserUseAt: NOW }, { allowed: true }],
    ['future last use blocks at most one cooldown', { lastGlobalUseAt: NOW + 3_600_000 }, { allowed: false, retryInSec: 30, scope: 'global' }],
    ['subscriber does not bypass', { userLevel: 'subscriber', lastGlobalUseAt: ago(10) }, { allowed: false, retryInSec: 20, scope: 'global' }],
    ['vip does not bypass', { userLevel: 'vip', lastUserUseAt: ago(10) }, { allowed: false, retryInSec: 110, scope: 'user' }],
    ['moderator bypasses', { userLevel: 'moderator', lastGlobalUseAt: ago(1), lastUserUseAt: ago(1) }, { allowed: true }],
    ['broadcaster bypasses', { userLevel: 'broadcaster', lastGlobalUseAt: ago(1), lastUserUseAt: ago(1) }, { allowed: true }],
  ] as [string, Partial<CooldownInput>, ReturnType<typeof checkCooldown>][])('%s', (_name, patch, expected) => {
    expect(checkCooldown({ ...base, ...patch })).toEqual(expected);
  });

  it('only moderator and broadcaster bypass', () => {
    const bypass = USER_LEVELS.filter((userLevel) => checkCooldown({ ...base, userLevel, lastGlobalUseAt: NOW }).allowed);
    expect(bypass).toEqual(['moderator', 'broadcaster']);
  });
});

