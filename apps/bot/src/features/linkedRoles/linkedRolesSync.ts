import { DiscordUserApi, DiscordUserApiError, DiscordUserOAuth, RoleConnectionService } from '@kickcord/connections';
import type { BotContext } from '../../context.ts';

/** Users checked per run (oldest check first); the rest wait for the next run. */
export const LINKED_ROLES_BATCH = 200;
/**
 * At least this long between two role connection writes of one process. Discord publishes no figure for this
 * route; 4 writes/s stays far from its global 50 requests/s and lets a 429 (its `retry_after` honoured: the run
 * stops and the users stay due) tell us when to slow down.
 */
export const LINKED_ROLES_WRITE_GAP_MS = 250;

/** What one run did. */
export interface LinkedRolesSyncSummary {
  /** False when Linked Roles is off (no DISCORD_CLIENT_SECRET) or another worker holds the run. */
  ran: boolean;
  checked: number;
  written: number;
  unchanged: number;
  dropped: number;
  failed: number;
  /** Set when Discord answered 429: the run stopped; the remaining users are picked up by the next run. */
  rateLimitedForMs: number | null;
}

type SyncDeps = Pick<BotContext, 'env' | 'prisma' | 'redis' | 'keys' | 'cipher' | 'logger' | 'now'>;

const LOCK_MS = 5 * 60_000;
const services = new WeakMap<object, RoleConnectionService>();

/** The process's role connection service for this context (null when Linked Roles is off). */
export function roleConnectionServiceFor(ctx: SyncDeps): RoleConnectionService | null {
  const { DISCORD_CLIENT_SECRET: secret, DISCORD_CLIENT_ID: clientId, DISCORD_API_URL: apiUrl } = ctx.env;
  if (!secret) return null;
  let service = services.get(ctx);
  if (!service) {
    service = new RoleConnectionService({
      prisma: ctx.prisma,
      cipher: ctx.cipher,
      oauth: new DiscordUserOAuth({ clientId, clientSecret: secret, apiUrl }),
      api: new DiscordUserApi({ apiUrl }),
      applicationId: clientId,
      logger: ctx.logger.child({ component: 'linked-roles' }),
      now: ctx.now,
    });
    services.set(ctx, service);
  }
  return service;
}

/**
 * Brings due role connections up to date (see `RoleConnectionService.dirtyUserIds`): one worker at a time (a
 * Redis lock), at most {@link LINKED_ROLES_BATCH} users, writes spaced by {@link LINKED_ROLES_WRITE_GAP_MS}. A 429
 * or an outage stops the run (the users stay due); a user Discord refuses for good is logged and skipped; a revoked
 * grant is dropped (logged once by the service).
 */
export async function runLinkedRolesSync(ctx: SyncDeps, options: { writeGapMs?: number } = {}): Promise<LinkedRolesSyncSummary> {
  const summary: LinkedRolesSyncSummary = { ran: false, checked: 0, written: 0, unchanged: 0, dropped: 0, failed: 0, rateLimitedForMs: null };
  const service = roleConnectionServiceFor(ctx);
  if (!service) return summary;
  const lock = ctx.keys.lock('linked-roles');
  const token = `${process.pid}:${Date.now()}:${Math.random()}`;
  if ((await ctx.redis.set(lock, token, 'PX', LOCK_MS, 'NX')) !== 'OK') return summary;
  summary.ran = true;
  const gap = options.writeGapMs ?? LINKED_ROLES_WRITE_GAP_MS;
  let lastWrite = 0;
  try {
    for (const discordUserId of await service.dirtyUserIds(LINKED_ROLES_BATCH, ctx.now())) {
      const wait = lastWrite + gap - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      summary.checked++;
      try {
        const { outcome } = await service.sync(discordUserId);
        if (outcome === 'written') {
          summary.written++;
          lastWrite = Date.now();
        } else if (outcome === 'unchanged') summary.unchanged++;
        else if (outcome === 'dropped') summary.dropped++;
      } catch (error) {
        summary.failed++;
        if (error instanceof DiscordUserApiError && (error.status === 429 || error.status === 0 || error.status >= 500)) {
          summary.rateLimitedForMs = error.status === 429 ? (error.retryAfterMs ?? 1000) : null;
          ctx.logger.warn({ discordUserId, status: error.status, retryAfterMs: error.retryAfterMs }, `linked roles: ${error.message}; the remaining users are updated at the next run`);
          break;
        }
        ctx.logger.error({ discordUserId, err: error instanceof Error ? error.message : String(error) }, 'linked roles: could not update this user\'s role connection');
      }
    }
  } finally {
    // Release only our own lock.
    if ((await ctx.redis.get(lock)) === token) await ctx.redis.del(lock);
  }
  return summary;
}
