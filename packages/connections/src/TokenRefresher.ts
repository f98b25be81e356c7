import type { PrismaClient } from '@kickcord/db';
import type { KickConnectionStore } from './KickConnectionStore.ts';
import { silentLogger, type ConnectionsLogger } from './logger.ts';
import { ReauthRequiredError } from './ReauthRequiredError.ts';

/** Counts returned by {@link TokenRefresher.refreshExpiring}. */
export interface RefreshCounts {
  /** Active connections that were due. */
  checked: number;
  refreshed: number;
  /** Already refreshed by someone else meanwhile. */
  fresh: number;
  /** Grant dead: marked `needs_reauth`. */
  needsReauth: number;
  /** Transient failures (Kick down, timeout); retried next run. */
  failed: number;
}

/** Refreshes every active connection whose access token expires soon (the scheduled job). */
export class TokenRefresher {
  readonly #prisma: PrismaClient;
  readonly #store: KickConnectionStore;
  readonly #logger: ConnectionsLogger;

  constructor(options: { prisma: PrismaClient; store: KickConnectionStore; logger?: ConnectionsLogger }) {
    this.#prisma = options.prisma;
    this.#store = options.store;
    this.#logger = options.logger ?? silentLogger;
  }

  /** Refreshes active connections expiring before `now + withinMs`, one at a time. */
  async refreshExpiring(now: Date, withinMs: number): Promise<RefreshCounts> {
    const due = await this.#prisma.kickConnection.findMany({
      where: { status: 'active', expiresAt: { lte: new Date(now.getTime() + withinMs) } },
      select: { guildId: true },
      orderBy: { expiresAt: 'asc' },
    });
    const counts: RefreshCounts = { checked: due.length, refreshed: 0, fresh: 0, needsReauth: 0, failed: 0 };
    for (const { guildId } of due) {
      try {
        const outcome = await this.#store.refreshIfExpiring(guildId, withinMs);
        counts[outcome]++;
      } catch (error) {
        if (error instanceof ReauthRequiredError) {
          counts.needsReauth++;
        } else {
          counts.failed++;
          this.#logger.warn({ guildId, err: error instanceof Error ? error.message : String(error) }, 'token refresh failed; will retry');
        }
      }
    }
    if (counts.checked) this.#logger.info({ ...counts }, 'token refresh run finished');
    return counts;
  }
}
