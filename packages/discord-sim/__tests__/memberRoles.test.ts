/**
 * A member's roles over REST (`PUT/DELETE /guilds/{g}/members/{u}/roles/{r}`) as Discord answers them: 204, the
 * audit-log reason recorded, GUILD_MEMBER_UPDATE on a change, and Discord's refusals — 50013 Missing Permissions
 * without Manage Roles, for a role at or above the bot's highest role (Administrator does not lift that) and for an
 * integration role; 10011 Unknown Role; 10007 Unknown Member.
 */
import { DiscordAPIError, PermissionFlagsBits, REST, RESTJSONErrorCodes, Routes } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscordSim, type DiscordSim, type SimRole } from '../src/index.ts';

const GUILD = '830000000000000001';
const MEMBER = '830000000000000010';
const OWNER = '830000000000000011';

let sim: DiscordSim;
let rest: REST;
let low: SimRole;

const roles = () => sim.getGuild(GUILD)?.roles ?? [];
const botRole = () => roles().find((r) => r.managed) as SimRole;
const memberRoles = () => sim.getGuild(GUILD)?.members.find((m) => m.id === MEMBER)?.roles ?? [];
const refusal = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);

beforeAll(async () => {
  sim = await startDiscordSim();
  sim.addGuild({ id: GUILD, name: 'Roles', ownerId: OWNER, members: [{ id: OWNER, username: 'owner' }, { id: MEMBER, username: 'viewer' }], channels: [{ name: 'general' }] });
  low = sim.addRole(GUILD, { name: 'Subscriber' });
  rest = new REST({ api: sim.apiUrl, retries: 0 }).setToken(sim.token);
});
afterAll(async () => sim?.close());

describe('member roles over REST', () => {
  it('creates a role at the bottom of the list, below the bot role', () => {
    expect(low.position).toBe(1);
    expect(botRole().position).toBeGreaterThan(low.position);
  });

  it('adds and removes a role with 204, records the decoded audit-log reason, and is idempotent', async () => {
    await rest.put(Routes.guildMemberRole(GUILD, MEMBER, low.id), { reason: 'kickcord role rewards: Kick subscriber (until 2027-01-06)' });
    expect(memberRoles()).toContain(low.id);
    await rest.put(Routes.guildMemberRole(GUILD, MEMBER, low.id));
    expect(memberRoles().filter((r) => r === low.id)).toHaveLength(1);
    const put = sim.restCalls.find((c) => c.method === 'PUT' && c.path === `/guilds/${GUILD}/members/${MEMBER}/roles/${low.id}`);
    expect(put).toMatchObject({ status: 204, auditLogReason: 'kickcord role rewards: Kick subscriber (until 2027-01-06)' });
    await rest.delete(Routes.guildMemberRole(GUILD, MEMBER, low.id), { reason: 'ended' });
    expect(memberRoles()).not.toContain(low.id);
    expect(sim.restCalls.at(-1)).toMatchObject({ method: 'DELETE', status: 204, auditLogReason: 'ended' });
  });

  it('answers 10011 Unknown Role and 10007 Unknown Member', async () => {
    expect(await refusal(rest.put(Routes.guildMemberRole(GUILD, MEMBER, '830000000000000999')))).toMatchObject({ status: 404, code: RESTJSONErrorCodes.UnknownRole });
    expect(await refusal(rest.put(Routes.guildMemberRole(GUILD, '830000000000000998', low.id)))).toMatchObject({ status: 404, code: RESTJSONErrorCodes.UnknownMember });
  });

  it('refuses a role at or above the bot role with 50013, also for an Administrator bot, until the role is moved below', async () => {
    const high = sim.addRole(GUILD, { name: 'Veteran' });
    sim.updateRole(GUILD, high.id, { position: botRole().position + 1 });
    expect(high.position).toBeGreaterThan(botRole().position);
    const e = await refusal(rest.put(Routes.guildMemberRole(GUILD, MEMBER, high.id)));
    expect(e).toBeInstanceOf(DiscordAPIError);
    expect(e).toMatchObject({ status: 403, code: RESTJSONErrorCodes.MissingPermissions });

    const bot = botRole();
    const before = bot.permissions;
    sim.updateRole(GUILD, bot.id, { permissions: (BigInt(before) | PermissionFlagsBits.Administrator).toString() });
    expect(await refusal(rest.put(Routes.guildMemberRole(GUILD, MEMBER, high.id)))).toMatchObject({ code: RESTJSONErrorCodes.MissingPermissions });
    sim.updateRole(GUILD, bot.id, { permissions: before });

    sim.updateRole(GUILD, high.id, { position: 1 });
    expect(high.position).toBeLessThan(botRole().position);
    await rest.put(Routes.guildMemberRole(GUILD, MEMBER, high.id));
    expect(memberRoles()).toContain(high.id);
    // The positions stay a permutation of 1..n.
    expect(roles().filter((r) => r.id !== GUILD).map((r) => r.position).sort((a, b) => a - b)).toEqual(roles().slice(1).map((_, i) => i + 1));
  });

  it('refuses with 50013 when the bot lacks Manage Roles, and for an integration role', async () => {
    const bot = botRole();
    const before = bot.permissions;
    sim.updateRole(GUILD, bot.id, { permissions: (BigInt(before) & ~PermissionFlagsBits.ManageRoles).toString() });
    expect(await refusal(rest.put(Routes.guildMemberRole(GUILD, MEMBER, low.id)))).toMatchObject({ status: 403, code: RESTJSONErrorCodes.MissingPermissions });
    expect(await refusal(rest.delete(Routes.guildMemberRole(GUILD, MEMBER, low.id)))).toMatchObject({ code: RESTJSONErrorCodes.MissingPermissions });
    sim.updateRole(GUILD, bot.id, { permissions: before });
    expect(await refusal(rest.put(Routes.guildMemberRole(GUILD, MEMBER, bot.id)))).toMatchObject({ code: RESTJSONErrorCodes.MissingPermissions });
    expect(memberRoles()).not.toContain(bot.id);
  });
});
