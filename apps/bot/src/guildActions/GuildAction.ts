import { recordAudit, type AuditDetailValue, type AuditSource } from '@kickcord/db';
import type { GuildActionActor, GuildActionData } from '@kickcord/queue';
import type { z } from 'zod';
import type { BotContext } from '../context.ts';

/** Who is making a change, and from where: a slash command (`discord`) or the web dashboard (`dashboard`). */
export interface GuildActionCall {
  guildId: string;
  actor: GuildActionActor;
  source: AuditSource;
  /**
   * A stable id of this one request (the interaction id, or the dashboard form's one-time id): use it in ledger
   * idempotency keys so a repeated request changes points once.
   */
  requestId: string;
}

/** What an action answers: a sentence for the person, and data the slash command or page may show. */
export interface GuildActionOutcome<D extends GuildActionData = GuildActionData> {
  message: string;
  data?: D;
}

/**
 * One change to a guild's kickcord settings or state that both a slash command and the web dashboard make. The
 * slash command turns its options into `input` and calls `run`; the dashboard sends the same input through the
 * `guild-actions` queue, and a worker calls the same `run`. Refusals are `UserFacingError`s, whose text both show.
 * `run` records its own audit entry (see {@link auditAction}) when it changed something.
 */
export interface GuildAction<S extends z.ZodType = z.ZodType, D extends GuildActionData = GuildActionData> {
  /** Dotted, stable, e.g. `announcements.set`. */
  name: string;
  /** Checks and shapes the input; its messages are shown to the person as they are. */
  input: S;
  run(ctx: BotContext, call: GuildActionCall, input: z.output<S>): Promise<GuildActionOutcome<D>>;
}

/** Declares a {@link GuildAction} with its input type inferred from the schema. */
export function defineGuildAction<S extends z.ZodType, D extends GuildActionData = GuildActionData>(action: GuildAction<S, D>): GuildAction<S, D> {
  return action;
}

/** Records an action's change in the guild's audit log under the actor and source of the call. */
export async function auditAction(ctx: Pick<BotContext, 'prisma'>, call: GuildActionCall, action: string, detail: { readonly [key: string]: AuditDetailValue }): Promise<void> {
  await recordAudit(ctx.prisma, { guildId: call.guildId, actorId: call.actor.id, actorName: call.actor.name, source: call.source, action, detail });
}
