/**
 * A chat message's tally goes out ahead of its job's completion: with the real web and bot worker (BullMQ), the
 * per-message tally script (activity, first sight, the timers' line count) is sent on the connection the
 * kick-events worker completes jobs on, before BullMQ's moveToFinished of that job — Redis runs one connection's
 * commands in order, so a job never counts as completed without its tally. Seen with MONITOR on the shared Redis,
 * filtered by this stack's own key prefix.
 */
import { waitFor } from '@kickcord/queue';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from './helpers/harness.ts';

let stack: TestStack;
let monitor: Redis | undefined;
/** Commands of this stack's install sent by clients (not run inside a script), in the order Redis ran them. */
const sent: { args: string[]; source: string }[] = [];
/** Errors of the MONITOR connection once it monitors. */
const monitorErrors: unknown[] = [];

beforeAll(async () => {
  stack = await startTestStack();
  // A connection in MONITOR mode of its own. Until ioredis has noted MONITOR's OK, a command line arriving with it
  // reads as a reply to nothing (an 'error' event): the lines before this test's first message do not matter.
  const connection = new Redis(stack.env.REDIS_URL, { monitor: true });
  monitor = connection;
  let monitoring = false;
  connection.once('monitoring', () => (monitoring = true));
  connection.on('error', (error: unknown) => {
    if (monitoring) monitorErrors.push(error);
  });
  const prefix = `${stack.env.QUEUE_PREFIX}:`;
  connection.on('monitor', (_time: string, args: string[], source: string) => {
    if (source !== 'lua' && args.some((a) => a.startsWith(prefix))) sent.push({ args, source });
  });
  await waitFor(() => monitoring, { description: 'the MONITOR connection to monitor' });
}, 90_000);
afterAll(async () => {
  monitor?.disconnect();
  await stack?.close();
});

/** Where, among the commands seen, a chat message's tally and its job's completion ran, and from which client. */
interface Order {
  tally: Seen | undefined;
  completion: Seen | undefined;
}
/** A command's place among the commands seen, and the client (address) that sent it. */
interface Seen {
  index: number;
  source: string;
}

/**
 * The message's tally: the script call (EVALSHA, or EVAL when the server did not know the script) carrying its
 * timers "line seen" key (chat message id). Its job's completion: BullMQ's moveToFinished script, which names the
 * job (id = the delivery's Kick-Event-Message-Id) and the queue's completed set under `<prefix>:{q}:kick-events:`.
 */
function orderOf(chatMessageId: string, jobId: string): Order {
  const lineSeen = stack.bot.ctx.keys.timers(stack.guild.id).lineSeen(chatMessageId);
  const queue = `${stack.env.QUEUE_PREFIX}:{q}:kick-events:`;
  const order: Order = { tally: undefined, completion: undefined };
  sent.forEach(({ args, source }, index) => {
    const command = args[0]?.toLowerCase();
    if (command !== 'evalsha' && command !== 'eval') return;
    if (!order.tally && args.includes(lineSeen)) order.tally = { index, source };
    if (!order.completion && args.includes(jobId) && args.includes(`${queue}${jobId}`) && args.includes(`${queue}completed`)) order.completion = { index, source };
  });
  return order;
}

/** Waits until MONITOR has shown both the tally of a chat message and the completion of its job. */
function completedOrder(chatMessageId: string, jobId: string): Promise<{ tally: Seen; completion: Seen }> {
  return waitFor(
    () => {
      const { tally, completion } = orderOf(chatMessageId, jobId);
      return tally && completion ? { tally, completion } : undefined;
    },
    { timeoutMs: 15_000, description: `the tally and the completion of chat message ${chatMessageId}` },
  );
}

/** Sends a plain chat message (delivered once); the chat message's id and its job's (the delivery's message id). */
async function chat(viewer: { userId: number }, content: string): Promise<{ chatMessageId: string; jobId: string }> {
  const message = await stack.kick.sendChat(stack.streamer.userId, viewer.userId, content);
  expect(message.deliveries.map((d) => d.delivered)).toEqual([true]);
  return { chatMessageId: message.messageId, jobId: message.deliveries[0]!.messageId };
}

describe('the chat tally and the completion of its job', () => {
  it('sends each warm message’s tally on the client that completes its job, before the completion', async () => {
    const viewer = stack.createViewer('tally_order_fan');

    // Warm-up: the first message loads the script on the worker's connection and waits for its tally on the bot's
    // own; a message after the load sends it ahead. Until one is seen going ahead (a bounded number of messages).
    let warmUps = 0;
    let warm = false;
    while (warmUps < 5 && !warm) {
      const { chatMessageId, jobId } = await chat(viewer, `warming up ${warmUps++}`);
      const { tally, completion } = await completedOrder(chatMessageId, jobId);
      warm = tally.source === completion.source;
    }
    expect(warm).toBe(true);

    const checked: { chatMessageId: string; jobId: string }[] = [];
    for (const content of ['first plain line', 'second plain line', 'third plain line']) checked.push(await chat(viewer, content));
    await stack.drain();
    for (const { chatMessageId, jobId } of checked) {
      const { tally, completion } = await completedOrder(chatMessageId, jobId);
      // The same client (the worker's BullMQ connection), the tally first.
      expect(tally.source, chatMessageId).toBe(completion.source);
      expect(tally.index, chatMessageId).toBeLessThan(completion.index);
    }
    // And every tally did its work: each message counted once on the timers' line counter.
    expect(await stack.bot.ctx.redis.get(stack.bot.ctx.keys.timers(stack.guild.id).lines)).toBe(String(warmUps + checked.length));
    expect(monitorErrors).toEqual([]);
  }, 60_000);
});
