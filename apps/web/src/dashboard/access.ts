import type { Request } from 'express';
import { DiscordUserApiError } from '@kickcord/connections';
import type { PrismaClient, TokenCipher } from '@kickcord/db';
import type { DashboardDeps } from '../deps.ts';
import type { SessionGuild } from './session.ts';

/** How long the guild list and a member's roles are trusted before they are asked again. */
export const ACCESS_CACHE_MS = 60_000;
/** Discord's Administrator and Manage Server permission bits. */
const ADMINISTRATOR = 1n << 3n;
const MANAGE_GUILD = 1n << 5n;
/** Associated data of the encrypted access token (it can only be decrypted as a dashboard token). */
export const DASHBOARD_TOKEN_AAD = 'dashboard-access-token';

/** Whether a guild listed by `/users/@me/guilds` lets the user manage the server. */
export function hasManageServer(guild: SessionGuild): boolean {
  const p = BigInt(guild.permissions);
  return guild.owner || (p & (ADMINISTRATOR | MANAGE_GUILD)) !== 0n;
}

/** The user's Discord grant ended (revoked or expired): they must log in again. */
export class LoginExpiredError extends Error {
  override name = 'LoginExpiredError';
}

/** What a user may do in one guild. */
export interface GuildAccess {
  guild: { id: string; name: string };
  /** Manage Server (or Administrator, or the owner): may also pick dashboard manager roles. */
  manageServer: boolean;
}

/** Why a user may not open a guild: `not_found` (not theirs, or the bot is not there) or `forbidden` (theirs, not a manager). */
export type AccessRefusal = 'not_found' | 'forbidden';

type Ctx = { prisma: PrismaClient; cipher: TokenCipher; dashboard: DashboardDeps };

/** The user's guilds, from the session when fresh, else from Discord with their access token (kept in the session). */
export async function sessionGuilds(req: Request, ctx: Ctx, now = Date.now()): Promise<SessionGuild[]> {
  const cached = req.session.guilds;
  if (cached && now - cached.at < ACCESS_CACHE_MS) return cached.list;
  const enc = req.session.accessTokenEnc;
  if (!enc) throw new LoginExpiredError('no access token in the session');
  let list: SessionGuild[];
  try {
    const guilds = await ctx.dashboard.api.getCurrentUserGuilds(ctx.cipher.decrypt(enc, DASHBOARD_TOKEN_AAD));
    list = guilds.map((g) => ({ id: g.id, name: g.name, owner: g.owner, permissions: g.permissions.toString() }));
  } catch (error) {
    if (error instanceof DiscordUserApiError && error.status === 401) throw new LoginExpiredError('Discord refused the access token');
    throw error;
  }
  req.session.guilds = { at: now, list };
  return list;
}

/** The user's roles in a guild as the bot sees them (null = not a member), cached in the session for a minute. */
async function memberRoles(req: Request, ctx: Ctx, guildId: string, userId: string, now: number): Promise<string[] | null> {
  const cache = (req.session.memberRoles ??= {});
  const hit = cache[guildId];
  if (hit && now - hit.at < ACCESS_CACHE_MS) return hit.roles;
  const member = await ctx.dashboard.api.getGuildMember(ctx.dashboard.botToken, guildId, userId);
  cache[guildId] = { at: now, roles: member?.roles ?? null };
  return member?.roles ?? null;
}

/** Guilds of the user where kickcord is present (an active Guild row), each with what the user may do there. */
export async function manageableGuilds(req: Request, ctx: Ctx, now = Date.now()): Promise<{ guild: { id: string; name: string }; access: GuildAccess | null }[]> {
  const userId = req.session.user?.id;
  if (!userId) throw new LoginExpiredError('not logged in');
  const listed = await sessionGuilds(req, ctx, now);
  const rows = await ctx.prisma.guild.findMany({ where: { id: { in: listed.map((g) => g.id) }, active: true }, select: { id: true, name: true } });
  const present = new Map(rows.map((r) => [r.id, r]));
  const managerRoles = await ctx.prisma.dashboardManagerRole.findMany({ where: { guildId: { in: rows.map((r) => r.id) } }, select: { guildId: true, roleId: true } });
  const out: { guild: { id: string; name: string }; access: GuildAccess | null }[] = [];
  for (const g of listed) {
    if (!present.has(g.id)) continue;
    const guild = { id: g.id, name: g.name };
    if (hasManageServer(g)) {
      out.push({ guild, access: { guild, manageServer: true } });
      continue;
    }
    const roles = managerRoles.filter((r) => r.guildId === g.id).map((r) => r.roleId);
    const mine = roles.length ? await memberRoles(req, ctx, g.id, userId, now) : null;
    out.push({ guild, access: mine?.some((r) => roles.includes(r)) ? { guild, manageServer: false } : null });
  }
  return out.sort((a, b) => a.guild.name.localeCompare(b.guild.name));
}

/**
 * Decides on the server whether the logged-in user may manage `guildId`: a guild they are not in, or where kickcord
 * is not present, is `not_found`; one where they have neither Manage Server nor a dashboard manager role (re-checked
 * with the bot's view of the member) is `forbidden`.
 */
export async function guildAccess(req: Request, ctx: Ctx, guildId: string, now = Date.now()): Promise<GuildAccess | AccessRefusal> {
  const userId = req.session.user?.id;
  if (!userId) throw new LoginExpiredError('not logged in');
  const listed = (await sessionGuilds(req, ctx, now)).find((g) => g.id === guildId);
  if (!listed) return 'not_found';
  const row = await ctx.prisma.guild.findUnique({ where: { id: guildId }, select: { active: true } });
  if (!row?.active) return 'not_found';
  const guild = { id: listed.id, name: listed.name };
  if (hasManageServer(listed)) return { guild, manageServer: true };
  const roles = (await ctx.prisma.dashboardManagerRole.findMany({ where: { guildId }, select: { roleId: true } })).map((r) => r.roleId);
  if (roles.length === 0) return 'forbidden';
  const mine = await memberRoles(req, ctx, guildId, userId, now);
  return mine?.some((r) => roles.includes(r)) ? { guild, manageServer: false } : 'forbidden';
}
