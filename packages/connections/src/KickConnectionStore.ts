import type { ConnectionStatus, Prisma, PrismaClient, TokenCipher } from '@kickcord/db';
import { KickApiClient, KickOAuthError, type KickOAuth, type KickTokenSet } from '@kickcord/kick';
import { ConnectionsError } from './ConnectionsError.ts';
import { silentLogger, type ConnectionsLogger } from './logger.ts';
import { ReauthRequiredError } from './ReauthRequiredError.ts';
import type { SubscriptionService } from './SubscriptionService.ts';

/** Access tokens expiring within this window are refreshed before use. */
export const ACCESS_TOKEN_REFRESH_WINDOW_MS = 5 * 60 * 1000;

/** Options of {@link KickConnectionStore}. */
export interface KickConnectionStoreOptions {
  prisma: PrismaClient;
  cipher: TokenCipher;
  oauth: Pick<KickOAuth, 'refresh' | 'revoke'>;
  /** Kick API base URL for {@link KickConnectionStore.apiClient}; default https://api.kick.com. */
  apiUrl?: string;
  /** Used by {@link KickConnectionStore.disconnect} to drop subscriptions no guild needs any more. */
  subscriptions?: SubscriptionService;
  logger?: ConnectionsLogger;
  now?: () => Date;
}

/** Input of {@link KickConnectionStore.save}. */
export interface SaveConnectionInput {
  guildId: string;
  broadcasterUserId: number;
  kickUsername: string;
  tokens: KickTokenSet;
  connectedByDiscordId: string;
}

/** A connection with its tokens decrypted (keep in memory only, never log). */
export interface DecryptedConnection {
  id: string;
  guildId: string;
  broadcasterUserId: number;
  kickUsername: string;
  accessToken: string;
  refreshToken: string;
  scopes: string[];
  expiresAt: Date;
  status: ConnectionStatus;
  lastError: string | null;
}

/** Outcome of {@link KickConnectionStore.refreshIfExpiring}. */
export type RefreshOutcome = 'fresh' | 'refreshed';

type Db = PrismaClient | Prisma.TransactionClient;

/**
 * How long a streamer's consent lasts at Kick: refresh tokens die about 30 days after it, however often they
 * are rotated (Kick does not publish this; observed 30 days, sometimes more).
 */
export const KICK_GRANT_LIFETIME_MS = 30 * 86_400_000;

/**
 * When the streamer's consent (and with it the refresh token) runs out: {@link KICK_GRANT_LIFETIME_MS} after
 * the connection's `createdAt`, which {@link KickConnectionStore.save} sets on every (re)connect.
 */
export function grantExpiresAt(connection: { createdAt: Date }): Date {
  return new Date(connection.createdAt.getTime() + KICK_GRANT_LIFETIME_MS);
}

/** AAD binding a ciphertext to its connection and role: a token cannot be swapped between rows or fields. */
export function connectionTokenAad(broadcasterUserId: number, kind: 'access' | 'refresh'): string {
  return `kick-connection:${broadcasterUserId}:${kind}`;
}

/**
 * The streamers' Kick OAuth grants, encrypted at rest (AES-256-GCM, AAD = broadcaster id + field).
 * Hands out valid access tokens, refreshing them shortly before expiry and persisting Kick's rotated
 * refresh token in the same transaction that holds the row lock (so two workers never refresh with
 * the same, already-rotated refresh token).
 */
export class KickConnectionStore {
  readonly #prisma: PrismaClient;
  readonly #cipher: TokenCipher;
  readonly #oauth: KickConnectionStoreOptions['oauth'];
  readonly #apiUrl: string | undefined;
  readonly #subscriptions: SubscriptionService | undefined;
  readonly #logger: ConnectionsLogger;
  readonly #now: () => Date;

  constructor(options: KickConnectionStoreOptions) {
    this.#prisma = options.prisma;
    this.#cipher = options.cipher;
    this.#oauth = options.oauth;
    this.#apiUrl = options.apiUrl;
    this.#subscriptions = options.subscriptions;
    this.#logger = options.logger ?? silentLogger;
    this.#now = options.now ?? (() => new Date());
  }

  /** Encrypts a token set for the connection row of `broadcasterUserId`. */
  encryptTokens(broadcasterUserId: number, tokens: Pick<KickTokenSet, 'accessToken' | 'refreshToken'>): { accessTokenEnc: string; refreshTokenEnc: string } {
    return {
      accessTokenEnc: this.#cipher.encrypt(tokens.accessToken, connectionTokenAad(broadcasterUserId, 'access')),
      refreshTokenEnc: this.#cipher.encrypt(tokens.refreshToken, connectionTokenAad(broadcasterUserId, 'refresh')),
    };
  }

  /**
   * Creates or replaces the guild's connection (status active). Pass a transaction client as `db`
   * to make it part of a larger transaction (the OAuth callback does). The `KickChannel` row must exist.
   * `createdAt` is set to now on a reconnect too: it is when the streamer's consent started ({@link grantExpiresAt}).
   */
  async save(input: SaveConnectionInput, db: Db = this.#prisma): Promise<{ id: string }> {
    const data = {
      broadcasterUserId: input.broadcasterUserId,
      kickUsername: input.kickUsername,
      ...this.encryptTokens(input.broadcasterUserId, input.tokens),
      scopes: input.tokens.scopes,
      expiresAt: input.tokens.expiresAt,
      status: 'active' as const,
      connectedByDiscordId: input.connectedByDiscordId,
      lastRefreshedAt: null,
      lastError: null,
      createdAt: this.#now(),
    };
    const row = await db.kickConnection.upsert({
      where: { guildId: input.guildId },
      create: { guildId: input.guildId, ...data },
      update: data,
      select: { id: true },
    });
    return row;
  }

  /** The guild's connection with decrypted tokens, or null when it has none. */
  async load(guildId: string, db: Db = this.#prisma): Promise<DecryptedConnection | null> {
    const row = await db.kickConnection.findUnique({ where: { guildId } });
    if (!row) return null;
    return {
      id: row.id,
      guildId: row.guildId,
      broadcasterUserId: row.broadcasterUserId,
      kickUsername: row.kickUsername,
      accessToken: this.#cipher.decrypt(row.accessTokenEnc, connectionTokenAad(row.broadcasterUserId, 'access')),
      refreshToken: this.#cipher.decrypt(row.refreshTokenEnc, connectionTokenAad(row.broadcasterUserId, 'refresh')),
      scopes: row.scopes,
      expiresAt: row.expiresAt,
      status: row.status,
      lastError: row.lastError,
    };
  }

  /**
   * A usable access token for the guild's streamer, refreshed first when it expires within
   * {@link ACCESS_TOKEN_REFRESH_WINDOW_MS}. Throws {@link ReauthRequiredError} when the guild is not
   * connected or the grant is dead (the connection is then marked `needs_reauth`).
   */
  async getValidAccessToken(guildId: string): Promise<string> {
    const { accessToken } = await this.#refresh(guildId, ACCESS_TOKEN_REFRESH_WINDOW_MS);
    return accessToken;
  }

  /** Refreshes the guild's tokens when they expire within `withinMs` (for the scheduled refresher). */
  async refreshIfExpiring(guildId: string, withinMs: number): Promise<RefreshOutcome> {
    return (await this.#refresh(guildId, withinMs)).outcome;
  }

  /** A Kick REST client acting as the guild's streamer (token fetched, and refreshed, per request). */
  apiClient(guildId: string): KickApiClient {
    return new KickApiClient({ ...(this.#apiUrl === undefined ? {} : { apiUrl: this.#apiUrl }), token: () => this.getValidAccessToken(guildId) });
  }

  /** Marks the connection `needs_reauth` with a human-readable reason (no secrets). */
  async markNeedsReauth(guildId: string, reason: string): Promise<void> {
    await this.#prisma.kickConnection.updateMany({ where: { guildId }, data: { status: 'needs_reauth', lastError: reason.slice(0, 500) } });
  }

  /** Marks the connection `revoked` (the streamer removed the app on Kick, or an admin did). */
  async markRevoked(guildId: string, reason = 'revoked'): Promise<void> {
    await this.#prisma.kickConnection.updateMany({ where: { guildId }, data: { status: 'revoked', lastError: reason.slice(0, 500) } });
  }

  /**
   * Disconnects the guild: revokes both tokens at Kick (best effort), deletes the connection and the
   * guild's owner link in one transaction, then converges the broadcaster's subscriptions (drops
   * owner-only events, or everything when no guild links it any more). Returns false when the guild
   * had no connection.
   */
  async disconnect(guildId: string): Promise<boolean> {
    let connection: DecryptedConnection | null = null;
    try {
      connection = await this.load(guildId);
    } catch (error) {
      // Undecryptable (key changed): nothing to revoke, still remove the row.
      this.#logger.warn({ guildId, err: error instanceof Error ? error.message : String(error) }, 'connection tokens unreadable; removing anyway');
    }
    if (connection) {
      for (const [token, hint] of [
        [connection.refreshToken, 'refresh_token'],
        [connection.accessToken, 'access_token'],
      ] as const) {
        try {
          await this.#oauth.revoke(token, hint);
        } catch (error) {
          this.#logger.warn({ guildId, hint, err: error instanceof Error ? error.message : String(error) }, 'kick token revoke failed (ignored)');
        }
      }
    }
    const removed = await this.#prisma.$transaction(async (tx) => {
      const row = await tx.kickConnection.findUnique({ where: { guildId }, select: { broadcasterUserId: true } });
      if (!row) return null;
      await tx.kickConnection.delete({ where: { guildId } });
      await tx.guildChannelLink.deleteMany({ where: { guildId, broadcasterUserId: row.broadcasterUserId, kind: 'owner' } });
      return row.broadcasterUserId;
    });
    if (removed === null) return false;
    if (this.#subscriptions) {
      try {
        await this.#subscriptions.sync(removed);
      } catch (error) {
        // Reconcile will finish the job.
        this.#logger.warn({ guildId, broadcasterUserId: removed, err: error instanceof Error ? error.message : String(error) }, 'subscription cleanup after disconnect failed');
      }
    }
    return true;
  }

  async #refresh(guildId: string, withinMs: number): Promise<{ accessToken: string; outcome: RefreshOutcome }> {
    // Fast path without a transaction: most calls find a fresh token.
    const current = await this.#prisma.kickConnection.findUnique({ where: { guildId } });
    if (!current) throw new ReauthRequiredError(guildId, 'no Kick connection');
    if (current.status !== 'active') throw new ReauthRequiredError(guildId, current.lastError ?? current.status);
    if (current.expiresAt.getTime() - this.#now().getTime() > withinMs) {
      return { accessToken: this.#cipher.decrypt(current.accessTokenEnc, connectionTokenAad(current.broadcasterUserId, 'access')), outcome: 'fresh' };
    }

    let dead: string | undefined;
    let transient: unknown;
    const result = await this.#prisma.$transaction(
      async (tx) => {
        // Row lock: a concurrent refresher waits here, then sees the rotated token and skips.
        const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "KickConnection" WHERE "guildId" = ${guildId} FOR UPDATE`;
        if (rows.length === 0) throw new ReauthRequiredError(guildId, 'no Kick connection');
        const conn = await this.load(guildId, tx);
        if (!conn) throw new ReauthRequiredError(guildId, 'no Kick connection');
        if (conn.status !== 'active') throw new ReauthRequiredError(guildId, conn.lastError ?? conn.status);
        const now = this.#now();
        if (conn.expiresAt.getTime() - now.getTime() > withinMs) return { accessToken: conn.accessToken, outcome: 'fresh' as const };
        let tokens: KickTokenSet;
        try {
          tokens = await this.#oauth.refresh(conn.refreshToken);
        } catch (error) {
          if (error instanceof KickOAuthError && error.isInvalidGrant) {
            dead = `Kick refused the refresh token (${error.error ?? `status ${error.status}`}) — the streamer must connect again`;
            await tx.kickConnection.update({ where: { guildId }, data: { status: 'needs_reauth', lastError: dead } });
            return undefined;
          }
          transient = error;
          return undefined;
        }
        await tx.kickConnection.update({
          where: { guildId },
          data: {
            ...this.encryptTokens(conn.broadcasterUserId, tokens),
            scopes: tokens.scopes.length ? tokens.scopes : conn.scopes,
            expiresAt: tokens.expiresAt,
            lastRefreshedAt: now,
            lastError: null,
          },
        });
        return { accessToken: tokens.accessToken, outcome: 'refreshed' as const };
      },
      { timeout: 30_000, maxWait: 15_000 },
    );
    if (dead !== undefined) {
      this.#logger.warn({ guildId }, 'kick connection needs re-authorization');
      throw new ReauthRequiredError(guildId, dead);
    }
    if (transient !== undefined || !result) {
      const message = transient instanceof Error ? transient.message : 'refresh failed';
      await this.#prisma.kickConnection.updateMany({ where: { guildId }, data: { lastError: `refresh failed: ${message}`.slice(0, 500) } });
      throw transient instanceof Error ? transient : new ConnectionsError(`Refreshing the Kick token of guild ${guildId} failed — retry later`);
    }
    if (result.outcome === 'refreshed') this.#logger.info({ guildId }, 'kick tokens refreshed');
    return result;
  }
}
