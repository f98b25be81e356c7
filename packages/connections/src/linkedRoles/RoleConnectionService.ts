import type { PrismaClient, TokenCipher } from '@kickcord/db';
import { silentLogger, type ConnectionsLogger } from '../logger.ts';
import type { DiscordUserApi } from './DiscordUserApi.ts';
import { DiscordUserApiError } from './DiscordUserApiError.ts';
import type { DiscordTokenSet, DiscordUserOAuth } from './DiscordUserOAuth.ts';
import { roleConnectionBody, sameRoleConnection, type LinkedRoleValues, type RoleConnectionBody } from './metadata.ts';

/** An access token closer than this to expiring is refreshed before use. */
export const DISCORD_TOKEN_REFRESH_MARGIN_MS = 60_000;
/**
 * Points and watch hours move with every watchtime payout; a user's role connection is rewritten for them at
 * most this often (a subscription, link or unlink change is written at the next run regardless).
 */
export const STATS_REWRITE_INTERVAL_MS = 10 * 60_000;

/**
 * A subscription still counts this long after Kick's `expires_at`: renewal events can arrive late, and a linked role
 * should not flap (the subscriber role reward waits as long).
 */
export const SUBSCRIBER_GRACE_MS = 60 * 60_000;

/** What {@link RoleConnectionService.sync} did. */
export type RoleConnectionOutcome =
  /** The role connection was written to Discord. */
  | 'written'
  /** Discord already holds these values. */
  | 'unchanged'
  /** Discord refused the user's grant: the stored grant was deleted. */
  | 'dropped'
  /** The user has not verified (no stored grant). */
  | 'missing';

/** Options of {@link RoleConnectionService}. */
export interface RoleConnectionServiceOptions {
  prisma: PrismaClient;
  cipher: TokenCipher;
  oauth: DiscordUserOAuth;
  api: DiscordUserApi;
  /** DISCORD_CLIENT_ID. */
  applicationId: string;
  logger?: ConnectionsLogger;
  now?: () => Date;
}

const aad = (discordUserId: string, kind: 'access' | 'refresh') => `discord-role-connection:${discordUserId}:${kind}`;

/**
 * Discord Linked Roles for kickcord's users: stores each user's grant (tokens encrypted, like streamers' Kick
 * tokens), computes their values from the linked Kick account, writes the role connection when it changed,
 * refreshes expiring tokens, and drops a grant Discord no longer honours. Shared by apps/web (the verification
 * callback) and apps/bot (the updater).
 */
export class RoleConnectionService {
  readonly #o: Required<RoleConnectionServiceOptions>;

  constructor(options: RoleConnectionServiceOptions) {
    this.#o = { logger: silentLogger, now: () => new Date(), ...options };
  }

  /** Stores (or replaces) a user's grant after the verification flow. */
  async saveGrant(input: { discordUserId: string; discordUsername: string; tokens: DiscordTokenSet }): Promise<void> {
    const { prisma, cipher } = this.#o;
    const data = {
      discordUsername: input.discordUsername,
      accessTokenEnc: cipher.encrypt(input.tokens.accessToken, aad(input.discordUserId, 'access')),
      refreshTokenEnc: cipher.encrypt(input.tokens.refreshToken, aad(input.discordUserId, 'refresh')),
      scopes: input.tokens.scopes,
      expiresAt: input.tokens.expiresAt,
      lastError: null,
    };
    await prisma.discordRoleConnection.upsert({ where: { discordUserId: input.discordUserId }, create: { discordUserId: input.discordUserId, ...data }, update: data });
  }

  /**
   * Linked viewers' values, reduced across servers (see `roleConnectionBody`): the largest points and watch hours in
   * any active server, subscriber when any active server has a subscription from them that has not expired (with
   * {@link SUBSCRIBER_GRACE_MS}). Users without a
   * Kick link are absent.
   */
  async loadValues(discordUserIds: readonly string[], now = this.#o.now()): Promise<Map<string, LinkedRoleValues>> {
    if (discordUserIds.length === 0) return new Map();
    const graceStart = new Date(now.getTime() - SUBSCRIBER_GRACE_MS);
    const rows = await this.#o.prisma.$queryRaw<{ discordUserId: string; kickUsername: string; verifiedAt: Date; points: number; minutes: number; subscribedSince: Date | null }[]>`
      SELECT al."discordUserId", al."kickUsername", al."verifiedAt",
             COALESCE(st.points, 0)::int AS points, COALESCE(st.minutes, 0)::int AS minutes,
             (SELECT min(s."since") FROM "RoleRewardSubscription" s JOIN "Guild" g ON g.id = s."guildId" AND g.active
              WHERE s."kickUserId" = al."kickUserId" AND s."expiresAt" > ${graceStart}) AS "subscribedSince"
      FROM "AccountLink" al
      LEFT JOIN LATERAL (
        SELECT max(vs.points) AS points, max(vs."activeMinutes") AS minutes
        FROM "ViewerStats" vs JOIN "Guild" g ON g.id = vs."guildId" AND g.active
        WHERE vs."kickUserId" = al."kickUserId"
      ) st ON true
      WHERE al."discordUserId" = ANY(${[...discordUserIds]}::text[])`;
    return new Map(
      rows.map((r) => [
        r.discordUserId,
        {
          kickUsername: r.kickUsername,
          kickSubscriber: r.subscribedSince !== null,
          watchHours: Math.floor(r.minutes / 60),
          points: r.points,
          linkedSince: r.verifiedAt,
          subscribedSince: r.subscribedSince,
        },
      ]),
    );
  }

  /**
   * Users whose role connection may be out of date, oldest check first: their link appeared, changed or went away,
   * a subscription of theirs changed or ran out (its grace included), or (at most every {@link STATS_REWRITE_INTERVAL_MS}) their points or
   * watchtime changed — all since their last check. Reads PostgreSQL only; nothing on the chat path marks anything.
   */
  async dirtyUserIds(limit: number, now = this.#o.now()): Promise<string[]> {
    const statsDue = new Date(now.getTime() - STATS_REWRITE_INTERVAL_MS);
    const graceStart = new Date(now.getTime() - SUBSCRIBER_GRACE_MS);
    // One branch per reason, joined (not correlated EXISTS under OR), so each table is read once per run.
    const rows = await this.#o.prisma.$queryRaw<{ discordUserId: string }[]>`
      WITH linked AS (
        SELECT rc."discordUserId", rc."checkedAt", rc."writtenAt", al."kickUserId"
        FROM "DiscordRoleConnection" rc JOIN "AccountLink" al ON al."discordUserId" = rc."discordUserId"
      ),
      due AS (
        SELECT rc."discordUserId" FROM "DiscordRoleConnection" rc
        LEFT JOIN "AccountLink" al ON al."discordUserId" = rc."discordUserId"
        WHERE rc.written IS NULL
           OR (al."discordUserId" IS NULL AND rc.written->>'platform_username' IS NOT NULL)
           OR (al."discordUserId" IS NOT NULL AND (al."verifiedAt" > rc."checkedAt" OR al."kickUsername" IS DISTINCT FROM rc.written->>'platform_username'))
        UNION
        SELECT l."discordUserId" FROM linked l JOIN "RoleRewardSubscription" s ON s."kickUserId" = l."kickUserId"
        WHERE s."updatedAt" > l."checkedAt"
           OR (s."expiresAt" > l."checkedAt" - ${SUBSCRIBER_GRACE_MS} * interval '1 millisecond' AND s."expiresAt" <= ${graceStart})
        UNION
        SELECT l."discordUserId" FROM linked l JOIN "ViewerStats" vs ON vs."kickUserId" = l."kickUserId"
        WHERE (l."writtenAt" IS NULL OR l."writtenAt" <= ${statsDue}) AND vs."updatedAt" > l."checkedAt"
      )
      SELECT rc."discordUserId" FROM "DiscordRoleConnection" rc JOIN due ON due."discordUserId" = rc."discordUserId"
      ORDER BY rc."checkedAt"
      LIMIT ${limit}`;
    return rows.map((r) => r.discordUserId);
  }

  /**
   * Brings one user's role connection up to date: refreshes an expiring token, computes the values and writes
   * them unless Discord already holds them (`force` writes anyway). When Discord refuses the grant (the user
   * removed the app, or the token was revoked) the stored grant is deleted and `dropped` returned — logged once,
   * never retried. Other failures (429, 5xx, timeouts) throw a {@link DiscordUserApiError} and leave the user to
   * the next run.
   */
  async sync(discordUserId: string, options: { force?: boolean } = {}): Promise<{ outcome: RoleConnectionOutcome; connection?: RoleConnectionBody }> {
    const { prisma, cipher } = this.#o;
    const checkedAt = this.#o.now();
    const row = await prisma.discordRoleConnection.findUnique({ where: { discordUserId } });
    if (!row) return { outcome: 'missing' };
    let tokens = { access: cipher.decrypt(row.accessTokenEnc, aad(discordUserId, 'access')), refresh: cipher.decrypt(row.refreshTokenEnc, aad(discordUserId, 'refresh')) };
    let refreshed = false;
    const refresh = async (): Promise<boolean> => {
      try {
        const next = await this.#o.oauth.refresh(tokens.refresh);
        await this.saveGrant({ discordUserId, discordUsername: row.discordUsername, tokens: next });
        tokens = { access: next.accessToken, refresh: next.refreshToken };
        refreshed = true;
        return true;
      } catch (error) {
        if (error instanceof DiscordUserApiError && error.isGrantGone) return false;
        await this.#recordError(discordUserId, error);
        throw error;
      }
    };
    if (row.expiresAt.getTime() - checkedAt.getTime() < DISCORD_TOKEN_REFRESH_MARGIN_MS && !(await refresh())) return this.#drop(discordUserId, 'refresh refused');

    const values = (await this.loadValues([discordUserId], checkedAt)).get(discordUserId) ?? null;
    const connection = roleConnectionBody(values);
    if (!options.force && sameRoleConnection(row.written as RoleConnectionBody | null, connection)) {
      await prisma.discordRoleConnection.updateMany({ where: { discordUserId }, data: { checkedAt, lastError: null } });
      return { outcome: 'unchanged', connection };
    }
    for (;;) {
      try {
        await this.#o.api.putRoleConnection(tokens.access, this.#o.applicationId, connection);
        break;
      } catch (error) {
        if (error instanceof DiscordUserApiError && error.isGrantGone) {
          // The access token may have been revoked alone: one refresh tells whether the grant still lives.
          if (!refreshed && (await refresh())) continue;
          return this.#drop(discordUserId, 'role connection write refused (401)');
        }
        await this.#recordError(discordUserId, error);
        // A refusal other than auth or rate limits will not change by retrying: count the user as checked.
        if (error instanceof DiscordUserApiError && error.status >= 400 && error.status < 500 && error.status !== 429) {
          await prisma.discordRoleConnection.updateMany({ where: { discordUserId }, data: { checkedAt } });
        }
        throw error;
      }
    }
    await prisma.discordRoleConnection.updateMany({
      where: { discordUserId },
      data: { written: { ...connection }, writtenAt: checkedAt, checkedAt, lastError: null },
    });
    return { outcome: 'written', connection };
  }

  async #drop(discordUserId: string, why: string): Promise<{ outcome: 'dropped' }> {
    await this.#o.prisma.discordRoleConnection.deleteMany({ where: { discordUserId } });
    this.#o.logger.warn(
      { discordUserId, why },
      'Discord refused this user\'s Linked Roles grant (they removed the app under Authorized Apps, or it was revoked): their role connection is no longer updated; they can verify again from the server\'s Linked Roles menu',
    );
    return { outcome: 'dropped' };
  }

  async #recordError(discordUserId: string, error: unknown): Promise<void> {
    const message = error instanceof DiscordUserApiError ? error.message : 'unexpected error';
    await this.#o.prisma.discordRoleConnection.updateMany({ where: { discordUserId }, data: { lastError: message.slice(0, 500) } }).catch(() => undefined);
  }
}
