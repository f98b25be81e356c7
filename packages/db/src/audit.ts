import type { PrismaClient } from './generated/prisma/client.ts';

/** Where a change was made. */
export type AuditSource = 'discord' | 'dashboard';

/** JSON a detail may hold (values before and after; never a secret). */
export type AuditDetailValue = string | number | boolean | null | readonly AuditDetailValue[] | { readonly [key: string]: AuditDetailValue };

/** One change to record with {@link recordAudit}. */
export interface AuditInput {
  guildId: string;
  /** Discord user id of whoever made the change. */
  actorId: string;
  /** Their Discord username now (kept as it was, since names change). */
  actorName: string;
  source: AuditSource;
  /** What changed, dotted and stable, e.g. `loyalty.settings`, `dashboard.manager_roles`. */
  action: string;
  /** What changed from what to what, e.g. `{ pointsPerMinute: { from: 1, to: 2 } }`. */
  detail: { readonly [key: string]: AuditDetailValue };
}

/** An audit log entry as read back. */
export interface AuditEntry {
  id: string;
  guildId: string;
  actorId: string;
  actorName: string;
  source: string;
  action: string;
  detail: unknown;
  createdAt: Date;
}

/** Longest action name and actor name kept (longer input is a programming error, not user input). */
const MAX_ACTION_LENGTH = 100;
const MAX_ACTOR_NAME_LENGTH = 100;

/**
 * Records who changed what in a guild's settings, and when — from a slash command (`source: 'discord'`) or the
 * web dashboard (`source: 'dashboard'`). Call it after the change is written; both apps use it.
 */
export async function recordAudit(prisma: Pick<PrismaClient, 'auditLogEntry'>, input: AuditInput): Promise<AuditEntry> {
  if (!input.action || input.action.length > MAX_ACTION_LENGTH) throw new RangeError(`audit action must be 1–${MAX_ACTION_LENGTH} characters, got "${input.action.slice(0, 120)}"`);
  return prisma.auditLogEntry.create({
    data: {
      guildId: input.guildId,
      actorId: input.actorId,
      actorName: input.actorName.slice(0, MAX_ACTOR_NAME_LENGTH),
      source: input.source,
      action: input.action,
      detail: input.detail as object,
    },
  });
}

/** Options of {@link listAudit}. */
export interface ListAuditOptions {
  /** Only changes by this Discord user id. */
  actorId?: string;
  /** Newest first; at most this many (default 50, at most 200). */
  limit?: number;
  /** Entries older than this one (the `id` of the last entry of the previous page). */
  before?: { createdAt: Date; id: string };
}

/** A guild's audit log, newest first, optionally of one actor. Always scoped to `guildId`. */
export async function listAudit(prisma: Pick<PrismaClient, 'auditLogEntry'>, guildId: string, options: ListAuditOptions = {}): Promise<AuditEntry[]> {
  const limit = Math.min(200, Math.max(1, options.limit ?? 50));
  return prisma.auditLogEntry.findMany({
    where: {
      guildId,
      ...(options.actorId ? { actorId: options.actorId } : {}),
      ...(options.before ? { OR: [{ createdAt: { lt: options.before.createdAt } }, { createdAt: options.before.createdAt, id: { lt: options.before.id } }] } : {}),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit,
  });
}

/** The people who appear in a guild's audit log (id and latest name), for an actor filter. */
export async function auditActors(prisma: Pick<PrismaClient, 'auditLogEntry'>, guildId: string): Promise<{ actorId: string; actorName: string }[]> {
  const rows = await prisma.auditLogEntry.findMany({ where: { guildId }, distinct: ['actorId'], orderBy: [{ actorId: 'asc' }, { createdAt: 'desc' }], select: { actorId: true, actorName: true }, take: 200 });
  return rows.sort((a, b) => a.actorName.localeCompare(b.actorName));
}

/** `{ key: { from, to } }` for each key of `after` whose value differs from `before` (arrays compared by content). */
export function auditChanges(
  before: Readonly<Record<string, AuditDetailValue | undefined>>,
  after: Readonly<Record<string, AuditDetailValue | undefined>>,
): Record<string, { from: AuditDetailValue; to: AuditDetailValue }> {
  const out: Record<string, { from: AuditDetailValue; to: AuditDetailValue }> = {};
  for (const key of Object.keys(after)) {
    const from = before[key] ?? null;
    const to = after[key] ?? null;
    if (JSON.stringify(from) !== JSON.stringify(to)) out[key] = { from, to };
  }
  return out;
}
