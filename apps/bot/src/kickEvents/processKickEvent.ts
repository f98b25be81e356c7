import { markHeard, recordDelivery } from '@kickcord/connections';
import { compileSchemaCheck, eventBroadcasterId, parseKickEventFast } from '@kickcord/kick';
import { kickEventJobSchema, type KickEventJob, type RedisConnection } from '@kickcord/queue';
import { UnrecoverableError } from 'bullmq';
import type { BotContext } from '../context.ts';
import type { KickEventHandler, KickEventInput, LinkedGuild } from './KickEventHandler.ts';

/** Thrown when some handlers failed; the job is retried and every handler runs again (idempotently). */
export class KickEventHandlersFailedError extends Error {
  override readonly name = 'KickEventHandlersFailedError';
  constructor(readonly failures: { handler: string; error: unknown }[]) {
    super(`${failures.length} handler(s) failed: ${failures.map((f) => `${f.handler}: ${f.error instanceof Error ? f.error.message : String(f.error)}`).join('; ')}`);
  }
}

// The job's envelope has no transforms, so a value the compiled check accepts is zod's output as is.
const isKickEventJob = compileSchemaCheck(kickEventJobSchema) as (data: unknown) => data is KickEventJob;

/** The job's data, checked without zod when valid (zod explains a refusal). */
function readJob(data: unknown): KickEventJob {
  if (isKickEventJob(data)) return data;
  const parsedJob = kickEventJobSchema.safeParse(data);
  if (!parsedJob.success) throw new UnrecoverableError(`invalid kick-events job: ${parsedJob.error.message}`);
  return parsedJob.data;
}

/**
 * Processes one `kick-events` job: records the delivery, finds the guilds linked to the
 * broadcaster, and runs each handler in order. Invalid jobs fail without retries.
 *
 * A chat message — most of the traffic — costs no database statement on its way here: its delivery is
 * only a "last heard from" mark in Redis (flushed to PostgreSQL by a maintenance task) and the fan-out
 * list comes from the Redis cache. Every other event keeps its `WebhookDelivery` row. `options.jobConnection` is the
 * connection the worker completes the job on (see {@link KickEventInput.jobConnection}).
 */
export async function processKickEvent(ctx: BotContext, handlers: readonly KickEventHandler[], data: unknown, options: { jobConnection?: RedisConnection | undefined } = {}): Promise<void> {
  const job = readJob(data);
  const parsed = parseKickEventFast(job.eventType, job.eventVersion, job.payload);
  if (!parsed.ok) throw new UnrecoverableError(`job ${job.messageId} carries an unusable ${job.eventType} v${job.eventVersion} event (${parsed.reason})`);
  const event = parsed.event;
  const broadcasterUserId = eventBroadcasterId(event);

  // The record and the fan-out lookup are independent: one round trip for both on the chat path.
  const [, linked] = await Promise.all([
    event.type === 'chat.message.sent' ? markHeard(ctx.redis, ctx.env.QUEUE_PREFIX, job) : recordDelivery(ctx.prisma, job),
    ctx.fanOut.guildsFor(broadcasterUserId),
  ]);
  const guilds: LinkedGuild[] = linked.map((l) => ({ guildId: l.guildId, kind: l.kind }));
  const input: KickEventInput = { event, job, broadcasterUserId, guilds, owner: guilds.find((g) => g.kind === 'owner'), jobConnection: options.jobConnection };

  const failures: { handler: string; error: unknown }[] = [];
  for (const handler of handlers) {
    if (handler.types !== 'all' && !handler.types.includes(event.type)) continue;
    try {
      await handler.handle(ctx, input);
    } catch (error) {
      ctx.logger.warn({ err: error, handler: handler.name, messageId: job.messageId, type: event.type }, 'kick event handler failed');
      failures.push({ handler: handler.name, error });
    }
  }
  if (failures.length) throw new KickEventHandlersFailedError(failures);
}
