/**
 * Role rewards: the rules (which roles a viewer should hold, highest vs stacking tiers, the grace after expires_at,
 * unknown badges left alone), what the bot says when it cannot give a role, and the chat path: with badge roles
 * configured, ordinary messages cost no PostgreSQL statement and only a change of badges queues a role sync.
 */
import type { APIRole } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badgeSignature, desiredRoles, SUBSCRIPTION_GRACE_MS, undecidedRoleIds, type RoleRewardConfig, type ViewerFacts } from '../src/features/roleRewards/desiredRoles.ts';
import { judgeRole, roleAbove } from '../src/discord/memberRoles.ts';
import { packLines } from '../src/features/roleRewards/modLog.ts';
import { recordSubscriptions, subscriptionExpiry } from '../src/features/roleRewards/subscriptionHandler.ts';
import { forgetGuildSettings } from '../src/guildSettings.ts';
import { startServiceStack, type ServiceStack } from './helpers/serviceStack.ts';

const NOW = new Date('2026-12-06T12:00:00Z');
const config: RoleRewardConfig = {
  guildId: '1',
  subscriberRoleId: 'sub',
  tierMode: 'highest',
  tiers: [
    { kind: 'watchtime', threshold: 600, roleId: 'regular' },
    { kind: 'watchtime', threshold: 6_000, roleId: 'veteran' },
    { kind: 'points', threshold: 1_000, roleId: 'rich' },
  ],
  badges: [{ badge: 'vip', roleId: 'vip-role' }],
  modLogChannelId: null,
};
const facts = (over: Partial<ViewerFacts> = {}): ViewerFacts => ({ activeMinutes: 0, points: 0, subscriptionExpiresAt: null, badges: [], ...over });
const ids = (f: ViewerFacts, c: RoleRewardConfig = config, now = NOW) => desiredRoles(c, f, now).map((w) => w.roleId).sort();

describe('which roles a linked viewer should hold', () => {
  it('keeps the subscriber role until an hour past expires_at', () => {
    const expires = new Date(NOW.getTime() - SUBSCRIPTION_GRACE_MS + 1_000);
    expect(ids(facts({ subscriptionExpiresAt: expires }))).toEqual(['sub']);
    expect(ids(facts({ subscriptionExpiresAt: new Date(NOW.getTime() - SUBSCRIPTION_GRACE_MS) }))).toEqual([]);
    expect(desiredRoles(config, facts({ subscriptionExpiresAt: new Date('2027-01-06T12:00:00Z') }), NOW)[0]?.why).toBe('Kick subscriber (until 2027-01-06)');
  });

  it('gives the highest tier of each ladder, or every tier reached when they stack', () => {
    expect(ids(facts({ activeMinutes: 599 }))).toEqual([]);
    expect(ids(facts({ activeMinutes: 600 }))).toEqual(['regular']);
    expect(ids(facts({ activeMinutes: 6_000, points: 1_000 }))).toEqual(['rich', 'veteran']);
    expect(ids(facts({ activeMinutes: 6_000, points: 1_000 }), { ...config, tierMode: 'stack' })).toEqual(['regular', 'rich', 'veteran']);
  });

  it('gives badge roles only for seen badges and leaves them alone while badges are unknown', () => {
    expect(ids(facts({ badges: ['vip'] }))).toEqual(['vip-role']);
    expect(ids(facts({ badges: null }))).toEqual([]);
    expect([...undecidedRoleIds(config, facts({ badges: null }))]).toEqual(['vip-role']);
    expect([...undecidedRoleIds(config, facts({ badges: [] }))]).toEqual([]);
  });

  it('compares only the configured badges, in a stable order', () => {
    expect(badgeSignature(['vip', 'og'], [{ type: 'subscriber' }, { type: 'VIP' }, { type: 'og' }])).toBe('og,vip');
    expect(badgeSignature(['vip'], [{ type: 'moderator' }])).toBe('');
  });

  it("reads a subscription's expiry from expires_at, else a month after created_at", () => {
    expect(subscriptionExpiry({ created_at: '2025-01-14T16:08:06Z', expires_at: '2025-02-14T16:08:06Z' }, NOW).toISOString()).toBe('2025-02-14T16:08:06.000Z');
    expect(subscriptionExpiry({ created_at: '2025-01-14T16:08:06Z', expires_at: null }, NOW).toISOString()).toBe('2025-02-14T16:08:06.000Z');
    expect(subscriptionExpiry({ created_at: 'not a date', expires_at: null }, NOW).toISOString()).toBe('2027-01-06T12:00:00.000Z');
  });
});

describe('what stops the bot from giving a role', () => {
  const GUILD = '900';
  const role = (id: string, name: string, position: number, extra: Partial<APIRole> = {}): APIRole =>
    ({ id, name, position, permissions: '0', managed: false, color: 0, hoist: false, mentionable: false, flags: 0, icon: null, unicode_emoji: null, ...extra }) as APIRole;
  const manageRoles = (1n << 28n).toString();
  const roles = [role(GUILD, '@everyone', 0), role('10', 'Subscriber', 1), role('11', 'kickcord', 2, { managed: true, permissions: manageRoles }), role('12', 'Admins', 3)];

  it('says what to fix: the hierarchy, Manage Roles, deleted, @everyone and integration roles', () => {
    expect(judgeRole({ guildId: GUILD, roleId: '10', roles, botRoleIds: ['11'] })).toBeNull();
    expect(judgeRole({ guildId: GUILD, roleId: '12', roles, botRoleIds: ['11'] })?.text).toBe(
      "move kickcord's role (@kickcord) above @Admins in Server Settings → Roles: Discord lets a bot give only roles below its own",
    );
    const noManage = roles.map((r) => (r.id === '11' ? { ...r, permissions: '0' } : r));
    expect(judgeRole({ guildId: GUILD, roleId: '10', roles: noManage, botRoleIds: ['11'] })).toMatchObject({ kind: 'manage-roles', text: expect.stringContaining('kickcord needs the Manage Roles permission to give @Subscriber') });
    expect(judgeRole({ guildId: GUILD, roleId: '99', roles, botRoleIds: ['11'] })?.kind).toBe('unknown-role');
    expect(judgeRole({ guildId: GUILD, roleId: GUILD, roles, botRoleIds: ['11'] })?.kind).toBe('everyone');
    expect(judgeRole({ guildId: GUILD, roleId: '11', roles, botRoleIds: ['11'] })?.kind).toBe('managed');
  });

  it('orders equal positions by the older id, as Discord does', () => {
    expect(roleAbove({ id: '5', position: 2 }, { id: '6', position: 2 })).toBe(true);
    expect(roleAbove({ id: '6', position: 2 }, { id: '5', position: 2 })).toBe(false);
    expect(roleAbove({ id: '6', position: 3 }, { id: '5', position: 2 })).toBe(true);
  });

  it('packs mod-log lines into messages of at most 2,000 characters', () => {
    const lines = Array.from({ length: 50 }, (_, i) => `➕ line ${i} ${'x'.repeat(80)}`);
    const packed = packLines(lines);
    expect(packed.length).toBeGreaterThan(1);
    expect(packed.every((m) => m.length <= 2_000)).toBe(true);
    expect(packed.join('\n').split('\n')).toEqual(lines);
  });
});

describe('with the database and Redis', () => {
  let stack: ServiceStack;
  beforeAll(async () => {
    stack = await startServiceStack();
  });
  afterAll(async () => stack?.close());

  it('never moves a recorded expiry back: a late or repeated older event changes nothing; "since" survives renewals and restarts after a lapse', async () => {
    const viewer = stack.viewer('latesub');
    const row = async () => {
      const r = await stack.db.prisma.roleRewardSubscription.findUniqueOrThrow({ where: { guildId_kickUserId: { guildId: stack.guildId, kickUserId: viewer.userId } } });
      return { expiresAt: r.expiresAt.toISOString(), since: r.since.toISOString() };
    };
    const at = (iso: string) => new Date(`${iso}T00:00:00Z`);
    await recordSubscriptions(stack.ctx, stack.guildId, [viewer.userId, viewer.userId], at('2027-03-01'), at('2027-02-01'));
    await recordSubscriptions(stack.ctx, stack.guildId, [viewer.userId], at('2027-02-01'), at('2027-01-01'));
    expect(await row()).toEqual({ expiresAt: '2027-03-01T00:00:00.000Z', since: '2027-02-01T00:00:00.000Z' });
    // A renewal extends the expiry and keeps the start.
    await recordSubscriptions(stack.ctx, stack.guildId, [viewer.userId], at('2027-04-01'), at('2027-03-01'));
    expect(await row()).toEqual({ expiresAt: '2027-04-01T00:00:00.000Z', since: '2027-02-01T00:00:00.000Z' });
    // A sub a month after the last one ran out starts a new unbroken run.
    await recordSubscriptions(stack.ctx, stack.guildId, [viewer.userId], at('2027-06-01'), at('2027-05-01'));
    expect(await row()).toEqual({ expiresAt: '2027-06-01T00:00:00.000Z', since: '2027-05-01T00:00:00.000Z' });
  });

  it('costs no PostgreSQL statement per message and queues a sync only when a viewer’s configured badges change', async () => {
    await stack.db.prisma.guildSettings.update({ where: { guildId: stack.guildId }, data: { roleRewardBadges: ['vip'] } });
    await forgetGuildSettings(stack.ctx, stack.guildId);
    const vip = stack.viewer('badgevip');
    const plain = stack.viewer('badgeplain');
    const pending = () => stack.redis.smembers(stack.ctx.keys.roleRewardPending());
    // Warm-up: the first message fills the caches.
    await stack.sim.sendChat(stack.streamer.userId, plain.userId, 'warm up', { at: stack.clock.now() });
    const before = stack.statements();
    for (let i = 0; i < 10; i++) {
      await stack.sim.sendChat(stack.streamer.userId, vip.userId, `vip ${i}`, { at: stack.clock.now(), badges: [{ text: 'VIP', type: 'vip' }] });
      await stack.sim.sendChat(stack.streamer.userId, plain.userId, `plain ${i}`, { at: stack.clock.now(), badges: [{ text: 'OG', type: 'og' }] });
    }
    expect(stack.failures).toEqual([]);
    expect(stack.statements() - before).toBe(0);
    // The VIP's badge appeared once; the plain viewer has no configured badge: nothing to sync.
    expect(await pending()).toEqual([`${stack.guildId}:${vip.userId}`]);
    await stack.redis.del(stack.ctx.keys.roleRewardPending());
    await stack.sim.sendChat(stack.streamer.userId, vip.userId, 'lost it', { at: stack.clock.now() });
    expect(await pending()).toEqual([`${stack.guildId}:${vip.userId}`]);
    expect(stack.statements() - before).toBe(0);
  });
});
