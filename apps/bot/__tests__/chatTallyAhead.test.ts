/**
 * Chat tallies sent ahead of the job's completion: given the connection the kick-events worker completes jobs on,
 * the composed tally script is written to that connection and not waited for (Redis runs one connection's commands
 * in order, so it runs before the job's completion). Until the script is loaded on that connection — the first
 * message starts its SCRIPT LOAD, and so does the first message after every reconnect — the tally runs on the bot's
 * own connection and the message waits for it. Scripts flushed while connected (NOSCRIPT) make the tally run late
 * with EVAL, and load the script again; a failing tally is logged.
 *
 * Against a Redis server of this file's own: the file runs SCRIPT FLUSH and watches every command with MONITOR.
 */
import { randomBytes } from 'node:crypto';
import type { GuildSettings } from '@kickcord/db';
import { samplePayloads } from '@kickcord/kick';
import { redisScript, startPrivateRedis, waitFor, type PrivateRedis } from '@kickcord/queue';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { BotContext } from '../src/context.ts';
import type { ChatMessageContext } from '../src/kickChat/ChatCommand.ts';
import { composedTallyLua, composeTallies, type ChatTally, type ChatTallyResult } from '../src/kickChat/chatTally.ts';
import type { Logger } from '../src/logger.ts';
import { RedisKeys } from '../src/redisKeys.ts';

/** The fields of `T` a test gives, as a `T` (the code under test reads only those). */
function partialOf<T>(fields: Partial<T>): T {
  return fields as T;
}

const FAILED_AFTER_COMPLETION = 'chat tally failed after its job completed';
const keys = new RedisKeys(`kc-tally-ahead-${randomBytes(3).toString('hex')}`);
const GUILD = '123456789012345678';
/** The counter each message's first fragment increments: chosen per message by the test. */
const counterOf = new Map<string, string>();
const markKey = (messageId: string) => `${keys.prefix}:mark:{${GUILD}}:${messageId}`;

/** What the fragments were settled with, in order. */
const settled: { messageId: string; fragment: string; result: ChatTallyResult }[] = [];
const tallies: ChatTally[] = [
  {
    // Counts the message on the counter the test chose for it.
    lua: `return redis.call('INCR', K[1])`,
    input: (chat) => ({ keys: [counterOf.get(chat.messageId) ?? `${keys.prefix}:count:{${GUILD}}:default`], args: [] }),
    settle: (result, chat) => void settled.push({ messageId: chat.messageId, fragment: 'count', result }),
  },
  {
    // Marks the message as seen (as the timers' line count does), returning its id.
    lua: `redis.call('SET', K[1], A[1], 'EX', 3600)\nreturn A[1]`,
    input: (chat) => ({ keys: [markKey(chat.messageId)], args: [chat.messageId] }),
    settle: async (result, chat) => {
      settled.push({ messageId: chat.messageId, fragment: 'mark', result });
    },
  },
];
const script = redisScript(composedTallyLua(tallies.map((t) => t.lua)));
const run = composeTallies(tallies);

let server: PrivateRedis;
/** The bot's own connection (ctx.redis). */
let botRedis: Redis;
/** Test-side reads and server commands (SCRIPT FLUSH, SCRIPT EXISTS, the MONITOR marks). */
let admin: Redis;
let monitor: Redis;
/** Every command the server ran, in order, as MONITOR reported it (marks excluded). */
const ran: { args: string[]; source: string }[] = [];
/** The marks MONITOR has reported (see commandsSoFar). */
const marks = new Set<string>();
/** Errors of the MONITOR connection once it monitors (none expected). */
const monitorErrors: unknown[] = [];
/** Connections a test opened (closed after it). */
const opened: Redis[] = [];

beforeAll(async () => {
  server = await startPrivateRedis();
  botRedis = new Redis(server.url, { maxRetriesPerRequest: null, connectionName: 'tally-bot' });
  admin = new Redis(server.url, { maxRetriesPerRequest: null, connectionName: 'tally-admin' });
  // Started before any command of a test. Until ioredis has noted MONITOR's OK, a command line arriving with it reads
  // as a reply to nothing (an 'error' event): only the connections' own start-up commands can meet that.
  const connection = new Redis(server.url, { monitor: true });
  monitor = connection;
  let monitoring = false;
  connection.once('monitoring', () => (monitoring = true));
  connection.on('error', (error: unknown) => {
    if (monitoring) monitorErrors.push(error);
  });
  connection.on('monitor', (_time: string, args: string[], source: string) => {
    const mark = args.find((a) => a.startsWith(`${keys.prefix}:monitor-mark:`));
    if (mark) marks.add(mark);
    else ran.push({ args, source });
  });
  await waitFor(() => monitoring, { description: 'the MONITOR connection to monitor' });
});
afterEach(() => {
  for (const connection of opened.splice(0)) connection.disconnect();
  expect(monitorErrors).toEqual([]);
});
afterAll(async () => {
  monitor?.disconnect();
  botRedis?.disconnect();
  admin?.disconnect();
  await server?.stop();
});

/** Every command the server has run so far (MONITOR reports in the order Redis ran them; a mark closes the list). */
async function commandsSoFar(): Promise<{ args: string[]; source: string }[]> {
  const mark = `${keys.prefix}:monitor-mark:${randomBytes(4).toString('hex')}`;
  await admin.echo(mark);
  await waitFor(() => marks.has(mark), { description: 'the mark command in MONITOR' });
  return [...ran];
}

/** How many commands the server has run so far: the index where the commands a test sends next begin. */
async function monitored(): Promise<number> {
  return (await commandsSoFar()).length;
}

/** The address MONITOR names a connection by (it changes when the connection reconnects). */
async function addressOf(connection: Redis): Promise<string> {
  const info = await connection.client('INFO');
  const address = /(?:^|\s)addr=(\S+)/.exec(info)?.[1];
  if (!address) throw new Error(`no addr in CLIENT INFO: ${info}`);
  return address;
}

/** A command's name, lower-cased. */
const nameOf = (args: readonly string[]) => args[0]?.toLowerCase();
/** The tally script's runs (EVALSHA by its sha, or EVAL of its text) among `commands`. */
const tallyRuns = (commands: readonly { args: string[]; source: string }[]) =>
  commands.filter((c) => (nameOf(c.args) === 'evalsha' && c.args[1] === script.sha) || (nameOf(c.args) === 'eval' && isTallyText(c.args[1])));
/** The SCRIPT LOADs of the tally script among `commands`. */
const scriptLoads = (commands: readonly { args: string[]; source: string }[]) => commands.filter((c) => nameOf(c.args) === 'script' && c.args[1]?.toLowerCase() === 'load' && isTallyText(c.args[2]));
const UNESCAPED: Record<string, string> = { n: '\n', r: '\r', t: '\t' };
/** Whether a MONITOR argument is the tally script's text (MONITOR writes a newline as `\n`, a quote as `\"`). */
function isTallyText(arg: string | undefined): boolean {
  return arg?.replace(/\\(n|r|t|"|\\)/g, (_escape, c: string) => UNESCAPED[c] ?? c) === script.lua;
}

/** Whether the server knows the tally script (SCRIPT EXISTS). */
async function scriptExists(): Promise<boolean> {
  const [exists] = (await admin.script('EXISTS', script.sha)) as number[];
  return exists === 1;
}

/** A context with what composeTallies reads (the bot's connection, the key names, a logger whose calls are recorded). */
function tallyContext(): { ctx: BotContext; error: ReturnType<typeof vi.fn>; warn: ReturnType<typeof vi.fn> } {
  const error = vi.fn();
  const warn = vi.fn();
  return { ctx: partialOf<BotContext>({ redis: botRedis, keys, logger: partialOf<Logger>({ error, warn }) }), error, warn };
}

/** A plain chat message of the guild, counted on `counter`. */
function chatMessage(counter: string): ChatMessageContext {
  const payload = structuredClone(samplePayloads['chat.message.sent']);
  payload.message_id = `msg-${randomBytes(6).toString('hex')}`;
  counterOf.set(payload.message_id, counter);
  return {
    guildId: GUILD,
    broadcasterUserId: payload.broadcaster.user_id,
    messageId: payload.message_id,
    payload,
    sender: { userId: payload.sender.user_id, username: payload.sender.username, level: 'everyone', isSubscriber: false },
    settings: partialOf<GuildSettings>({ guildId: GUILD }),
    command: null,
    reply: async () => undefined,
  };
}

/** What the fragments were settled with for one message. */
const settledFor = (messageId: string) => settled.filter((s) => s.messageId === messageId).map(({ fragment, result }) => [fragment, result]);

/** A fresh connection that jobs are completed on, as the kick-events worker's (connected, nothing loaded on it yet). */
async function jobConnection(): Promise<Redis> {
  const connection = new Redis(server.url, { maxRetriesPerRequest: null, connectionName: 'tally-jobs' });
  opened.push(connection);
  await connection.ping();
  return connection;
}

/**
 * A first message on `connection` (awaited, it starts the SCRIPT LOAD), then until the script is loaded there: the
 * PING's reply comes after the SCRIPT LOAD's on the same connection, so the load has been noted once it resolves.
 */
async function warmUp(connection: Redis, ctx: BotContext, counter: string): Promise<void> {
  await run(chatMessage(counter), ctx, connection);
  await waitFor(scriptExists, { description: 'the tally script to be loaded' });
  await connection.ping();
}

/**
 * Runs a message ahead on `connection`: the runner resolves before the tally's reply has been read (nothing is
 * settled yet), and the fragments settle once it arrives.
 */
async function runAhead(connection: Redis, ctx: BotContext, counter: string): Promise<ChatMessageContext> {
  const chat = chatMessage(counter);
  await run(chat, ctx, connection);
  expect(settledFor(chat.messageId)).toEqual([]);
  await waitFor(() => settledFor(chat.messageId).length === 2, { description: 'the tally sent ahead to settle' });
  return chat;
}

describe('chat tallies sent ahead on the connection jobs are completed on', () => {
  it('runs the first message on the bot connection and waits for it, while the script is loaded on the job connection', async () => {
    const { ctx, error, warn } = tallyContext();
    const counter = `${keys.prefix}:count:{${GUILD}}:first`;
    await admin.script('FLUSH');
    const jobs = await jobConnection();
    const [botAddress, jobAddress] = await Promise.all([addressOf(botRedis), addressOf(jobs)]);
    const before = await monitored();

    const chat = chatMessage(counter);
    await run(chat, ctx, jobs);
    // Waited for: both fragments settled by the time the runner resolved.
    expect(settledFor(chat.messageId)).toEqual([
      ['count', 1],
      ['mark', chat.messageId],
    ]);
    expect(await admin.get(counter)).toBe('1');
    expect(await admin.get(markKey(chat.messageId))).toBe(chat.messageId);
    await waitFor(scriptExists, { description: 'SCRIPT EXISTS of the tally script to answer 1' });

    const commands = (await commandsSoFar()).slice(before);
    // The tally ran from the bot's connection (EVALSHA, then EVAL when the server did not know the script yet).
    const runs = tallyRuns(commands);
    expect(runs.length).toBeGreaterThan(0);
    expect(runs.every((c) => c.source === botAddress)).toBe(true);
    // And the script was loaded on the job connection, once.
    expect(scriptLoads(commands).map((c) => c.source)).toEqual([jobAddress]);
    expect(error).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
  });

  it('writes a later message to the job connection before the runner returns, ahead of whatever is sent there next, and settles it when the reply comes', async () => {
    const { ctx, error } = tallyContext();
    const counter = `${keys.prefix}:count:{${GUILD}}:ordered`;
    const jobs = await jobConnection();
    await warmUp(jobs, ctx, counter);
    const [botAddress, jobAddress] = await Promise.all([addressOf(botRedis), addressOf(jobs)]);
    const before = await monitored();

    const chat = chatMessage(counter);
    // Writes held back by the server: the tally cannot run before CLIENT UNPAUSE, so a runner that waited for it
    // would not resolve before then.
    await admin.client('PAUSE', 10_000, 'WRITE');
    let marker: Promise<string | null>;
    try {
      await run(chat, ctx, jobs);
      // Sent once the runner returned, on the same connection — as BullMQ sends the job's completion.
      marker = jobs.get(counter);
      // The runner did not wait for the tally: it has not run yet, and nothing is settled.
      expect(await admin.get(counter)).toBe('1');
      expect(settledFor(chat.messageId)).toEqual([]);
    } finally {
      await admin.client('UNPAUSE');
    }
    // The command sent after it sees its count: the tally was written to this connection first.
    expect(await marker).toBe('2');
    await waitFor(() => settledFor(chat.messageId).length === 2, { description: 'the tally sent ahead to settle' });
    expect(settledFor(chat.messageId)).toEqual([
      ['count', 2],
      ['mark', chat.messageId],
    ]);

    const commands = (await commandsSoFar()).slice(before);
    expect(tallyRuns(commands).map((c) => [nameOf(c.args), c.source])).toEqual([['evalsha', jobAddress]]);
    expect(commands.filter((c) => c.source === botAddress)).toEqual([]);
    // The GET came right after the script (and what the script ran inside it).
    const fromJobs = commands.filter((c) => c.source === jobAddress).map((c) => nameOf(c.args));
    expect(fromJobs.slice(0, 2)).toEqual(['evalsha', 'get']);
    expect(error).not.toHaveBeenCalled();
  });

  it('still records a message sent ahead after the scripts were flushed, runs it with EVAL, and loads the script again', async () => {
    const { ctx, error, warn } = tallyContext();
    const counter = `${keys.prefix}:count:{${GUILD}}:flushed`;
    const jobs = await jobConnection();
    await warmUp(jobs, ctx, counter);
    const [botAddress, jobAddress] = await Promise.all([addressOf(botRedis), addressOf(jobs)]);

    await admin.script('FLUSH');
    const before = await monitored();
    const chat = chatMessage(counter);
    await run(chat, ctx, jobs);
    // Sent ahead: not waited for.
    expect(settledFor(chat.messageId)).toEqual([]);
    await waitFor(async () => (await admin.get(markKey(chat.messageId))) === chat.messageId, { description: 'the flushed tally to record the message' });
    await waitFor(() => settledFor(chat.messageId).length === 2, { description: 'the flushed tally to settle' });
    expect(settledFor(chat.messageId)).toEqual([
      ['count', 2],
      ['mark', chat.messageId],
    ]);
    // Counted once: the refused EVALSHA ran nothing.
    expect(await admin.get(counter)).toBe('2');
    // NOSCRIPT, then the late run (EVALSHA, NOSCRIPT again, EVAL), all on the job connection.
    const late = tallyRuns((await commandsSoFar()).slice(before));
    expect(late.map((c) => [nameOf(c.args), c.source])).toEqual([
      ['evalsha', jobAddress],
      ['evalsha', jobAddress],
      ['eval', jobAddress],
    ]);
    expect(error).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();

    // The next message waits again, on the bot's connection, while the script is loaded on the job connection again.
    const again = await monitored();
    const next = chatMessage(counter);
    await run(next, ctx, jobs);
    expect(settledFor(next.messageId)).toEqual([
      ['count', 3],
      ['mark', next.messageId],
    ]);
    await waitFor(scriptExists, { description: 'the tally script to be loaded again' });
    await jobs.ping();
    const reloaded = (await commandsSoFar()).slice(again);
    expect(tallyRuns(reloaded).map((c) => c.source)).toEqual([botAddress]);
    expect(scriptLoads(reloaded).map((c) => c.source)).toEqual([jobAddress]);

    // Then messages go ahead again.
    const after = await monitored();
    const ahead = await runAhead(jobs, ctx, counter);
    expect(settledFor(ahead.messageId)).toEqual([
      ['count', 4],
      ['mark', ahead.messageId],
    ]);
    expect(tallyRuns((await commandsSoFar()).slice(after)).map((c) => [nameOf(c.args), c.source])).toEqual([['evalsha', jobAddress]]);
  });

  it('resolves a message whose tally fails ahead without waiting, and logs the failure', async () => {
    const { ctx, error } = tallyContext();
    const counter = `${keys.prefix}:count:{${GUILD}}:failing`;
    const jobs = await jobConnection();
    await warmUp(jobs, ctx, counter);

    // The counter now holds a hash: INCR answers WRONGTYPE.
    const wrongType = `${keys.prefix}:count:{${GUILD}}:a-hash`;
    await admin.hset(wrongType, 'field', 'value');
    const chat = chatMessage(wrongType);
    await expect(run(chat, ctx, jobs)).resolves.toBeUndefined();
    await waitFor(() => error.mock.calls.length > 0, { description: 'the failed tally to be logged' });
    expect(error).toHaveBeenCalledTimes(1);
    const [fields, message] = error.mock.calls[0] as [{ err: unknown; messageId: string; guildId: string }, string];
    expect(message).toBe(FAILED_AFTER_COMPLETION);
    expect(fields.messageId).toBe(chat.messageId);
    expect(fields.guildId).toBe(GUILD);
    expect(fields.err).toBeInstanceOf(Error);
    expect((fields.err as Error).message).toMatch(/WRONGTYPE/);
    // Nothing settled and nothing recorded: the script stopped at the failing command before the mark.
    expect(settledFor(chat.messageId)).toEqual([]);
    expect(await admin.exists(markKey(chat.messageId))).toBe(0);
    expect(await admin.hgetall(wrongType)).toEqual({ field: 'value' });
  });

  it('waits for the tally again after the job connection reconnects, until the script is loaded on it again', async () => {
    const { ctx, error, warn } = tallyContext();
    const counter = `${keys.prefix}:count:{${GUILD}}:reconnected`;
    const jobs = await jobConnection();
    await warmUp(jobs, ctx, counter);
    await runAhead(jobs, ctx, counter);

    // The server forgets its scripts, and the connection reconnects (as after a Redis restart).
    await admin.script('FLUSH');
    const ready = new Promise<void>((resolve) => jobs.once('ready', () => resolve()));
    const oldAddress = await addressOf(jobs);
    jobs.disconnect(true);
    await ready;
    const [botAddress, jobAddress] = await Promise.all([addressOf(botRedis), addressOf(jobs)]);
    expect(jobAddress).not.toBe(oldAddress);

    const before = await monitored();
    const chat = chatMessage(counter);
    await run(chat, ctx, jobs);
    // Waited for, on the bot's connection.
    expect(settledFor(chat.messageId)).toEqual([
      ['count', 3],
      ['mark', chat.messageId],
    ]);
    await waitFor(scriptExists, { description: 'the tally script to be loaded after the reconnect' });
    await jobs.ping();
    const commands = (await commandsSoFar()).slice(before);
    expect(tallyRuns(commands).length).toBeGreaterThan(0);
    expect(tallyRuns(commands).every((c) => c.source === botAddress)).toBe(true);
    expect(scriptLoads(commands).map((c) => c.source)).toEqual([jobAddress]);

    // Loaded again: the next message goes ahead on the job connection.
    const after = await monitored();
    const ahead = await runAhead(jobs, ctx, counter);
    expect(settledFor(ahead.messageId)).toEqual([
      ['count', 4],
      ['mark', ahead.messageId],
    ]);
    expect(tallyRuns((await commandsSoFar()).slice(after)).map((c) => [nameOf(c.args), c.source])).toEqual([['evalsha', jobAddress]]);
    expect(error).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
  });
});
