/**
 * The `enqueue` section's workload: which calls each concurrent caller makes, and the job of every call.
 * Both are pure functions of their inputs, so every arm gets the same calls and the same job payloads, and
 * the verifier knows which ids must be in the queue.
 */
import { kickEventJobJson, type KickEventJob } from '@kickcord/queue';
import { BROADCASTER_USER_ID, chatBody, EVENT_TYPE, idOf, SUBSCRIPTION_ID } from './pool.ts';

/** Who calls what: `callers[c]` is caller c's calls in order; a value ≥ 0 is a new job's index, `-(k + 1)` replays new job k. */
export interface EnqueuePlan {
  calls: number;
  /** New jobs: job k has id `idOf(salt, k + 1)`. */
  newJobs: number;
  replays: number;
  callers: Int32Array[];
}

/**
 * `calls` calls over `callers` callers. Every `replayEvery`-th call of a caller replays one of that caller's
 * own earlier new jobs — one it has already seen answered, so the only right answer is `duplicate`. New job
 * indexes go round-robin over the callers, so consecutive ids are in flight together.
 */
export function enqueuePlan(calls: number, callers: number, replayEvery: number): EnqueuePlan {
  const lengths = Array.from({ length: callers }, (_, c) => Math.floor(calls / callers) + (c < calls % callers ? 1 : 0));
  const plans = lengths.map((n) => new Int32Array(n));
  const own: number[][] = lengths.map(() => []);
  let next = 0;
  let replays = 0;
  const longest = Math.max(0, ...lengths);
  for (let p = 0; p < longest; p++) {
    for (let c = 0; c < callers; c++) {
      if (p >= lengths[c]!) continue;
      const mine = own[c]!;
      if ((p + 1) % replayEvery === 0 && mine.length > 0) {
        plans[c]![p] = -(mine[(p * 31 + c) % mine.length]! + 1);
        replays++;
      } else {
        plans[c]![p] = next;
        mine.push(next++);
      }
    }
  }
  return { calls, newJobs: next, replays, callers: plans };
}

/** One job as the web handler holds it: the job JSON text (what the script takes) or the job object (what BullMQ's `add` takes). */
export interface BenchJob {
  id: string;
  name: string;
  /** The job's JSON text (`kickEventJobJson` of the delivery's own body), when built with `json`. */
  json: string;
  /** The job object (the delivery's parsed body as payload), when built with `data`. */
  data: KickEventJob | undefined;
}

/**
 * The `count` new jobs of a plan: realistic `chat.message.sent` jobs (the ingest section's ~700-byte chat
 * body, ~1 KB of job JSON) with unique ULID message ids. `forms` picks what to build; both forms serialize
 * to the same bytes (checked here, so the arms provably store the same jobs).
 */
export function benchJobs(salt: string, count: number, forms: { json: boolean; data: boolean }): BenchJob[] {
  const now = new Date().toISOString();
  const header = (id: string): Omit<KickEventJob, 'payload'> => ({
    messageId: id,
    subscriptionId: SUBSCRIPTION_ID,
    eventType: EVENT_TYPE,
    eventVersion: '1',
    messageTimestamp: now,
    receivedAt: now,
    broadcasterUserId: BROADCASTER_USER_ID,
  });
  // The parsed body differs between deliveries only in its message id: share the rest (what JSON.stringify
  // does per job is the same as for a fully separate object).
  const template = JSON.parse(chatBody(idOf(salt, 0))) as Record<string, unknown>;
  const jobs = new Array<BenchJob>(count);
  for (let k = 0; k < count; k++) {
    const id = idOf(salt, k + 1);
    jobs[k] = {
      id,
      name: EVENT_TYPE,
      json: forms.json ? kickEventJobJson(header(id), chatBody(id)) : '',
      data: forms.data ? { ...header(id), payload: { ...template, message_id: id } } : undefined,
    };
  }
  if (count > 0) {
    const first = idOf(salt, 1);
    const text = kickEventJobJson(header(first), chatBody(first));
    const object = JSON.stringify({ ...header(first), payload: { ...template, message_id: first } });
    if (text !== object) throw new Error('enqueue bench: the job JSON text and the job object serialize differently — the arms would store different jobs');
  }
  return jobs;
}
