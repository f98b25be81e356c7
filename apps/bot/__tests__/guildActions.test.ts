/**
 * The `guild-actions` queue between the web dashboard and the bot, on real Redis and PostgreSQL: the worker runs a
 * feature's action with the dashboard's actor, answers refusals as results with the action's own text, refuses
 * unknown actions, bad input and stale jobs unrun, and a request id makes a double submit run once.
 */
import { createGuildActionsWorker, createRedisConnection, GuildActionClient, GuildActionTimeoutError, type GuildActionJob } from '@kickcord/queue';
import type { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { auditAction, defineGuildAction, type GuildAction } from '../src/guildActions/GuildAction.ts';
import { createGuildActionsProcessor } from '../src/guildActions/guildActionsProcessor.ts';
import { UserFacingError } from '../src/UserFacingError.ts';
import { startServiceStack, type ServiceStack } from './helpers/serviceStack.ts';

const ACTOR = { id: '300000000000000001', name: 'dash_mod' };
let stack: ServiceStack;
let worker: Worker;
let client: GuildActionClient;
let runs = 0;
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const actions: GuildAction[] = [
  defineGuildAction({
    name: 'test.rename',
    input: z.object({ name: z.string().min(1, 'Give a name.').max(20, 'A name is at most 20 characters.') }),
    async run(ctx, call, input) {
      runs++;
      if (input.name === 'taken') throw new UserFacingError('That name is taken; pick another.');
      if (input.name === 'boom') throw new Error('database exploded with a secret-token-123');
      await auditAction(ctx, call, 'test.rename', { name: { from: null, to: input.name } });
      return { message: `Renamed to ${input.name}.`, data: { name: input.name, requestId: call.requestId, source: call.source } };
    },
  }),
];

const job = (input: unknown, action = 'test.rename'): GuildActionJob => ({ guildId: stack.guildId, action, input, actor: ACTOR });

beforeAll(async () => {
  stack = await startServiceStack({ handlers: [] });
  const prefix = stack.ctx.env.QUEUE_PREFIX;
  worker = createGuildActionsWorker(createGuildActionsProcessor(actions, stack.ctx), { connection: createRedisConnection(redisUrl), prefix, concurrency: 2 });
  client = new GuildActionClient({ connection: createRedisConnection(redisUrl), eventsConnection: createRedisConnection(redisUrl), prefix, timeoutMs: 10_000 });
  await worker.waitUntilReady();
});
afterAll(async () => {
  await client?.close();
  await worker?.close();
  await stack?.close();
});

describe('guild actions (dashboard → queue → bot)', () => {
  it('runs the action as the dashboard user and returns its message and data; the audit entry says dashboard', async () => {
    const result = await client.run(job({ name: 'Alpha' }), 'req-alpha-000000000001');
    expect(result).toEqual({ ok: true, message: 'Renamed to Alpha.', data: { name: 'Alpha', requestId: 'dash-req-alpha-000000000001', source: 'dashboard' } });
    const entry = await stack.db.prisma.auditLogEntry.findFirst({ where: { guildId: stack.guildId, action: 'test.rename' } });
    expect(entry).toMatchObject({ actorId: ACTOR.id, actorName: ACTOR.name, source: 'dashboard' });
  });

  it("answers a refusal with the action's own words, and bad input with the schema's message and field", async () => {
    expect(await client.run(job({ name: 'taken' }))).toEqual({ ok: false, error: 'That name is taken; pick another.' });
    expect(await client.run(job({ name: 'x'.repeat(21) }))).toEqual({ ok: false, error: 'name: A name is at most 20 characters.' });
    expect(await client.run(job({}, 'test.nope'))).toEqual({ ok: false, error: expect.stringContaining('kickcord has no change called "test.nope"') as string });
  });

  it('an unexpected failure answers with a reference and never the error text', async () => {
    const result = await client.run(job({ name: 'boom' }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatch(/^Something went wrong on our side \(reference [0-9a-f]{8}\)/);
    expect(result.error).not.toContain('secret-token-123');
  });

  it('the same request id submitted twice runs the action once, and both get the same answer', async () => {
    const before = runs;
    const [a, b] = await Promise.all([client.run(job({ name: 'Twice' }), 'req-twice-0000000000001'), client.run(job({ name: 'Twice' }), 'req-twice-0000000000001')]);
    expect(a).toEqual(b);
    expect(runs - before).toBe(1);
  });

  it('a job that waited longer than 30 s is refused unrun', async () => {
    const before = runs;
    const realNow = stack.ctx.now;
    stack.ctx.now = () => new Date(Date.now() + 31_000);
    try {
      expect(await client.run(job({ name: 'Late' }))).toEqual({ ok: false, error: 'The bot was too busy to make this change in time, so it was not made. Try again.' });
    } finally {
      stack.ctx.now = realNow;
    }
    expect(runs).toBe(before);
  });

  it('without a worker the client gives up with a timeout error', async () => {
    const lonely = new GuildActionClient({ connection: createRedisConnection(redisUrl), eventsConnection: createRedisConnection(redisUrl), prefix: `${stack.ctx.env.QUEUE_PREFIX}-noworker`, timeoutMs: 300 });
    try {
      await expect(lonely.run(job({ name: 'Nobody' }))).rejects.toBeInstanceOf(GuildActionTimeoutError);
    } finally {
      await lonely.close();
    }
  });

  it('two actions with one name are refused when the processor is built', () => {
    expect(() => createGuildActionsProcessor([...actions, ...actions], stack.ctx)).toThrow(/two guild actions are named test.rename/);
  });
});
