import { DiscordAPIError, PermissionFlagsBits, Routes, type APIGuildMember, type APIRole, type APIUser, type REST } from 'discord.js';

/** Discord's "Missing Permissions", "Unknown Role" and "Unknown Member" error codes. */
const MISSING_PERMISSIONS = 50013;
const UNKNOWN_ROLE = 10011;
const UNKNOWN_MEMBER = 10007;

/** A role the bot could not give or take, with what to fix (safe to show to moderators and the buyer). */
export class RoleGrantError extends Error {
  override readonly name = 'RoleGrantError';
}

/** What the bot knows about a role and about itself when deciding whether it can manage the role. */
export interface RoleCheckInput {
  roleName: string;
  rolePosition: number;
  /** Roles of integrations (bots, boosts) cannot be given by anyone. */
  roleManaged: boolean;
  /** The @everyone role (id = guild id). */
  isEveryone: boolean;
  /** The bot's permissions in the server (all its roles together). */
  botPermissions: bigint;
  /** Position of the bot's highest role. */
  botTopPosition: number;
}

/**
 * Why the bot cannot give a role, in words that say what to fix, or null when it can: it needs Manage Roles,
 * and Discord only lets it give roles below its own highest role.
 */
export function roleProblem(input: RoleCheckInput): string | null {
  const role = `@${input.roleName}`;
  if (input.isEveryone) return 'Everyone already has @everyone: choose another role.';
  if (input.roleManaged) return `${role} belongs to an integration (a bot or Server Boost) and cannot be given by hand: choose another role.`;
  const perms = input.botPermissions;
  if ((perms & (PermissionFlagsBits.ManageRoles | PermissionFlagsBits.Administrator)) === 0n) {
    return `kickcord needs the Manage Roles permission to give ${role}: turn it on for kickcord's role in Server Settings → Roles.`;
  }
  if (input.rolePosition >= input.botTopPosition) return `Move kickcord's role above ${role} in Server Settings → Roles (Discord only lets a bot give roles below its own).`;
  return null;
}

/** Looks up the bot's member and the server's roles over REST and explains why it cannot manage `roleId` (null: nothing found). */
async function explainRoleProblem(rest: REST, guildId: string, roleId: string): Promise<string | null> {
  try {
    const me = (await rest.get(Routes.user('@me'))) as APIUser;
    const [member, roles] = (await Promise.all([rest.get(Routes.guildMember(guildId, me.id)), rest.get(Routes.guildRoles(guildId))])) as [APIGuildMember, APIRole[]];
    const role = roles.find((r) => r.id === roleId);
    if (!role) return null;
    const mine = roles.filter((r) => r.id === guildId || member.roles.includes(r.id));
    return roleProblem({
      roleName: role.name,
      rolePosition: role.position,
      roleManaged: role.managed,
      isEveryone: role.id === guildId,
      botPermissions: mine.reduce((acc, r) => acc | BigInt(r.permissions), 0n),
      botTopPosition: Math.max(0, ...mine.map((r) => r.position)),
    });
  } catch {
    return null;
  }
}

/**
 * Gives (`add`) or takes a Discord role from a member over REST (so a worker without a gateway session can),
 * with the audit-log `reason`. Taking a role the member no longer has, or from someone who left, is a success.
 * Throws {@link RoleGrantError} saying what to fix when Discord refuses.
 */
export async function changeMemberRole(rest: REST, input: { guildId: string; userId: string; roleId: string; add: boolean; reason: string }): Promise<void> {
  const route = Routes.guildMemberRole(input.guildId, input.userId, input.roleId);
  try {
    if (input.add) await rest.put(route, { reason: input.reason });
    else await rest.delete(route, { reason: input.reason });
  } catch (error) {
    if (!(error instanceof DiscordAPIError)) throw error;
    if (error.code === UNKNOWN_MEMBER) {
      if (!input.add) return;
      throw new RoleGrantError('The buyer is not a member of this Discord server, so the role cannot be given.');
    }
    if (error.code === UNKNOWN_ROLE) {
      if (!input.add) return;
      throw new RoleGrantError("The item's role no longer exists: edit the item with `/shop edit` and choose another role.");
    }
    if (error.code === MISSING_PERMISSIONS) {
      const why = await explainRoleProblem(rest, input.guildId, input.roleId);
      throw new RoleGrantError(why ?? `kickcord may not ${input.add ? 'give' : 'remove'} <@&${input.roleId}>: it needs Manage Roles and a role above it.`);
    }
    throw error;
  }
}
