/**
 * Chat tallies: the Redis records observers keep of every chat message (the sender's activity for watchtime, their
 * first sight, the timers' line count, badge memory), run as ONE Lua script per message however many features
 * keep one. A feature declares its record as a {@link ChatTally} (a Lua fragment, and the keys and arguments it
 * needs for a message); the chat dispatcher composes every feature's fragment into one script when it is built, and
 * runs the fragments that apply to a message in one EVALSHA. A plain message thus costs one Redis command here
 * instead of one per observer — measured, that is what decides how fast a worker works off chat (docs/performance.md).
 *
 * Every key a fragment names must carry the message's guild hash tag, `{<guildId>}`, so the script lands in one
 * Redis Cluster slot (apps/bot/src/redisKeys.ts).
 */
import { redisScript, runScript, type RedisConnection, type RedisScript } from '@kickcord/queue';
import type { Redis } from 'ioredis';
import type { BotContext } from '../context.ts';
import type { ChatMessageContext, ChatTally, ChatTallyResult } from './ChatCommand.ts';

export type { ChatTally, ChatTallyInput, ChatTallyResult } from './ChatCommand.ts';

/** A fragment as a script of its own (for callers outside the chat path and for tests): KEYS and ARGV become K and A. */
export function tallyScript(lua: string): RedisScript {
  return redisScript(`local K = KEYS\nlocal A = ARGV\n${lua}`);
}

/**
 * The Lua of several fragments in one script. ARGV starts with two numbers per fragment, its key count and its
 * argument count (key count -1: the fragment does not run for this message), then every running fragment's
 * arguments in order; KEYS are every running fragment's keys in order. Returns one value per fragment (nil when
 * it did not run).
 */
export function composedTallyLua(fragments: readonly string[]): string {
  const functions = fragments.map((lua, i) => `F[${i + 1}] = function(K, A)\n${lua}\nend`).join('\n');
  return `local F = {}
${functions}
local n = #F
local out = {}
local k = 0
local a = 2 * n
for i = 1, n do
  local nk = tonumber(ARGV[2 * i - 1])
  local na = tonumber(ARGV[2 * i])
  if nk < 0 then
    out[i] = false
  else
    local K = {}
    local A = {}
    for j = 1, nk do K[j] = KEYS[k + j] end
    for j = 1, na do A[j] = ARGV[a + j] end
    k = k + nk
    a = a + na
    local r = F[i](K, A)
    if r == nil then r = false end
    out[i] = r
  end
end
return out`;
}

/** SHA-1s of the scripts loaded on a connection since it last connected (a script must be known before it is sent ahead). */
const loadedScripts = new WeakMap<RedisConnection, Map<string, 'loading' | 'loaded'>>();

/**
 * True once `script` is loaded on `connection` (since its last connect); the first call starts the SCRIPT LOAD
 * and answers false until it is done. A script sent ahead must not meet NOSCRIPT: its EVAL fallback would go out
 * after the reply, behind the job's completion.
 */
function loadedOn(connection: RedisConnection, script: RedisScript, ctx: BotContext): boolean {
  let scripts = loadedScripts.get(connection);
  if (!scripts) {
    const known = new Map<string, 'loading' | 'loaded'>();
    scripts = known;
    loadedScripts.set(connection, known);
    // A restarted Redis has forgotten its scripts: load again after every reconnect.
    connection.on('close', () => known.clear());
  }
  const state = scripts.get(script.sha);
  if (state === 'loaded') return true;
  if (state !== 'loading') {
    const known = scripts;
    known.set(script.sha, 'loading');
    connection.script('LOAD', script.lua).then(
      () => known.set(script.sha, 'loaded'),
      (error: unknown) => {
        known.delete(script.sha);
        ctx.logger.warn({ err: error }, 'could not load the chat tally script; tallies wait for their reply until it is loaded');
      },
    );
  }
  return false;
}

/** One tally waiting to be written ahead of its job's completion, and how to hand over its reply once sent. */
interface AheadTally {
  sha: string;
  keys: readonly string[];
  argv: readonly (string | number)[];
  sent(reply: Promise<unknown>): void;
}

/** The tallies of one event-loop turn for one connection, written together. */
interface AheadBatch {
  items: AheadTally[];
  written: Promise<void>;
}

const aheadBatches = new WeakMap<RedisConnection, AheadBatch>();

/**
 * Queues a tally to be written on `connection` with every other tally queued in this event-loop turn, in one
 * socket write (the socket corked while they are sent), at the end of the turn's microtasks (process.nextTick, as
 * ioredis's own auto-pipelining does). `written` settles once the batch is written — not answered — so a processor
 * that waits for it returns only after its tally is on the connection, ahead of the job's completion; `reply` is the
 * script's answer. The batch is sent synchronously (on a connection that is not ready, ioredis queues its commands
 * in order).
 */
function sendAhead(connection: RedisConnection, tally: Omit<AheadTally, 'sent'>): { written: Promise<void>; reply: Promise<ChatTallyResult[]> } {
  let batch = aheadBatches.get(connection);
  if (!batch) {
    const items: AheadTally[] = [];
    const written = new Promise<void>((resolve, reject) => {
      process.nextTick(() => {
        aheadBatches.delete(connection);
        // Corked, the socket takes the batch's commands as one write (jobConnection is never a cluster).
        const socket = connection.isCluster ? undefined : (connection as Redis).stream;
        socket?.cork();
        try {
          for (const item of items) item.sent(connection.evalsha(item.sha, item.keys.length, ...item.keys, ...item.argv));
          resolve();
        } catch (error) {
          const failure = error instanceof Error ? error : new Error(String(error));
          for (const item of items) item.sent(Promise.reject(failure));
          reject(failure);
        } finally {
          socket?.uncork();
        }
      });
    });
    batch = { items, written };
    aheadBatches.set(connection, batch);
  }
  let sent!: (reply: Promise<unknown>) => void;
  const reply = new Promise<unknown>((resolve) => (sent = resolve)) as Promise<ChatTallyResult[]>;
  batch.items.push({ ...tally, sent });
  return { written: batch.written, reply };
}

/** Per message: the composed script's results (one per tally of that runner), once they arrive. */
const messageResults = new WeakMap<ChatMessageContext, { tallies: readonly ChatTally[]; results: Promise<readonly ChatTallyResult[]>; ran: readonly boolean[] }>();

/**
 * The result of `tally`'s fragment for this message, for a chat command whose decision needs it (the repeats
 * filter): waits for the reply of the message's script. Undefined when the fragment did not run for this message
 * (or no runner has seen the message), so the caller computes it on its own. Rejects when the script failed.
 */
export async function tallyResultOf(chat: ChatMessageContext, tally: ChatTally): Promise<ChatTallyResult | undefined> {
  const entry = messageResults.get(chat);
  if (!entry) return undefined;
  const i = entry.tallies.indexOf(tally);
  if (i < 0 || !entry.ran[i]) return undefined;
  return (await entry.results)[i] ?? null;
}

/**
 * Composes `tallies` into one runner: per message it asks each tally for its input, runs the ones that apply in one
 * script (no Redis call when none applies), then settles each with its result ({@link tallyResultOf} hands a result
 * to a chat command that needs it).
 *
 * Given the connection the worker completes the job on (`jobConnection`, see KickEventInput), the script is sent
 * there and not waited for: Redis runs it before the job's completion, which BullMQ sends on that connection after
 * the processor returns, so the job is never completed without its tally, and a job interrupted before its
 * completion runs again (every fragment is idempotent). The tallies of one event-loop turn go out in one write. A
 * job thus waits for one Redis round trip, not two. The results settle when they arrive; a failure then is logged
 * (a failing script fails the same way on every retry, and a lost connection fails the completion too) — unless
 * a chat command waits for a result, which then fails the job. Without that connection, or until the script is
 * loaded on it, the script runs on the bot's connection and the job waits for it.
 */
export function composeTallies(tallies: readonly ChatTally[]): (chat: ChatMessageContext, ctx: BotContext, jobConnection?: RedisConnection) => Promise<void> {
  if (tallies.length === 0) return async () => undefined;
  const script = redisScript(composedTallyLua(tallies.map((t) => t.lua)));
  const settleAll = (argv: readonly (string | number)[], results: readonly ChatTallyResult[], chat: ChatMessageContext, ctx: BotContext): Promise<void> | undefined => {
    let settling: Promise<void>[] | undefined;
    for (let i = 0; i < tallies.length; i++) {
      const tally = tallies[i]!;
      if (!tally.settle || argv[2 * i] === -1) continue;
      const settled = tally.settle(results[i] ?? null, chat, ctx);
      if (settled) (settling ??= []).push(settled);
    }
    return settling ? Promise.all(settling).then(() => undefined) : undefined;
  };
  const failedLate = (ctx: BotContext, chat: ChatMessageContext) => (error: unknown) =>
    ctx.logger.error({ err: error, messageId: chat.messageId, guildId: chat.guildId }, 'chat tally failed after its job completed');
  return async (chat, ctx, jobConnection) => {
    // ARGV: the header (key and argument count per fragment) first, then the running fragments' arguments.
    const argv: (string | number)[] = new Array<number>(2 * tallies.length).fill(-1);
    const keys: string[] = [];
    const ran: boolean[] = new Array<boolean>(tallies.length).fill(false);
    let any = false;
    for (let i = 0; i < tallies.length; i++) {
      const input = tallies[i]!.input(chat, ctx);
      if (!input) continue;
      argv[2 * i] = input.keys.length;
      argv[2 * i + 1] = input.args.length;
      for (const key of input.keys) keys.push(key);
      for (const arg of input.args) argv.push(arg);
      ran[i] = true;
      any = true;
    }
    if (!any) return;
    if (jobConnection && loadedOn(jobConnection, script, ctx)) {
      // Written to the connection (with the other tallies of this event-loop turn) before the processor returns,
      // and so before the job's completion; the reply is waited for only by a chat command that asks for it.
      const { written, reply } = sendAhead(jobConnection, { sha: script.sha, keys, argv });
      const results = reply.catch((error: unknown) => {
        if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
        // Scripts flushed while connected (SCRIPT FLUSH): load again, and run this one late rather than never.
        loadedScripts.get(jobConnection)?.delete(script.sha);
        return runScript(jobConnection, script, keys, argv) as Promise<ChatTallyResult[]>;
      });
      messageResults.set(chat, { tallies, results, ran });
      void results.then((replied) => settleAll(argv, replied, chat, ctx)).catch(failedLate(ctx, chat));
      await written;
      return;
    }
    const running = runScript(ctx.redis, script, keys, argv) as Promise<ChatTallyResult[]>;
    running.catch(() => undefined); // the error reaches the job through the await below
    messageResults.set(chat, { tallies, results: running, ran });
    await settleAll(argv, await running, chat, ctx);
  };
}
