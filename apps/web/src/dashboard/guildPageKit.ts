import { randomBytes } from 'node:crypto';
import type { Request, RequestHandler, Response, Router } from 'express';
import type { DiscordGuildChannel, DiscordGuildRole } from '@kickcord/connections';
import { GuildActionTimeoutError, type GuildActionResult } from '@kickcord/queue';
import type { DashboardDeps, WebDeps } from '../deps.ts';
import type { GuildAccess } from './access.ts';
import type { GuildNav, Viewer } from './dashboardPages.ts';
import type { DiscordNames } from './discordText.ts';

/** What a dashboard page's handlers may use. */
export type DashboardContext = Pick<WebDeps, 'prisma' | 'cipher' | 'config' | 'logger' | 'redis'> & { dashboard: DashboardDeps };

/** A notice carried across a redirect (post → redirect → get), shown once. */
export interface Flash {
  ok: boolean;
  text: string;
}

/** Everything a per-guild page module gets to register its routes. */
export interface GuildPageKit {
  ctx: DashboardContext;
  /** The `/dashboard` router: add routes as `/:guildId/<page>…` wrapped in {@link GuildPageKit.forGuild}. */
  router: Router;
  /**
   * Wraps a per-guild handler: runs it only for a logged-in user who may manage the guild in the URL (checked on
   * the server on every request), answering 401/403/404 pages otherwise. `manageServer` = Manage Server only.
   */
  forGuild(opts: { manageServer?: boolean }, fn: (req: Request, res: Response, access: GuildAccess, viewer: Viewer) => Promise<void>): RequestHandler;
  /** The page header's tabs, with `current` marked. */
  nav(access: GuildAccess, current: string): GuildNav;
  /** Sends a page (no caching). */
  send(res: Response, page: string, status?: number): void;
  /**
   * Asks the bot to make a change with the same code its slash command runs (see `guild-actions`), as the
   * logged-in user. `requestId` (the form's one-time `_request` field) makes a double submit change things once.
   */
  runAction(req: Request, access: GuildAccess, action: string, input: unknown): Promise<GuildActionResult>;
  /** A fresh one-time id for a form's hidden `_request` field. */
  newRequestId(): string;
  /** Stores a notice for the next page this browser opens. */
  flash(req: Request, flash: Flash): Promise<void>;
  /** Takes (and clears) the stored notice. */
  takeFlash(req: Request): Promise<Flash | null>;
  /** The guild's text and announcement channels, as the bot sees them. */
  textChannels(guildId: string): Promise<DiscordGuildChannel[]>;
  /** The guild's roles (highest first) without @everyone. */
  roles(guildId: string): Promise<DiscordGuildRole[]>;
  /** Channel and role names to show instead of Discord ids. */
  names(guildId: string): Promise<DiscordNames>;
}

/** A page of the guild dashboard: one file under `guildPages/`, listed once in `guildPages/index.ts`. */
export interface GuildPage {
  /** Stable key (the tab that is marked current). */
  key: string;
  /** The tab's label. */
  label: string;
  /** Path under `/dashboard/<guild>/` ('' for the overview). */
  path: string;
  /** Only members with Manage Server see and open it. */
  manageServerOnly?: boolean;
  register(kit: GuildPageKit): void;
  /**
   * Adds body parsers for this page's own routes that run before the CSRF check (a multipart upload carries its
   * `_csrf` field in the multipart body, which only such a parser reads). Only for routes under the page's path.
   */
  parseBodies?(router: Router): void;
}

/** Channel types a message can be posted in: text (0) and announcement (5). */
const POSTABLE_CHANNEL_TYPES = new Set([0, 5]);

/** How long a guild's channel and role lists are reused within one web process. */
const DIRECTORY_TTL_MS = 15_000;

/** The one-time id a form carries so that submitting it twice makes the change once. */
export function formRequestId(req: Request): string | undefined {
  const value = (req.body as Record<string, unknown> | undefined)?._request;
  return typeof value === 'string' && /^[A-Za-z0-9_-]{16,64}$/.test(value) ? value : undefined;
}

/** Builds the kit's shared helpers (the routing half, `forGuild` and `nav`, comes from the dashboard's router). */
export function kitHelpers(ctx: DashboardContext, actions: { run(job: { guildId: string; action: string; input: unknown; actor: { id: string; name: string } }, requestId?: string): Promise<GuildActionResult> }): Omit<GuildPageKit, 'router' | 'forGuild' | 'nav'> {
  const directory = new Map<string, { at: number; channels: Promise<DiscordGuildChannel[]>; roles: Promise<DiscordGuildRole[]> }>();
  const lists = (guildId: string) => {
    const now = Date.now();
    let entry = directory.get(guildId);
    if (!entry || now - entry.at > DIRECTORY_TTL_MS) {
      if (directory.size > 500) directory.clear();
      entry = { at: now, channels: ctx.dashboard.api.getGuildChannels(ctx.dashboard.botToken, guildId), roles: ctx.dashboard.api.getGuildRoles(ctx.dashboard.botToken, guildId) };
      entry.channels.catch(() => directory.delete(guildId));
      entry.roles.catch(() => directory.delete(guildId));
      directory.set(guildId, entry);
    }
    return entry;
  };
  return {
    ctx,
    send(res, page, status = 200) {
      res.set('cache-control', 'no-store').status(status).type('html').send(page);
    },
    async runAction(req, access, action, input) {
      const user = req.session.user;
      if (!user) return { ok: false, error: 'Your login expired. Log in again.' };
      try {
        return await actions.run({ guildId: access.guild.id, action, input, actor: { id: user.id, name: user.username } }, formRequestId(req));
      } catch (error) {
        if (error instanceof GuildActionTimeoutError) {
          return { ok: false, error: 'The bot did not answer within 10 seconds: is a kickcord bot worker running? If one starts within half a minute it may still make the change; reload to check.' };
        }
        throw error;
      }
    },
    newRequestId: () => randomBytes(18).toString('base64url'),
    async flash(req, flash) {
      req.session.flash = flash;
      await new Promise<void>((resolve, reject) => req.session.save((err: unknown) => (err ? reject(err as Error) : resolve())));
    },
    async takeFlash(req) {
      const flash = req.session.flash ?? null;
      if (flash) {
        delete req.session.flash;
        await new Promise<void>((resolve, reject) => req.session.save((err: unknown) => (err ? reject(err as Error) : resolve())));
      }
      return flash;
    },
    async textChannels(guildId) {
      return (await lists(guildId).channels).filter((c) => POSTABLE_CHANNEL_TYPES.has(c.type));
    },
    async roles(guildId) {
      return (await lists(guildId).roles).filter((r) => r.id !== guildId);
    },
    async names(guildId) {
      const entry = lists(guildId);
      const [channels, roles] = await Promise.all([entry.channels.catch(() => []), entry.roles.catch(() => [])]);
      return { channels: new Map(channels.map((c) => [c.id, c.name])), roles: new Map(roles.map((r) => [r.id, r.name])) };
    },
  };
}
