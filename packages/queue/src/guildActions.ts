import { randomBytes } from 'node:crypto';
import { Queue, QueueEvents, Worker, type ConnectionOptions, type Processor } from 'bullmq';
import { z } from 'zod';
import { DEFAULT_KEY_PREFIX, isSafeJobId, queueKeyPrefix } from './keyspace.ts';
import type { WorkerFactoryOptions } from './queues.ts';

/**
 * Changes the web dashboard asks the bot to make: one job per submitted form, run by a bot worker with the very
 * code a slash command runs (same validation, same error texts, same audit entry), so the dashboard needs no copy
 * of any feature's rules and every cache the bot keeps is invalidated the way it always is.
 */
export const GUILD_ACTIONS_QUEUE = 'guild-actions';

/** A job older than this when a worker picks it up is refused, so a change never lands long after its form. */
export const GUILD_ACTION_MAX_AGE_MS = 30_000;

/** Who asked for a change. */
export const guildActionActorSchema = z.object({ id: z.string().regex(/^\d{15,21}$/), name: z.string().min(1).max(100) });
export type GuildActionActor = z.infer<typeof guildActionActorSchema>;

/** Payload of a `guild-actions` job. */
export const guildActionJobSchema = z.object({
  guildId: z.string().regex(/^\d{15,21}$/),
  /** Dotted action name a bot feature declares, e.g. `announcements.set`. */
  action: z.string().min(1).max(100),
  /** The action's input; the action's own schema checks it. */
  input: z.unknown(),
  actor: guildActionActorSchema,
});
export type GuildActionJob = z.infer<typeof guildActionJobSchema>;

/** JSON a result may carry back to the page. */
export type GuildActionData = string | number | boolean | null | readonly GuildActionData[] | { readonly [key: string]: GuildActionData };

/**
 * What the worker answers: `ok` with a sentence for the person (and optional data), or a refusal whose `error`
 * is the same text the slash command shows. `reference` names a log line when the failure was not the user's.
 */
export type GuildActionResult = { ok: true; message: string; data?: GuildActionData } | { ok: false; error: string; reference?: string };

/** Reads a worker's answer back; anything else (a different version of the bot, say) is a refusal. */
export function readGuildActionResult(value: unknown): GuildActionResult {
  if (value && typeof value === 'object') {
    const v = value as { ok?: unknown; message?: unknown; data?: unknown; error?: unknown; reference?: unknown };
    if (v.ok === true && typeof v.message === 'string') return { ok: true, message: v.message, ...(v.data !== undefined ? { data: v.data as GuildActionData } : {}) };
    if (v.ok === false && typeof v.error === 'string') return { ok: false, error: v.error, ...(typeof v.reference === 'string' ? { reference: v.reference } : {}) };
  }
  return { ok: false, error: 'The bot answered in a way this page does not understand. Are the web app and the bot the same version?' };
}

/** Job options: a change is tried once (a retry would surprise whoever is looking at the page), kept an hour. */
const guildActionJobOptions = {
  attempts: 1,
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 24 * 3600, count: 10_000 },
} as const;

/** A BullMQ worker of the `guild-actions` queue under the install's prefix. */
export function createGuildActionsWorker(processor: Processor<GuildActionJob, GuildActionResult>, options: WorkerFactoryOptions): Worker<GuildActionJob, GuildActionResult> {
  const { connection, prefix, ...rest } = options;
  return new Worker<GuildActionJob, GuildActionResult>(GUILD_ACTIONS_QUEUE, processor, { ...rest, connection, prefix: queueKeyPrefix(prefix ?? DEFAULT_KEY_PREFIX) });
}

/** The bot did not answer in time: no worker is running, or all are busy. The change may still be made. */
export class GuildActionTimeoutError extends Error {
  override readonly name = 'GuildActionTimeoutError';
}

/** Options of {@link GuildActionClient}. */
export interface GuildActionClientOptions {
  /** Two connections, closed with the client: BullMQ's QueueEvents blocks on one; the queue uses the other. */
  connection: ConnectionOptions;
  eventsConnection: ConnectionOptions;
  prefix?: string;
  /** How long `run` waits for a worker's answer (default 10 s). */
  timeoutMs?: number;
}

/**
 * The web side of `guild-actions`: adds a job and waits for the worker's answer. `requestId` (a form's one-time
 * nonce) becomes the job id, so a form submitted twice makes the change once and both submits see the same answer.
 */
export class GuildActionClient {
  readonly #queue: Queue<GuildActionJob, GuildActionResult>;
  readonly #events: QueueEvents;
  readonly #timeoutMs: number;
  readonly #connections: readonly ConnectionOptions[];
  #ready: Promise<void> | undefined;

  constructor(options: GuildActionClientOptions) {
    const prefix = queueKeyPrefix(options.prefix ?? DEFAULT_KEY_PREFIX);
    this.#queue = new Queue<GuildActionJob, GuildActionResult>(GUILD_ACTIONS_QUEUE, { connection: options.connection, prefix, defaultJobOptions: guildActionJobOptions });
    this.#events = new QueueEvents(GUILD_ACTIONS_QUEUE, { connection: options.eventsConnection, prefix });
    this.#events.on('error', () => undefined);
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#connections = [options.connection, options.eventsConnection];
  }

  /** Runs one action and returns the worker's answer; throws {@link GuildActionTimeoutError} when none comes in time. */
  async run(job: GuildActionJob, requestId: string = randomBytes(16).toString('hex')): Promise<GuildActionResult> {
    const jobId = `dash-${requestId}`;
    if (!isSafeJobId(jobId)) throw new RangeError('guild action request id must be letters, digits, "-" or "_"');
    this.#ready ??= this.#events.waitUntilReady().then(() => undefined);
    await this.#ready;
    const added = await this.#queue.add(job.action, job, { jobId });
    try {
      const result = await added.waitUntilFinished(this.#events, this.#timeoutMs);
      return readGuildActionResult(result);
    } catch (error) {
      if (error instanceof Error && /timed out/i.test(error.message)) throw new GuildActionTimeoutError(`no bot worker answered within ${this.#timeoutMs / 1000} s`);
      // A processor that threw (never on purpose: the bot answers refusals as results) reaches here as a failed job.
      return { ok: false, error: 'kickcord could not make this change. Try again; if it keeps failing, an admin can find the reason in the bot\'s log.', reference: jobId };
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.#events.close(), this.#queue.close()]);
    // The connections were handed in (BullMQ leaves those open): this client owns them.
    for (const c of this.#connections) if (typeof (c as { disconnect?: unknown }).disconnect === 'function') (c as { disconnect(): void }).disconnect();
  }
}
