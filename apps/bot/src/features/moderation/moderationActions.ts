import { ReauthRequiredError } from '@kickcord/connections';
import type { ModerationAction, ModerationActionKind } from '@kickcord/db';
import { KickApiError } from '@kickcord/kick';
import type { BotContext } from '../../context.ts';
import { postNoticeOnce } from '../kickConnection/connectionNotices.ts';

/** A Kick OAuth scope moderation needs. */
export type ModerationScope = 'moderation:ban' | 'moderation:chat_message:manage';

/** The Kick scope each kind of action needs. */
export const ACTION_SCOPES: Readonly<Record<ModerationActionKind, ModerationScope>> = {
  delete: 'moderation:chat_message:manage',
  timeout: 'moderation:ban',
  ban: 'moderation:ban',
  unban: 'moderation:ban',
};

/** One moderation action to take in a guild's connected Kick channel. */
export interface ModerationRequest {
  guildId: string;
  broadcasterUserId: number;
  kickUserId: number;
  kickUsername: string;
  kind: ModerationActionKind;
  /** Minutes of a timeout. */
  durationMinutes?: number;
  reason?: string;
  /** A chat filter, `/mod`, a mod-log button in Discord, or the web dashboard (its form or its mod log). */
  source: 'filter' | 'command' | 'button' | 'dashboard';
  filter?: string;
  /** The chat message a filter acts on: deleted first (also for a timeout or ban). */
  kickMessageId?: string;
  excerpt?: string;
  /** The Discord user acting, in Discord or on the dashboard (none for a filter). */
  discordUserId?: string;
  /** One action per cause (see ModerationAction.idempotencyKey). */
  idempotencyKey: string;
}

/** Kick's limit on a ban reason. */
const KICK_REASON_MAX = 100;

/** Why a Kick refusal happened, in words for moderators; `scope` when the streamer's grant lacks one. */
function describeFailure(error: unknown, kind: ModerationActionKind): { message: string; scope?: ModerationScope } {
  if (error instanceof ReauthRequiredError) return { message: 'the Kick connection needs the streamer to log in again (`/kick connect`)' };
  if (error instanceof KickApiError) {
    const data = typeof error.body === 'object' && error.body !== null ? (error.body as { data?: unknown }).data : undefined;
    const reason = typeof data === 'string' ? data : `HTTP ${error.status}`;
    if (error.status === 403 && /scope/i.test(reason)) return { message: `the Kick connection lacks the \`${ACTION_SCOPES[kind]}\` permission`, scope: ACTION_SCOPES[kind] };
    return { message: `Kick refused: ${reason.slice(0, 200)}` };
  }
  return { message: error instanceof Error ? error.message.slice(0, 200) : String(error).slice(0, 200) };
}

/** Tells the guild's moderators once (per connection) that an action needs a scope the streamer did not grant. */
async function noticeMissingScope(ctx: BotContext, guildId: string, scope: ModerationScope): Promise<void> {
  const connection = await ctx.prisma.kickConnection.findUnique({ where: { guildId }, select: { id: true } });
  await postNoticeOnce(
    ctx,
    guildId,
    `scope:${connection?.id ?? 'none'}:${scope}`,
    `⚠️ kickcord cannot moderate Kick chat: the streamer's Kick connection lacks the \`${scope}\` permission. ` +
      'Run `/kick connect` and have the streamer connect again to grant it; until then chat filters and `/mod` cannot act.',
  );
}

/**
 * Takes a moderation action in Kick chat as the guild's streamer and records it, once per `idempotencyKey`
 * (a retried job or a double click finds the recorded action and does nothing). A missing scope is checked
 * against the stored grant before calling Kick, and also recognised in Kick's 403; either way the action is
 * recorded as failed and the moderators are told once.
 */
export async function takeModerationAction(ctx: BotContext, request: ModerationRequest): Promise<{ action: ModerationAction; created: boolean }> {
  const where = { guildId_idempotencyKey: { guildId: request.guildId, idempotencyKey: request.idempotencyKey } };
  const existing = await ctx.prisma.moderationAction.findUnique({ where });
  if (existing) return { action: existing, created: false };

  const connection = await ctx.prisma.kickConnection.findUnique({ where: { guildId: request.guildId }, select: { scopes: true, broadcasterUserId: true } });
  let failure: { message: string; scope?: ModerationScope } | undefined;
  const needed = request.kickMessageId ? [ACTION_SCOPES.delete, ...(request.kind === 'delete' ? [] : [ACTION_SCOPES[request.kind]])] : [ACTION_SCOPES[request.kind]];
  const missing = needed.find((scope) => connection && !connection.scopes.includes(scope));
  if (!connection || connection.broadcasterUserId !== request.broadcasterUserId) failure = { message: 'this server has no Kick connection for that channel (`/kick connect`)' };
  else if (missing) failure = { message: `the Kick connection lacks the \`${missing}\` permission`, scope: missing };
  else {
    const kick = ctx.connections.apiClient(request.guildId);
    try {
      if (request.kickMessageId) {
        try {
          await kick.deleteChatMessage(request.kickMessageId);
        } catch (error) {
          // Already gone (deleted by a moderator, or Kick expired it): the timeout or ban still stands.
          if (!(error instanceof KickApiError && error.status === 404)) throw error;
        }
      }
      const target = { broadcasterUserId: request.broadcasterUserId, userId: request.kickUserId };
      const reason = request.reason ? { reason: request.reason.slice(0, KICK_REASON_MAX) } : {};
      if (request.kind === 'timeout') await kick.banUser({ ...target, durationMinutes: request.durationMinutes ?? 10, ...reason });
      else if (request.kind === 'ban') await kick.banUser({ ...target, ...reason });
      else if (request.kind === 'unban') await kick.unbanUser(target);
    } catch (error) {
      failure = describeFailure(error, request.kind);
      ctx.logger.warn({ err: error, guildId: request.guildId, kind: request.kind, source: request.source }, 'kick moderation action failed');
    }
  }
  if (failure?.scope) await noticeMissingScope(ctx, request.guildId, failure.scope);

  const inserted = await ctx.prisma.moderationAction.createMany({
    data: [
      {
        guildId: request.guildId,
        broadcasterUserId: request.broadcasterUserId,
        kickUserId: request.kickUserId,
        kickUsername: request.kickUsername,
        kind: request.kind,
        durationMinutes: request.kind === 'timeout' ? (request.durationMinutes ?? 10) : null,
        source: request.source,
        filter: request.filter ?? null,
        reason: request.reason?.slice(0, 500) ?? null,
        kickMessageId: request.kickMessageId ?? null,
        excerpt: request.excerpt ?? null,
        discordUserId: request.discordUserId ?? null,
        status: failure ? 'failed' : 'done',
        error: failure?.message ?? null,
        idempotencyKey: request.idempotencyKey,
      },
    ],
    skipDuplicates: true,
  });
  const action = await ctx.prisma.moderationAction.findUniqueOrThrow({ where });
  // A concurrent run for the same cause (a duplicate delivery) may have recorded it first.
  return { action, created: inserted.count === 1 };
}

/** "timed out for 10 minutes", "banned", "message deleted", "unbanned". */
export function describeAction(action: Pick<ModerationAction, 'kind' | 'durationMinutes'>): string {
  switch (action.kind) {
    case 'delete':
      return 'message deleted';
    case 'timeout':
      return `timed out for ${action.durationMinutes ?? 10} minute${action.durationMinutes === 1 ? '' : 's'}`;
    case 'ban':
      return 'banned';
    case 'unban':
      return 'unbanned';
  }
}
