/**
 * Role rewards end to end: kick-sim → web → BullMQ → the bot worker → discord-sim's member roles, with the real
 * PostgreSQL and Redis. Subscriber role on new subs, renewals and gifts (giftees too), removal once expires_at
 * passes, watchtime and points tiers (highest vs stack) after a real watchtime tick, badge roles from chat, clear
 * messages when kickcord may not give a role (at configure time and, at use, in the mod-log), and the
 * reconciliation repairing drift.
 */
import { maintenanceTasks } from '@kickcord/bot';
import { appendLedgerEntries } from '@kickcord/db';
import { Perm } from '@kickcord/discord-sim';
import type { Job } from 'bullmq';
import { waitFor } from '@kickcord/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './helpers/harness.ts';

let stack: TestStack;
let offsetMs = 0;
const now = () => new Date(Date.now() + offsetMs);
const role: Record<'sub' | 'regular' | 'veteran' | 'rich' | 'vip', string> = { sub: '', regular: '', veteran: '', rich: '', vip: '' };

interface Viewer {
  kickUserId: number;
  username: string;
  discordUserId: string;
}
let nextDiscordId = 300000000000000100n;

async function linkedViewer(name: string, link = true, member = true): Promise<Viewer> {
  const kick = stack.createViewer(name);
  const discordUserId = String(nextDiscordId++);
  if (member) stack.discord.addMember(stack.guild.id, { id: discordUserId, username: `${name}_dc` });
  if (link) await stack.db.prisma.accountLink.create({ data: { discordUserId, kickUserId: kick.userId, kickUsername: kick.username } });
  return { kickUserId: kick.userId, username: kick.username, discordUserId };
}

function rolesOf(discordUserId: string): string[] {
  return stack.discord.getGuild(stack.guild.id)?.members.find((m) => m.id === discordUserId)?.roles ?? [];
}

async function runTask(name: string): Promise<unknown> {
  const task = maintenanceTasks.find((t) => t.name === name);
  if (!task) throw new Error(`no task ${name}`);
  return task.run(stack.bot.ctx, {} as Job);
}
const sync = () => runTask('role-rewards-sync');

function modLog(): string[] {
  return stack.discord.messages(stack.guild.modLogChannelId).map((m) => m.content);
}

async function waitForRole(discordUserId: string, roleId: string, present = true): Promise<void> {
  await waitFor(() => rolesOf(discordUserId).includes(roleId) === present, { description: `role ${roleId} ${present ? 'given to' : 'taken from'} ${discordUserId}`, timeoutMs: 15_000 });
}

/** A role change made outside kickcord (a server admin), straight over REST. */
async function memberRole(method: 'PUT' | 'DELETE', discordUserId: string, roleId: string): Promise<void> {
  const res = await fetch(`${stack.discord.apiUrl}/v10/guilds/${stack.guild.id}/members/${discordUserId}/roles/${roleId}`, { method, headers: { authorization: `Bot ${stack.discord.token}` } });
  expect(res.status).toBe(204);
}

const botRole = () => stack.discord.getGuild(stack.guild.id)?.roles.find((r) => r.managed);

beforeAll(async () => {
  stack = await startTestStack({ now });
  for (const [key, name] of [['sub', 'Subscriber'], ['regular', 'Regular'], ['veteran', 'Veteran'], ['rich', 'Rich'], ['vip', 'VIP']] as const) {
    role[key] = stack.discord.addRole(stack.guild.id, { name }).id;
  }
  // The first sync run sets its cursors (ledger, links); later runs read past them.
  await sync();
}, 120_000);
afterAll(async () => stack?.close());

describe('role rewards, end to end', () => {
  it('configures the subscriber role and the mod-log; the answer says when the bot may not give a role', async () => {
    expect(await stack.run(`/role-rewards subscriber role:@Subscriber`)).toContain(`Linked viewers with an active Kick subscription get <@&${role.sub}>`);
    expect(await stack.run(`/role-rewards modlog channel:#mod-log`)).toContain(`<#${stack.guild.modLogChannelId}>`);
    expect(await stack.run(`/role-rewards subscriber role:@Subscriber`, { as: 'member' })).toContain('Manage Server');

    const bot = botRole()!;
    const perms = bot.permissions;
    stack.discord.updateRole(stack.guild.id, bot.id, { permissions: (BigInt(perms) & ~Perm.ManageRoles).toString() });
    expect(await stack.run(`/role-rewards subscriber role:@Subscriber`)).toContain('kickcord needs the Manage Roles permission to give @Subscriber');
    stack.discord.updateRole(stack.guild.id, bot.id, { permissions: perms });

    const high = stack.discord.addRole(stack.guild.id, { name: 'Above' });
    stack.discord.updateRole(stack.guild.id, high.id, { position: bot.position + 1 });
    const answer = await stack.run(`/role-rewards badge badge:og role:@Above`);
    expect(answer).toContain("move kickcord's role");
    expect(answer).toContain('above @Above');
    expect(await stack.run('/role-rewards badge badge:og')).toContain('gives no role any more');
    expect(await stack.run(`/role-rewards subscriber role:@${botRole()!.name}`)).toContain('belongs to an integration');
    expect(await stack.run(`/role-rewards subscriber role:@Subscriber`)).not.toContain('⚠️ Not working yet');
  });

  it('a new subscription gives the linked viewer the subscriber role, with an audit-log reason and a mod-log line', async () => {
    const fan = await linkedViewer('rr_fan');
    await stack.kick.subscribe(stack.streamer.userId, fan.kickUserId, 1, { at: now() });
    await stack.drain();
    await waitForRole(fan.discordUserId, role.sub);
    const put = stack.discord.restCalls.find((c) => c.method === 'PUT' && c.path === `/guilds/${stack.guild.id}/members/${fan.discordUserId}/roles/${role.sub}`);
    expect(put?.auditLogReason).toMatch(/^kickcord role rewards: Kick subscriber \(until \d{4}-\d\d-\d\d\)$/);
    await waitFor(() => modLog().some((m) => m.includes(`<@&${role.sub}> given to <@${fan.discordUserId}> (Kick **${fan.username}**)`)), { description: 'the grant in the mod-log' });
    // Redelivered: nothing more is asked of Discord.
    const puts = () => stack.discord.restCalls.filter((c) => c.method === 'PUT' && c.path.endsWith(`/${fan.discordUserId}/roles/${role.sub}`)).length;
    await stack.kick.subscribe(stack.streamer.userId, fan.kickUserId, 1, { at: now() });
    await stack.drain();
    expect(puts()).toBe(1);
  });

  it('a renewal extends the subscription; the role goes only once the latest expires_at has passed', async () => {
    const fan = await linkedViewer('rr_renewer');
    const start = now();
    await stack.kick.subscribe(stack.streamer.userId, fan.kickUserId, 1, { at: start });
    await stack.drain();
    await waitForRole(fan.discordUserId, role.sub);
    const renewedAt = new Date(start.getTime() + 30 * 86_400_000);
    // Kick signs the delivery now; the payload is the renewal's (created 30 days on).
    await stack.kick.subscribe(stack.streamer.userId, fan.kickUserId, 2, { at: renewedAt, timestamp: new Date().toISOString() });
    await stack.drain();
    const row = await stack.db.prisma.roleRewardSubscription.findUniqueOrThrow({ where: { guildId_kickUserId: { guildId: stack.guild.id, kickUserId: fan.kickUserId } } });
    expect(row.expiresAt.getTime()).toBeGreaterThan(start.getTime() + 55 * 86_400_000);

    try {
      offsetMs = 40 * 86_400_000; // past the first expiry, before the renewed one
      await sync();
      expect(rolesOf(fan.discordUserId)).toContain(role.sub);
      offsetMs = 70 * 86_400_000; // past the renewed expiry and the grace hour
      await sync();
      expect(rolesOf(fan.discordUserId)).not.toContain(role.sub);
      expect(await stack.db.prisma.roleRewardSubscription.count({ where: { guildId: stack.guild.id, kickUserId: fan.kickUserId } })).toBe(0);
      const del = stack.discord.restCalls.find((c) => c.method === 'DELETE' && c.path.endsWith(`/${fan.discordUserId}/roles/${role.sub}`));
      expect(del?.auditLogReason).toBe('kickcord role rewards: Kick subscription ended');
      expect(modLog().some((m) => m.includes(`<@&${role.sub}> taken from <@${fan.discordUserId}>`) && m.includes('Kick subscription ended'))).toBe(true);
    } finally {
      offsetMs = 0;
    }
  });

  it('gifted subs give every linked giftee the role; a giftee who links later gets it at the next sync', async () => {
    const gifter = await linkedViewer('rr_gifter');
    const linked = await linkedViewer('rr_giftee1');
    const later = await linkedViewer('rr_giftee2', false);
    await stack.kick.giftSubs(stack.streamer.userId, gifter.kickUserId, [linked.kickUserId, later.kickUserId], { at: now() });
    await stack.drain();
    await waitForRole(linked.discordUserId, role.sub);
    expect(rolesOf(gifter.discordUserId)).not.toContain(role.sub);
    expect(rolesOf(later.discordUserId)).not.toContain(role.sub);

    await stack.db.prisma.accountLink.create({ data: { discordUserId: later.discordUserId, kickUserId: later.kickUserId, kickUsername: later.username, verifiedAt: new Date(Date.now() - 1_000) } });
    await waitFor(async () => {
      await sync();
      return rolesOf(later.discordUserId).includes(role.sub);
    }, { description: 'the late link to get the subscriber role', timeoutMs: 15_000, intervalMs: 500 });
  });

  it('a linked viewer who is not a member of the server is skipped without an error, and not asked about again for an hour', async () => {
    const away = await linkedViewer('rr_not_member', true, false);
    await stack.kick.subscribe(stack.streamer.userId, away.kickUserId, 1, { at: now() });
    await stack.drain();
    const lookups = () => stack.discord.restCalls.filter((c) => c.method === 'GET' && c.path === `/guilds/${stack.guild.id}/members/${away.discordUserId}`);
    expect(lookups().map((c) => c.status)).toEqual([404]);
    expect(await stack.bot.ctx.redis.exists(stack.bot.ctx.keys.roleRewardNotMember(stack.guild.id, away.discordUserId))).toBe(1);
    await stack.kick.subscribe(stack.streamer.userId, away.kickUserId, 2, { at: new Date(now().getTime() + 86_400_000), timestamp: new Date().toISOString() });
    await stack.drain();
    expect(lookups()).toHaveLength(1);
  });

  it('an unlinked Discord user loses the roles kickcord gave them at the next sync', async () => {
    const fan = await linkedViewer('rr_unlinker');
    await stack.kick.subscribe(stack.streamer.userId, fan.kickUserId, 1, { at: now() });
    await stack.drain();
    await waitForRole(fan.discordUserId, role.sub);
    await stack.db.prisma.accountLink.delete({ where: { discordUserId: fan.discordUserId } });
    await sync();
    expect(rolesOf(fan.discordUserId)).not.toContain(role.sub);
    expect(modLog().some((m) => m.includes(`<@&${role.sub}> taken from <@${fan.discordUserId}>: no longer linked to Kick`))).toBe(true);
    expect(await stack.db.prisma.roleRewardMember.count({ where: { discordUserId: fan.discordUserId } })).toBe(0);
  });

  it('watchtime and points tiers follow the ledger after a real tick: highest only, then stacking', async () => {
    expect(await stack.run('/role-rewards tier-add kind:watchtime threshold:1 role:@Regular')).toContain('1 h watchtime');
    expect(await stack.run('/role-rewards tier-add kind:watchtime threshold:2 role:@Veteran')).toContain('2 h watchtime');
    expect(await stack.run('/role-rewards tier-add kind:points threshold:1000 role:@Rich')).toContain('1,000 points');
    expect(await stack.run('/role-rewards tier-add kind:points threshold:5 role:@Regular')).toContain('already the watchtime tier');
    const fan = await linkedViewer('rr_watcher');
    await appendLedgerEntries(stack.db.prisma, [{ guildId: stack.guild.id, kickUserId: fan.kickUserId, username: fan.username, kind: 'admin', points: 0, minutes: 119, idempotencyKey: `seed:${fan.kickUserId}` }]);
    await sync(); // the reconciliation the configuration queued, and the seed: 119 minutes = Regular
    expect(rolesOf(fan.discordUserId)).toContain(role.regular);
    expect(rolesOf(fan.discordUserId)).not.toContain(role.veteran);

    // One more active minute through the real pipeline: chat while live, then the watchtime tick.
    await waitFor(() => Date.now() % 60_000 < 45_000, { description: 'a minute with ≥ 15 s left', timeoutMs: 20_000, intervalMs: 250 });
    await stack.kick.goLive(stack.streamer.userId, { title: 'tiers' });
    await stack.kick.sendChat(stack.streamer.userId, fan.kickUserId, 'watching');
    await stack.drain();
    await waitFor(() => stack.db.prisma.streamSession.findUnique({ where: { openBroadcasterUserId: stack.streamer.userId } }), { description: 'the stream session to open' });
    await runTask('watchtime-tick');
    expect((await stack.db.prisma.viewerStats.findUniqueOrThrow({ where: { guildId_kickUserId: { guildId: stack.guild.id, kickUserId: fan.kickUserId } } })).activeMinutes).toBe(120);
    await sync();
    expect(rolesOf(fan.discordUserId)).toContain(role.veteran);
    expect(rolesOf(fan.discordUserId)).not.toContain(role.regular);
    expect(modLog().some((m) => m.includes(`<@&${role.regular}> taken from <@${fan.discordUserId}>`) && m.includes('a higher tier replaces it'))).toBe(true);

    // Points from anywhere (a moderator's /points give) count too.
    expect(await stack.run(`/points give user:${fan.username} amount:1000`)).toContain('balance now');
    await sync();
    expect(rolesOf(fan.discordUserId)).toContain(role.rich);

    expect(await stack.run('/role-rewards mode mode:stack')).toContain('Tiers stack');
    await sync();
    expect(rolesOf(fan.discordUserId)).toEqual(expect.arrayContaining([role.regular, role.veteran, role.rich]));
  });

  it('badge roles follow the badges seen in chat (Redis only on the chat path)', async () => {
    expect(await stack.run('/role-rewards badge badge:vip role:@VIP')).toContain('vip badge');
    const fan = await linkedViewer('rr_vip');
    await stack.kick.sendChat(stack.streamer.userId, fan.kickUserId, 'hello', { badges: [{ text: 'VIP', type: 'vip' }] });
    await stack.drain();
    await sync();
    expect(rolesOf(fan.discordUserId)).toContain(role.vip);
    await stack.kick.sendChat(stack.streamer.userId, fan.kickUserId, 'still here', { badges: [] });
    await stack.drain();
    await sync();
    expect(rolesOf(fan.discordUserId)).not.toContain(role.vip);
    expect(modLog().some((m) => m.includes(`<@&${role.vip}> taken from <@${fan.discordUserId}>`) && m.includes('no Kick vip badge'))).toBe(true);
  });

  it('at use, a role kickcord may not give is reported in the mod-log and /role-rewards list, and given once fixed', async () => {
    const bot = botRole()!;
    stack.discord.updateRole(stack.guild.id, role.sub, { position: bot.position + 1 });
    const fan = await linkedViewer('rr_blocked');
    await stack.kick.subscribe(stack.streamer.userId, fan.kickUserId, 1, { at: now() });
    await stack.drain();
    await waitFor(() => modLog().some((m) => m.startsWith('⚠️ Role rewards:') && m.includes("move kickcord's role") && m.includes('above @Subscriber')), { description: 'the problem in the mod-log' });
    expect(rolesOf(fan.discordUserId)).not.toContain(role.sub);
    expect(await stack.run('/role-rewards list')).toMatch(/Last problem .*move kickcord's role/s);

    stack.discord.updateRole(stack.guild.id, role.sub, { position: 1 });
    await runTask('role-rewards-reconcile');
    expect(rolesOf(fan.discordUserId)).toContain(role.sub);
  });

  it('the daily reconciliation repairs drift: a removed role comes back, a role without an active sub goes', async () => {
    const kept = await linkedViewer('rr_drift_sub');
    await stack.kick.subscribe(stack.streamer.userId, kept.kickUserId, 1, { at: now() });
    await stack.drain();
    await waitForRole(kept.discordUserId, role.sub);
    const stray = await linkedViewer('rr_drift_none');
    await appendLedgerEntries(stack.db.prisma, [{ guildId: stack.guild.id, kickUserId: stray.kickUserId, username: stray.username, kind: 'admin', points: 1, idempotencyKey: `seed:${stray.kickUserId}` }]);

    // Someone removes the subscriber's role and hands it to a linked viewer without a subscription.
    await memberRole('DELETE', kept.discordUserId, role.sub);
    await memberRole('PUT', stray.discordUserId, role.sub);
    const summary = (await runTask('role-rewards-reconcile')) as { guilds: number; added: number; removed: number };
    expect(summary.guilds).toBe(1);
    expect(rolesOf(kept.discordUserId)).toContain(role.sub);
    expect(rolesOf(stray.discordUserId)).not.toContain(role.sub);
    expect(summary.added).toBeGreaterThanOrEqual(1);
    expect(summary.removed).toBeGreaterThanOrEqual(1);
  });
});
