/**
 * Chat tallies: every feature's per-message Redis record (activity, first sight, the timers' line count, badges)
 * runs as ONE script per chat message. Checked against the real Redis: the composed script runs the fragments that
 * apply, in order, each with its own keys and arguments; a message costs one EVALSHA on the chat path (seen with
 * MONITOR, filtered by this stack's own key prefix so other tests on the same Redis do not count); first sight still
 * queues a viewer once and lets a failed queue write be retried by the next message.
 */
import { randomBytes } from 'node:crypto';
import { lastHeardKey } from '@kickcord/connections';
import { samplePayloads } from '@kickcord/kick';
import { redisScript, waitFor } from '@kickcord/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readActivity } from '../src/features/watchtime/activity.ts';
import { cachedGuildSettings, forgetGuildSettings } from '../src/guildSettings.ts';
import type { ChatMessageContext } from '../src/kickChat/ChatCommand.ts';
import { composedTallyLua, composeTallies, type ChatTally, type ChatTallyResult } from '../src/kickChat/chatTally.ts';
import { SEEN_TTL_SECONDS } from '../src/viewers/newViewers.ts';
import { startServiceStack, type ServiceStack } from './helpers/serviceStack.ts';
import { openMonitor } from './helpers/monitor.ts';

let stack: ServiceStack;

beforeAll(async () => {
  stack = await startServiceStack();
});
afterAll(async () => stack?.close());

/** A command as MONITOR reports it: its arguments (name first) and where it came from ("lua" inside a script). */
interface MonitoredCommand {
  args: string[];
  source: string;
}

/**
 * Watches the commands Redis runs that `match` accepts. `settle()` sends a unique ECHO from another connection and
 * waits until MONITOR reports it: MONITOR reports commands in the order Redis ran them, so every command that
 * completed before `settle()` was called is then in the returned list.
 */
async function watchRedis(match: (args: string[]) => boolean): Promise<{ settle(): Promise<MonitoredCommand[]>; stop(): void }> {
  const monitor = await openMonitor();
  const seen: MonitoredCommand[] = [];
  const marks = new Set<string>();
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    const mark = args.find((a) => a.startsWith(`${stack.ctx.keys.prefix}:monitor-mark:`));
    if (mark) marks.add(mark);
    else if (match(args)) seen.push({ args, source });
  });
  return {
    async settle() {
      const mark = `${stack.ctx.keys.prefix}:monitor-mark:${randomBytes(4).toString('hex')}`;
      await stack.redis.echo(mark);
      await waitFor(() => marks.has(mark), { description: 'the mark command in MONITOR' });
      return [...seen];
    },
    stop: () => monitor.disconnect(),
  };
}

/** A chat message context of the stack's guild (a real payload and the guild's real settings). */
async function chatContext(): Promise<ChatMessageContext> {
  const payload = structuredClone(samplePayloads['chat.message.sent']);
  return {
    guildId: stack.guildId,
    broadcasterUserId: stack.streamer.userId,
    messageId: payload.message_id,
    payload,
    sender: { userId: payload.sender.user_id, username: payload.sender.username, level: 'everyone', isSubscriber: false },
    settings: await cachedGuildSettings(stack.ctx, stack.guildId),
    command: null,
    reply: async () => undefined,
  };
}

describe('composeTallies', () => {
  it('runs the fragments that apply in one script call, in order, each with its own keys and arguments, and settles each with its own result', async () => {
    const base = `${stack.ctx.keys.prefix}:tally-compose:{g1}`;
    const log = `${base}:log`;
    const counter = `${base}:counter`;
    const skippedCounter = `${base}:skipped`;
    const named = `${base}:named`;
    const settled: [string, ChatTallyResult, ChatMessageContext][] = [];
    const asked: string[] = [];
    const tallies: ChatTally[] = [
      {
        lua: `redis.call('RPUSH', K[2], 'count')\nreturn redis.call('INCRBY', K[1], A[1])`,
        input: () => {
          asked.push('count');
          return { keys: [counter, log], args: [5] };
        },
        settle: (result, chat) => void settled.push(['count', result, chat]),
      },
      {
        lua: `redis.call('RPUSH', K[2], 'skipped')\nreturn redis.call('INCR', K[1])`,
        input: () => {
          asked.push('skipped');
          return null;
        },
        settle: (result, chat) => void settled.push(['skipped', result, chat]),
      },
      {
        lua: `redis.call('RPUSH', K[2], 'name')\nredis.call('SET', K[1], A[1])\nreturn A[1] .. '@' .. A[2]`,
        input: () => {
          asked.push('name');
          return { keys: [named, log], args: ['hello', 7] };
        },
        settle: async (result, chat) => {
          settled.push(['name', result, chat]);
        },
      },
      {
        lua: `redis.call('RPUSH', K[1], 'silent')`,
        input: () => {
          asked.push('silent');
          return { keys: [log], args: [] };
        },
        settle: (result, chat) => void settled.push(['silent', result, chat]),
      },
      {
        lua: `redis.call('RPUSH', K[1], 'no-settle')\nreturn 1`,
        input: () => {
          asked.push('no-settle');
          return { keys: [log], args: [] };
        },
      },
    ];
    const script = redisScript(composedTallyLua(tallies.map((t) => t.lua)));
    // Loaded beforehand, as after a process's first message: a warm message is a single EVALSHA.
    expect(await stack.redis.script('LOAD', script.lua)).toBe(script.sha);
    const run = composeTallies(tallies);
    const chat = await chatContext();
    const monitor = await watchRedis((args) => args.some((a) => a.startsWith(base) || a === script.sha));
    try {
      await run(chat, stack.ctx);
      const commands = await monitor.settle();
      const sent = commands.filter((c) => c.source !== 'lua');
      expect(sent).toHaveLength(1);
      const [command, sha, keyCount, ...rest] = sent[0]!.args;
      expect([command?.toLowerCase(), sha]).toEqual(['evalsha', script.sha]);
      // The keys of the fragments that ran, in order; the skipped fragment's key is not among them.
      expect(keyCount).toBe('6');
      expect(rest.slice(0, 6)).toEqual([counter, log, named, log, log, log]);
      // After the per-fragment header, the arguments of the fragments that ran, in order.
      expect(rest.slice(-3)).toEqual(['5', 'hello', '7']);
      // Inside the script: each fragment that applies, in order, on its own keys and arguments; the skipped one not at all.
      const ranInside = commands.filter((c) => c.source === 'lua').map(({ args: [name, ...args] }) => [name?.toLowerCase(), ...args]);
      expect(ranInside).toEqual([
        ['rpush', log, 'count'],
        ['incrby', counter, '5'],
        ['rpush', log, 'name'],
        ['set', named, 'hello'],
        ['rpush', log, 'silent'],
        ['rpush', log, 'no-settle'],
      ]);
    } finally {
      monitor.stop();
    }
    expect(asked).toEqual(['count', 'skipped', 'name', 'silent', 'no-settle']);
    expect(await stack.redis.lrange(log, 0, -1)).toEqual(['count', 'name', 'silent', 'no-settle']);
    expect(await stack.redis.get(counter)).toBe('5');
    expect(await stack.redis.get(named)).toBe('hello');
    expect(await stack.redis.exists(skippedCounter)).toBe(0);
    expect(settled.map(([name, result]) => [name, result])).toEqual([
      ['count', 5],
      ['name', 'hello@7'],
      ['silent', null],
    ]);
    for (const [, , seenChat] of settled) expect(seenChat).toBe(chat);

    // A second message runs every fragment again against what the first left.
    settled.length = 0;
    await run(chat, stack.ctx);
    expect(await stack.redis.get(counter)).toBe('10');
    expect(settled.map(([name, result]) => [name, result])).toEqual([
      ['count', 10],
      ['name', 'hello@7'],
      ['silent', null],
    ]);
    await stack.redis.del(log, counter, named);
  });

  it('sends nothing to Redis when no fragment applies to a message', async () => {
    const base = `${stack.ctx.keys.prefix}:tally-none:{g1}`;
    const settled: string[] = [];
    const asked: string[] = [];
    // The script's text names this test's keys, so its hash tells its calls apart from any other test's.
    const tallies: ChatTally[] = ['first', 'second'].map((name) => ({
      lua: `return redis.call('INCR', '${base}:${name}')`,
      input: () => {
        asked.push(name);
        return null;
      },
      settle: () => void settled.push(name),
    }));
    const script = redisScript(composedTallyLua(tallies.map((t) => t.lua)));
    const run = composeTallies(tallies);
    const chat = await chatContext();
    const monitor = await watchRedis((args) => args.some((a) => a.includes(base) || a === script.sha));
    try {
      await run(chat, stack.ctx);
      await composeTallies([])(chat, stack.ctx);
      expect(await monitor.settle()).toEqual([]);
    } finally {
      monitor.stop();
    }
    expect(asked).toEqual(['first', 'second']);
    expect(settled).toEqual([]);
  });

  it('rejects when a fragment fails, and settles none', async () => {
    const base = `${stack.ctx.keys.prefix}:tally-fail:{g1}`;
    const counter = `${base}:counter`;
    const wrongType = `${base}:hash`;
    await stack.redis.hset(wrongType, 'field', 'value');
    const settled: string[] = [];
    const run = composeTallies([
      {
        lua: `return redis.call('INCR', K[1])`,
        input: () => ({ keys: [counter], args: [] }),
        settle: () => void settled.push('counter'),
      },
      {
        lua: `return redis.call('INCR', K[1])`,
        input: () => ({ keys: [wrongType], args: [] }),
        settle: () => void settled.push('hash'),
      },
    ]);
    await expect(run(await chatContext(), stack.ctx)).rejects.toThrow(/WRONGTYPE/);
    expect(settled).toEqual([]);
    // The key holding a hash is left as it was.
    expect(await stack.redis.hgetall(wrongType)).toEqual({ field: 'value' });
    await stack.redis.del(counter, wrongType);
  });
});

describe('the chat path', () => {
  /** Commands of this stack's install on the chat path: not BullMQ's (`<prefix>:{q}`), not the monitor's own marks. */
  function ofTheInstall(args: string[]): boolean {
    const prefix = `${stack.ctx.keys.prefix}:`;
    return args.some((a) => a.startsWith(prefix)) && !args.some((a) => a.startsWith(`${prefix}{q}`));
  }
  /**
   * The delivery's "last heard from" mark (processKickEvent, before any handler; at most one per second per
   * subscription) is the delivery record, not the chat dispatcher's.
   */
  function isHeardMark(args: string[]): boolean {
    return args.includes(lastHeardKey(stack.ctx.keys.prefix));
  }

  it('costs a warm plain message exactly one EVALSHA, carrying every tally’s keys', async () => {
    const viewer = stack.viewer('tallychatter');
    const keys = stack.ctx.keys;
    const activity = keys.activity(stack.guildId, stack.streamer.userId);
    // Warm-up: sees the viewer for the first time, loads the script and fills the caches (the guild's first message
    // leaves the raffle keyword hint in Redis, the next one takes this process's copy of it).
    await stack.sim.sendChat(stack.streamer.userId, viewer.userId, 'hello there', { at: stack.clock.now() });
    await stack.sim.sendChat(stack.streamer.userId, viewer.userId, 'how is everyone', { at: stack.clock.now() });
    const linesBefore = Number(await stack.redis.get(keys.timers(stack.guildId).lines));
    const monitor = await watchRedis(ofTheInstall);
    let commands: MonitoredCommand[];
    let messageId: string;
    try {
      stack.clock.advance(60_000);
      const sent = await stack.sim.sendChat(stack.streamer.userId, viewer.userId, 'just chatting', { at: stack.clock.now() });
      messageId = sent.messageId;
      // Handled when sendChat resolved; everything it sent is in MONITOR once the mark is.
      commands = await monitor.settle();
    } finally {
      monitor.stop();
    }
    expect(stack.failures).toEqual([]);
    const sent = commands.filter((c) => c.source !== 'lua' && !isHeardMark(c.args));
    expect(sent).toHaveLength(1);
    const evalsha = sent[0]!.args;
    expect(evalsha[0]?.toLowerCase()).toBe('evalsha');
    expect(evalsha).toEqual(
      expect.arrayContaining([activity.zset, activity.hash, keys.seenViewer(stack.guildId, viewer.userId), keys.timers(stack.guildId).lines, keys.timers(stack.guildId).lineSeen(messageId)]),
    );
    // The guild has no badge roles: the badge fragment does not run.
    expect(evalsha).not.toContain(keys.roleRewardBadges(stack.guildId));

    // And the script did each tally's work.
    expect(Number(await stack.redis.get(keys.timers(stack.guildId).lines))).toBe(linesBefore + 1);
    const [viewers] = await readActivity(stack.ctx, [{ guildId: stack.guildId, broadcasterUserId: stack.streamer.userId, sinceMs: stack.clock.now().getTime() - 120_000 }]);
    const mine = viewers?.find((v) => v.userId === viewer.userId);
    expect(mine?.lastChatAt).toBe(stack.clock.now().getTime());
    expect(mine?.chatMinutes).toHaveLength(2);
  });

  it('puts the badge fragment in the same one script in a guild with badge roles', async () => {
    await stack.db.prisma.guildSettings.update({ where: { guildId: stack.guildId }, data: { roleRewardBadges: ['vip'] } });
    await forgetGuildSettings(stack.ctx, stack.guildId);
    try {
      const viewer = stack.viewer('tallybadges');
      await stack.sim.sendChat(stack.streamer.userId, viewer.userId, 'warm up', { at: stack.clock.now(), badges: [{ text: 'VIP', type: 'vip' }] });
      const monitor = await watchRedis(ofTheInstall);
      let commands: MonitoredCommand[];
      try {
        await stack.sim.sendChat(stack.streamer.userId, viewer.userId, 'still a vip', { at: stack.clock.now(), badges: [{ text: 'VIP', type: 'vip' }] });
        commands = await monitor.settle();
      } finally {
        monitor.stop();
      }
      expect(stack.failures).toEqual([]);
      const sent = commands.filter((c) => c.source !== 'lua' && !isHeardMark(c.args));
      expect(sent).toHaveLength(1);
      expect(sent[0]!.args[0]?.toLowerCase()).toBe('evalsha');
      expect(sent[0]!.args).toEqual(expect.arrayContaining([stack.ctx.keys.roleRewardBadges(stack.guildId), stack.ctx.keys.seenViewer(stack.guildId, viewer.userId)]));
      expect(await stack.redis.hget(stack.ctx.keys.roleRewardBadges(stack.guildId), String(viewer.userId))).toBe('vip');
    } finally {
      await stack.db.prisma.guildSettings.update({ where: { guildId: stack.guildId }, data: { roleRewardBadges: [] } });
      await forgetGuildSettings(stack.ctx, stack.guildId);
    }
  });

  it('queues a first-time viewer once, and again on their next message when the queue write failed', async () => {
    const keys = stack.ctx.keys;
    const queued = async (userId: number) =>
      (await stack.redis.lrange(keys.newViewers(), 0, -1)).filter((item) => {
        const [, id] = JSON.parse(item) as [string, number, string];
        return id === userId;
      });
    const viewer = stack.viewer('tallyfirstsight');
    await stack.sim.sendChat(stack.streamer.userId, viewer.userId, 'first words', { at: stack.clock.now() });
    expect(await queued(viewer.userId)).toEqual([JSON.stringify([stack.guildId, viewer.userId, viewer.username])]);
    const ttl = await stack.redis.ttl(keys.seenViewer(stack.guildId, viewer.userId));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(SEEN_TTL_SECONDS);
    await stack.sim.sendChat(stack.streamer.userId, viewer.userId, 'second words', { at: stack.clock.now() });
    expect(await queued(viewer.userId)).toHaveLength(1);
    expect(stack.failures).toEqual([]);

    // A real failing queue write: the list key holds a string, so RPUSH answers WRONGTYPE.
    const unlucky = stack.viewer('tallyunlucky');
    const list = await stack.redis.lrange(keys.newViewers(), 0, -1);
    await stack.redis.del(keys.newViewers());
    await stack.redis.set(keys.newViewers(), 'not a list');
    const failuresBefore = stack.failures.length;
    try {
      await stack.sim.sendChat(stack.streamer.userId, unlucky.userId, 'hello?', { at: stack.clock.now() });
      const failures = stack.failures.slice(failuresBefore);
      expect(failures).toHaveLength(1);
      expect(failures[0]).toBeInstanceOf(Error);
      expect((failures[0] as Error).message).toMatch(/WRONGTYPE/);
      // The seen flag is gone again, while the rest of the tally (activity) was recorded.
      expect(await stack.redis.exists(keys.seenViewer(stack.guildId, unlucky.userId))).toBe(0);
      const [viewers] = await readActivity(stack.ctx, [{ guildId: stack.guildId, broadcasterUserId: stack.streamer.userId, sinceMs: stack.clock.now().getTime() - 60_000 }]);
      expect(viewers?.map((v) => v.userId)).toContain(unlucky.userId);
    } finally {
      stack.failures.splice(failuresBefore);
      await stack.redis.del(keys.newViewers());
      if (list.length > 0) await stack.redis.rpush(keys.newViewers(), ...list);
    }

    await stack.sim.sendChat(stack.streamer.userId, unlucky.userId, 'hello again', { at: stack.clock.now() });
    expect(stack.failures).toEqual([]);
    expect(await queued(unlucky.userId)).toEqual([JSON.stringify([stack.guildId, unlucky.userId, unlucky.username])]);
    expect(await stack.redis.ttl(keys.seenViewer(stack.guildId, unlucky.userId))).toBeGreaterThan(0);
  });
});
