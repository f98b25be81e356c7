import { describe, expect, expectTypeOf, it } from 'vitest';
import { KickEventDispatcher } from '../src/KickEventDispatcher.ts';
import { sampleKickEvent as event, samplePayloads } from '../src/events/samplePayloads.ts';
import { type ChannelFollowedPayload } from '../src/events/schemas.ts';

describe('KickEventDispatcher', () => {
  it('routes by type with typed payloads, and onAny sees everything', async () => {
    const dispatcher = new KickEventDispatcher();
    const seen: string[] = [];
    dispatcher.on('channel.followed', (payload, ev) => {
      expectTypeOf(payload).toEqualTypeOf<ChannelFollowedPayload>();
      expectTypeOf(ev.type).toEqualTypeOf<'channel.followed'>();
      seen.push(`followed:${payload.follower.username}`);
    });
    dispatcher.on('chat.message.sent', async (payload) => {
      await Promise.resolve();
      seen.push(`chat:${payload.content.length}`);
    });
    dispatcher.onAny((ev) => {
      seen.push(`any:${ev.type}`);
    });

    expect(await dispatcher.dispatch(event('channel.followed'))).toEqual({ handled: 2, errors: [] });
    expect(await dispatcher.dispatch(event('kicks.gifted'))).toEqual({ handled: 1, errors: [] });
    await dispatcher.dispatch(event('chat.message.sent'));
    // Handlers start in registration order (type handlers, then onAny); the async chat handler finishes last.
    expect(seen).toEqual([
      'followed:viewer_name',
      'any:channel.followed',
      'any:kicks.gifted',
      'any:chat.message.sent',
      `chat:${samplePayloads['chat.message.sent'].content.length}`,
    ]);
  });

  it('runs every handler even when some throw or reject, and reports each failure', async () => {
    const failures: unknown[] = [];
    const dispatcher = new KickEventDispatcher({ onError: (error, ev) => failures.push([(error as Error).message, ev.type]) });
    let ran = 0;
    dispatcher.on('channel.followed', () => {
      throw new Error('sync boom');
    });
    dispatcher.on('channel.followed', async () => {
      ran++;
    });
    dispatcher.on('channel.followed', async () => {
      throw new Error('async boom');
    });
    dispatcher.onAny(() => {
      ran++;
    });
    const report = await dispatcher.dispatch(event('channel.followed'));
    expect(ran).toBe(2);
    expect(report.handled).toBe(4);
    expect(report.errors.map((e) => [e.type, (e.error as Error).message])).toEqual([
      ['channel.followed', 'sync boom'],
      ['channel.followed', 'async boom'],
    ]);
    expect(failures).toEqual([
      ['sync boom', 'channel.followed'],
      ['async boom', 'channel.followed'],
    ]);
  });

  it('waits for async handlers before resolving', async () => {
    const dispatcher = new KickEventDispatcher();
    let done = false;
    dispatcher.on('moderation.banned', async () => {
      await new Promise((r) => setImmediate(r));
      done = true;
    });
    await dispatcher.dispatch(event('moderation.banned'));
    expect(done).toBe(true);
  });

  it('a throwing onError callback does not break dispatch', async () => {
    const dispatcher = new KickEventDispatcher({
      onError: () => {
        throw new Error('reporter broken');
      },
    });
    dispatcher.on('channel.followed', () => {
      throw new Error('x');
    });
    await expect(dispatcher.dispatch(event('channel.followed'))).resolves.toMatchObject({ handled: 1, errors: [{ type: 'channel.followed' }] });
  });

  it('once fires a single time; off and the returned unsubscribe remove handlers', async () => {
    const dispatcher = new KickEventDispatcher();
    const calls: string[] = [];
    const onceHandler = () => {
      calls.push('once');
    };
    dispatcher.once('channel.followed', onceHandler);
    const plain = () => {
      calls.push('plain');
    };
    dispatcher.on('channel.followed', plain);
    const unsubscribeAny = dispatcher.onAny(() => {
      calls.push('any');
    });

    await dispatcher.dispatch(event('channel.followed'));
    await dispatcher.dispatch(event('channel.followed'));
    expect(calls.filter((c) => c === 'once')).toHaveLength(1);
    expect(calls.filter((c) => c === 'plain')).toHaveLength(2);

    dispatcher.off('channel.followed', plain);
    unsubscribeAny();
    calls.length = 0;
    expect(await dispatcher.dispatch(event('channel.followed'))).toEqual({ handled: 0, errors: [] });
    expect(calls).toEqual([]);

    // A once handler can be removed with off before it fires.
    dispatcher.once('channel.followed', onceHandler);
    dispatcher.off('channel.followed', onceHandler);
    expect(dispatcher.listenerCount('channel.followed')).toBe(0);

    const unsubscribe = dispatcher.on('kicks.gifted', plain);
    expect(dispatcher.listenerCount('kicks.gifted')).toBe(1);
    unsubscribe();
    expect(dispatcher.listenerCount('kicks.gifted')).toBe(0);
  });

  it('removing a handler during dispatch takes effect from the next event', async () => {
    const dispatcher = new KickEventDispatcher();
    const calls: string[] = [];
    const second = () => {
      calls.push('second');
    };
    dispatcher.on('channel.followed', () => {
      calls.push('first');
      dispatcher.off('channel.followed', second);
    });
    dispatcher.on('channel.followed', second);
    await dispatcher.dispatch(event('channel.followed'));
    await dispatcher.dispatch(event('channel.followed'));
    expect(calls).toEqual(['first', 'second', 'first']);
  });
});
