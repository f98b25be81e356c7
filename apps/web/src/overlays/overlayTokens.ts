import { createHash } from 'node:crypto';
import type { PrismaClient } from '@kickcord/db';

/** An overlay key as it appears in URLs: 32 random bytes, base64url (43 characters). */
export const OVERLAY_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
/** How long a token lookup is remembered (a rotated or revoked key stops opening pages within this long). */
export const OVERLAY_TOKEN_CACHE_MS = 3_000;
/** Most lookups remembered (beyond it the oldest are forgotten), so made-up tokens cannot grow memory. */
export const OVERLAY_TOKEN_CACHE_SIZE = 10_000;

/** The SHA-256 hex of a token: what `OverlayToken.tokenHash` stores. */
export function overlayTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** What a token opens. */
export interface OverlayKey {
  guildId: string;
  tokenHash: string;
}

/** Token lookups, cached briefly per process; unknown, revoked and inactive-guild tokens all look the same (null). */
export class OverlayTokenCache {
  readonly #entries = new Map<string, { key: OverlayKey | null; at: number }>();
  /** Lookups under way: many overlays of one guild connecting at once cost one query. */
  readonly #inFlight = new Map<string, Promise<OverlayKey | null>>();

  constructor(
    private readonly prisma: Pick<PrismaClient, 'overlayToken'>,
    private readonly ttlMs = OVERLAY_TOKEN_CACHE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** The guild a token opens, or null (malformed tokens never reach the database). */
  async lookup(token: string): Promise<OverlayKey | null> {
    if (!OVERLAY_TOKEN_PATTERN.test(token)) return null;
    const tokenHash = overlayTokenHash(token);
    const cached = this.#entries.get(tokenHash);
    if (cached && this.now() - cached.at < this.ttlMs) return cached.key;
    let lookup = this.#inFlight.get(tokenHash);
    if (!lookup) {
      lookup = this.prisma.overlayToken
        .findUnique({ where: { tokenHash }, select: { guildId: true, revokedAt: true, guild: { select: { active: true } } } })
        .then((row) => {
          const key = row && row.revokedAt === null && row.guild.active ? { guildId: row.guildId, tokenHash } : null;
          this.remember(tokenHash, key);
          return key;
        })
        .finally(() => this.#inFlight.delete(tokenHash));
      this.#inFlight.set(tokenHash, lookup);
    }
    return lookup;
  }

  /**
   * Which of these token hashes still open their guild (not revoked, guild active): one query for all of them.
   * Refreshes the cache with the answers.
   */
  async stillValid(tokenHashes: readonly string[]): Promise<Set<string>> {
    if (tokenHashes.length === 0) return new Set();
    const rows = await this.prisma.overlayToken.findMany({
      where: { tokenHash: { in: [...tokenHashes] } },
      select: { tokenHash: true, guildId: true, revokedAt: true, guild: { select: { active: true } } },
    });
    const valid = new Set<string>();
    for (const row of rows) {
      const ok = row.revokedAt === null && row.guild.active;
      if (ok) valid.add(row.tokenHash);
      this.remember(row.tokenHash, ok ? { guildId: row.guildId, tokenHash: row.tokenHash } : null);
    }
    for (const hash of tokenHashes) if (!valid.has(hash)) this.remember(hash, null);
    return valid;
  }

  private remember(tokenHash: string, key: OverlayKey | null): void {
    this.#entries.delete(tokenHash);
    this.#entries.set(tokenHash, { key, at: this.now() });
    while (this.#entries.size > OVERLAY_TOKEN_CACHE_SIZE) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }
}
