import type { LinkKind, Prisma, PrismaClient, SubscriptionAction } from '@kickcord/db';
import { KickApiClient, KickApiError, type KickEventSubscription, type KickOAuth } from '@kickcord/kick';
import { silentLogger, type ConnectionsLogger } from './logger.ts';
import { eventsFor, eventsForKinds, SUBSCRIPTION_EVENT_VERSION } from './subscriptionEvents.ts';

/** First key of the `pg_advisory_xact_lock(int, int)` pair that serializes work per broadcaster ("kc"). */
export const SUBSCRIPTION_LOCK_NAMESPACE = 0x6b63;

/** Kick's reason when the app holds as many event subscriptions as it may (~1,000 unverified, 10,000 verified). */
export const SUBSCRIPTION_LIMIT_REASON = 'event subscription limit reached';

/**
 * Backoff after Kick refuses with {@link SUBSCRIPTION_LIMIT_REASON}: no create is attempted (for any
 * broadcaster) until `firstMs` after the refusal, doubled for each refusal in a row, at most `maxMs`.
 * A successful create ends the streak.
 */
export const SUBSCRIPTION_LIMIT_BACKOFF = { firstMs: 15 * 60_000, maxMs: 6 * 3_600_000 } as const;

/** `SubscriptionAudit.detail` prefix of a create Kick refused because the app's subscription limit is reached. */
export const SUBSCRIPTION_LIMIT_AUDIT_PREFIX = 'subscription limit reached';

/** Whether a Kick error (or a per-event `error` string) says the app's event subscription limit is reached. */
export function isSubscriptionLimitReached(errorOrReason: unknown): boolean {
  const text =
    typeof errorOrReason === 'string'
      ? errorOrReason
      : errorOrReason instanceof KickApiError
        ? typeof errorOrReason.body === 'object' && errorOrReason.body !== null
          ? JSON.stringify(errorOrReason.body)
          : String(errorOrReason.body)
        : '';
  return text.toLowerCase().includes(SUBSCRIPTION_LIMIT_REASON);
}

/** The app-wide subscription limit state (from the audit log), or null when creates may go ahead. */
export interface SubscriptionLimitState {
  /** When Kick last refused a create with the limit. */
  refusedAt: Date;
  /** Refusals in a row (since the last successful create). */
  refusals: number;
  /** No create is attempted before this. */
  retryAt: Date;
}

/** Options of {@link SubscriptionService}. */
export interface SubscriptionServiceOptions {
  prisma: PrismaClient;
  /** Supplies the APP token (client credentials): an app token may subscribe to any broadcaster. */
  oauth: Pick<KickOAuth, 'appToken' | 'clearAppToken'>;
  /** Kick API base URL (KICK_API_URL); default https://api.kick.com. */
  apiUrl?: string;
  /** A ready client (tests); default one built from `apiUrl` and the app token. */
  api?: KickApiClient;
  logger?: ConnectionsLogger;
  now?: () => Date;
  /** Longest time one broadcaster's ensure may hold its lock (default 60 s). */
  lockTimeoutMs?: number;
}

/** One subscription touched by {@link SubscriptionService.ensure}. */
export interface SubscriptionChange {
  event: string;
  subscriptionId: string;
}

/** What {@link SubscriptionService.ensure} found and changed for one broadcaster. */
export interface EnsureResult {
  broadcasterUserId: number;
  /** Already at Kick and kept. */
  kept: SubscriptionChange[];
  /** Created now (`recreated` when Kick had dropped one we knew of). */
  created: (SubscriptionChange & { recreated: boolean })[];
  deletedDuplicates: SubscriptionChange[];
  deletedUnused: SubscriptionChange[];
  /** Events Kick refused to subscribe (with Kick's reason). */
  failed: { event: string; error: string }[];
}

/** Summary returned by {@link SubscriptionService.reconcile}. */
export interface ReconcileSummary {
  broadcasters: number;
  unchanged: number;
  created: number;
  recreated: number;
  deletedDuplicates: number;
  deletedUnused: number;
  /** Events Kick refused to (re)create. */
  failedEvents: number;
  /** Broadcasters whose reconcile threw (Kick or DB error); retried next run. */
  errors: { broadcasterUserId: number; message: string }[];
}

type Tx = Prisma.TransactionClient;

interface Plan {
  keep: KickEventSubscription[];
  duplicates: KickEventSubscription[];
  unused: KickEventSubscription[];
  missing: string[];
}

function sortOldestFirst(subs: KickEventSubscription[]): KickEventSubscription[] {
  return [...subs].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
}

function plan(wanted: readonly string[], atKick: KickEventSubscription[], prune: boolean): Plan {
  const wantedSet = new Set(wanted);
  const byEvent = new Map<string, KickEventSubscription[]>();
  const result: Plan = { keep: [], duplicates: [], unused: [], missing: [] };
  for (const sub of sortOldestFirst(atKick)) {
    if (!wantedSet.has(sub.event) || sub.version !== SUBSCRIPTION_EVENT_VERSION) {
      if (prune) result.unused.push(sub);
      continue;
    }
    const list = byEvent.get(sub.event) ?? [];
    list.push(sub);
    byEvent.set(sub.event, list);
  }
  for (const event of wanted) {
    const [first, ...rest] = byEvent.get(event) ?? [];
    if (first) {
      result.keep.push(first);
      result.duplicates.push(...rest);
    } else {
      result.missing.push(event);
    }
  }
  return result;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Kick event subscriptions, per broadcaster and event — never per guild. Lists Kick's subscriptions
 * before creating (Kick accepts identical ones and then delivers twice), deletes duplicates, keeps
 * `KickSubscription` rows in step and writes a `SubscriptionAudit` row for every change. Work on one
 * broadcaster is serialized with a Postgres advisory lock, so replicas never double-create.
 */
export class SubscriptionService {
  readonly #prisma: PrismaClient;
  readonly #oauth: SubscriptionServiceOptions['oauth'];
  readonly #api: KickApiClient;
  readonly #logger: ConnectionsLogger;
  readonly #now: () => Date;
  readonly #lockTimeoutMs: number;

  constructor(options: SubscriptionServiceOptions) {
    this.#prisma = options.prisma;
    this.#oauth = options.oauth;
    this.#api = options.api ?? new KickApiClient({ ...(options.apiUrl === undefined ? {} : { apiUrl: options.apiUrl }), token: () => options.oauth.appToken() });
    this.#logger = options.logger ?? silentLogger;
    this.#now = options.now ?? (() => new Date());
    this.#lockTimeoutMs = options.lockTimeoutMs ?? 60_000;
  }

  /**
   * Whether Kick's event subscription limit holds creates back right now: the last limit refusal, the
   * refusals in a row and when the next create may be tried ({@link SUBSCRIPTION_LIMIT_BACKOFF}); null when
   * no refusal is newer than the last successful create, or the backoff has passed.
   */
  async subscriptionLimit(db: PrismaClient | Tx = this.#prisma, now: Date = this.#now()): Promise<SubscriptionLimitState | null> {
    // Audit ids give the order (rows of one run share their time).
    const limitRows = { action: 'missing' as const, detail: { startsWith: SUBSCRIPTION_LIMIT_AUDIT_PREFIX } };
    const last = await db.subscriptionAudit.findFirst({ where: limitRows, orderBy: { id: 'desc' }, select: { id: true, createdAt: true } });
    if (!last) return null;
    const lastSuccess = await db.subscriptionAudit.findFirst({ where: { action: { in: ['created', 'recreated'] } }, orderBy: { id: 'desc' }, select: { id: true } });
    if (lastSuccess && lastSuccess.id > last.id) return null;
    // One refusal writes one audit row per refused event, all with the same time: count distinct times.
    const refusals = (await db.subscriptionAudit.groupBy({ by: ['createdAt'], where: { ...limitRows, ...(lastSuccess ? { id: { gt: lastSuccess.id } } : {}) } })).length;
    const waitMs = Math.min(SUBSCRIPTION_LIMIT_BACKOFF.firstMs * 2 ** Math.max(0, refusals - 1), SUBSCRIPTION_LIMIT_BACKOFF.maxMs);
    const retryAt = new Date(last.createdAt.getTime() + waitMs);
    return retryAt.getTime() > now.getTime() ? { refusedAt: last.createdAt, refusals, retryAt } : null;
  }

  /** Events a link of `kind` needs (owner: all 10; watch: announcements only). */
  eventsFor(kind: LinkKind): readonly string[] {
    return eventsFor(kind);
  }

  /**
   * Makes sure Kick delivers `events` for the broadcaster exactly once each: lists first, creates only
   * what is missing, deletes duplicates. Other events are left alone (see {@link sync}).
   */
  ensure(broadcasterUserId: number, events: readonly string[]): Promise<EnsureResult> {
    return this.#converge(broadcasterUserId, async () => [...new Set(events)], false);
  }

  /**
   * Converges one broadcaster on what its links need now: the union of {@link eventsFor} over active
   * guilds' links; everything else (including all of it when nobody links it any more) is deleted.
   */
  sync(broadcasterUserId: number): Promise<EnsureResult> {
    return this.#converge(broadcasterUserId, (tx) => this.#requiredEvents(tx, broadcasterUserId), true);
  }

  /**
   * For every broadcaster any active guild links, re-creates what Kick dropped (Kick unsubscribes
   * after a day of failed deliveries) and removes duplicates; deletes subscriptions of broadcasters
   * nobody links. Broadcasters already in order cost no lock and no write besides `lastCheckedAt`.
   */
  async reconcile(): Promise<ReconcileSummary> {
    const summary: ReconcileSummary = {
      broadcasters: 0,
      unchanged: 0,
      created: 0,
      recreated: 0,
      deletedDuplicates: 0,
      deletedUnused: 0,
      failedEvents: 0,
      errors: [],
    };
    const links = await this.#prisma.guildChannelLink.findMany({
      where: { guild: { active: true } },
      select: { broadcasterUserId: true, kind: true },
    });
    const kinds = new Map<number, Set<LinkKind>>();
    for (const link of links) {
      const set = kinds.get(link.broadcasterUserId) ?? new Set<LinkKind>();
      set.add(link.kind);
      kinds.set(link.broadcasterUserId, set);
    }
    const atKick = await this.#withApp((api) => api.listEventSubscriptions());
    const kickBy = new Map<number, KickEventSubscription[]>();
    for (const sub of atKick) kickBy.set(sub.broadcasterUserId, [...(kickBy.get(sub.broadcasterUserId) ?? []), sub]);
    const dbRows = await this.#prisma.kickSubscription.findMany({ where: { status: 'active' }, select: { id: true, broadcasterUserId: true } });
    const dbBy = new Map<number, Set<string>>();
    for (const row of dbRows) dbBy.set(row.broadcasterUserId, (dbBy.get(row.broadcasterUserId) ?? new Set()).add(row.id));

    const broadcasters = [...new Set([...kinds.keys(), ...kickBy.keys(), ...dbBy.keys()])].sort((a, b) => a - b);
    for (const broadcasterUserId of broadcasters) {
      summary.broadcasters++;
      const subs = kickBy.get(broadcasterUserId) ?? [];
      const p = plan(eventsForKinds(kinds.get(broadcasterUserId) ?? []), subs, true);
      const known = dbBy.get(broadcasterUserId) ?? new Set<string>();
      const kickIds = new Set(subs.map((s) => s.id));
      const inStep = p.keep.length === known.size && p.keep.every((s) => known.has(s.id)) && [...known].every((id) => kickIds.has(id));
      if (p.missing.length === 0 && p.duplicates.length === 0 && p.unused.length === 0 && inStep) {
        summary.unchanged++;
        await this.#prisma.kickSubscription.updateMany({ where: { id: { in: [...known] } }, data: { lastCheckedAt: this.#now() } });
        continue;
      }
      try {
        const result = await this.sync(broadcasterUserId);
        for (const c of result.created) {
          if (c.recreated) summary.recreated++;
          else summary.created++;
        }
        summary.deletedDuplicates += result.deletedDuplicates.length;
        summary.deletedUnused += result.deletedUnused.length;
        summary.failedEvents += result.failed.length;
        if (result.created.length + result.deletedDuplicates.length + result.deletedUnused.length === 0 && result.failed.length === 0) {
          summary.unchanged++;
        }
      } catch (error) {
        summary.errors.push({ broadcasterUserId, message: errorMessage(error) });
        this.#logger.error({ broadcasterUserId, err: errorMessage(error) }, 'subscription reconcile failed for broadcaster');
      }
    }
    this.#logger.info({ ...summary, errors: summary.errors.length }, 'subscription reconcile finished');
    return summary;
  }

  async #requiredEvents(tx: Tx, broadcasterUserId: number): Promise<string[]> {
    const links = await tx.guildChannelLink.findMany({
      where: { broadcasterUserId, guild: { active: true } },
      select: { kind: true },
    });
    return eventsForKinds(links.map((l) => l.kind));
  }

  /** Runs `fn` with the app client; on 401 forgets the cached app token and tries once more. */
  async #withApp<T>(fn: (api: KickApiClient) => Promise<T>): Promise<T> {
    try {
      return await fn(this.#api);
    } catch (error) {
      if (error instanceof KickApiError && error.status === 401) {
        this.#oauth.clearAppToken();
        return fn(this.#api);
      }
      throw error;
    }
  }

  async #converge(broadcasterUserId: number, wanted: (tx: Tx) => Promise<string[]>, prune: boolean): Promise<EnsureResult> {
    const result: EnsureResult = { broadcasterUserId, kept: [], created: [], deletedDuplicates: [], deletedUnused: [], failed: [] };
    let failure: unknown;
    await this.#prisma.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SUBSCRIPTION_LOCK_NAMESPACE}::int4, ${broadcasterUserId}::int4)`;
        const events = await wanted(tx);
        const now = this.#now();
        const dbActive = await tx.kickSubscription.findMany({ where: { broadcasterUserId, status: 'active' } });
        const audits: Prisma.SubscriptionAuditCreateManyInput[] = [];
        const audit = (event: string, action: SubscriptionAction, subscriptionId: string | null, detail?: string) =>
          audits.push({ broadcasterUserId, event, action, subscriptionId, detail: detail ?? null, createdAt: now });
        const deletedIds: string[] = [];
        // Limit refusals carry the clock's time: the backoff is measured from it.
        const limitAudits: Prisma.SubscriptionAuditCreateManyInput[] = [];
        let atKick: KickEventSubscription[] = [];
        let listed = false;

        try {
          atKick = (await this.#withApp((api) => api.listEventSubscriptions({ broadcasterUserId }))).filter(
            (s) => s.broadcasterUserId === broadcasterUserId,
          );
          listed = true;
          const p = plan(events, atKick, prune);
          result.kept = p.keep.map((s) => ({ event: s.event, subscriptionId: s.id }));
          const doomed = [...p.duplicates, ...p.unused];
          if (doomed.length) {
            await this.#withApp((api) => api.deleteEventSubscriptions(doomed.map((s) => s.id)));
            deletedIds.push(...doomed.map((s) => s.id));
            for (const s of p.duplicates) {
              result.deletedDuplicates.push({ event: s.event, subscriptionId: s.id });
              audit(s.event, 'deleted_duplicate', s.id, 'Kick held an identical subscription; it would deliver twice');
            }
            for (const s of p.unused) {
              result.deletedUnused.push({ event: s.event, subscriptionId: s.id });
              audit(s.event, 'deleted_unused', s.id, 'no linked guild needs this event');
            }
          }
          const limit = p.missing.length ? await this.subscriptionLimit(tx, now) : null;
          if (limit) {
            // Backing off after Kick's limit refusal: ask nothing (asking again would only be refused).
            for (const event of p.missing) result.failed.push({ event, error: `${SUBSCRIPTION_LIMIT_REASON} — next try after ${limit.retryAt.toISOString()}` });
          } else if (p.missing.length) {
            const droppedEvents = new Set(dbActive.filter((r) => !atKick.some((s) => s.id === r.id)).map((r) => r.event));
            let created: Awaited<ReturnType<KickApiClient['createEventSubscriptions']>>;
            try {
              created = await this.#withApp((api) =>
                api.createEventSubscriptions({
                  broadcasterUserId,
                  events: p.missing.map((name) => ({ name, version: SUBSCRIPTION_EVENT_VERSION })),
                }),
              );
            } catch (error) {
              if (!isSubscriptionLimitReached(error)) throw error;
              created = p.missing.map((name) => ({ name, version: SUBSCRIPTION_EVENT_VERSION, subscriptionId: null, error: SUBSCRIPTION_LIMIT_REASON }));
            }
            for (const event of p.missing) {
              const r = created.find((c) => c.name === event);
              if (r?.subscriptionId && !r.error) {
                const recreated = droppedEvents.has(event);
                result.created.push({ event, subscriptionId: r.subscriptionId, recreated });
                audit(event, recreated ? 'recreated' : 'created', r.subscriptionId, recreated ? 'Kick had dropped the previous subscription' : undefined);
              } else if (isSubscriptionLimitReached(r?.error)) {
                result.failed.push({ event, error: SUBSCRIPTION_LIMIT_REASON });
                limitAudits.push({ broadcasterUserId, event, action: 'missing', subscriptionId: null, detail: `${SUBSCRIPTION_LIMIT_AUDIT_PREFIX}: Kick refused to create it (${SUBSCRIPTION_LIMIT_REASON})`, createdAt: now });
              } else {
                const error = r?.error ?? 'Kick returned no subscription for this event';
                result.failed.push({ event, error });
                audit(event, 'missing', null, `create refused: ${error}`);
              }
            }
          }
        } catch (error) {
          failure = error;
        }

        // Rows we knew as active that Kick no longer lists (and we did not just delete): Kick dropped them.
        const kickIds = new Set(atKick.map((s) => s.id));
        const dropped = !listed ? [] : dbActive.filter((r) => !kickIds.has(r.id) && !deletedIds.includes(r.id));
        for (const r of dropped) audit(r.event, 'missing', r.id, 'Kick no longer lists this subscription');
        const goneIds = [...deletedIds, ...dropped.map((r) => r.id)];
        if (goneIds.length) {
          await tx.kickSubscription.updateMany({ where: { id: { in: goneIds } }, data: { status: 'deleted', deletedAt: now } });
        }
        const live = [...result.kept, ...result.created];
        if (live.length && (await tx.kickChannel.findUnique({ where: { broadcasterUserId }, select: { broadcasterUserId: true } }))) {
          for (const s of live) {
            await tx.kickSubscription.upsert({
              where: { id: s.subscriptionId },
              create: { id: s.subscriptionId, broadcasterUserId, event: s.event, version: SUBSCRIPTION_EVENT_VERSION, lastCheckedAt: now },
              update: { status: 'active', deletedAt: null, lastCheckedAt: now },
            });
          }
        }
        if (audits.length || limitAudits.length) await tx.subscriptionAudit.createMany({ data: [...audits, ...limitAudits] });
        if (limitAudits.length) {
          this.#logger.error(
            { broadcasterUserId, events: limitAudits.map((a) => a.event) },
            `Kick refused new event subscriptions: ${SUBSCRIPTION_LIMIT_REASON} (about 1,000 per unverified app, 10,000 verified) — unwatch channels or have the Kick app verified; creates are retried with backoff`,
          );
        }
      },
      { timeout: this.#lockTimeoutMs, maxWait: this.#lockTimeoutMs },
    );
    if (failure) throw failure;
    if (result.created.length || result.deletedDuplicates.length || result.deletedUnused.length || result.failed.length) {
      this.#logger.info(
        {
          broadcasterUserId,
          created: result.created.length,
          deletedDuplicates: result.deletedDuplicates.length,
          deletedUnused: result.deletedUnused.length,
          failed: result.failed,
        },
        'kick subscriptions changed',
      );
    }
    return result;
  }
}
