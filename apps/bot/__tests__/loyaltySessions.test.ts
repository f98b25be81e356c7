import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLiveStatusCheck } from '../src/features/streams/liveStatusCheck.ts';
import { POLL_CLOSE_GRACE_MS } from '../src/features/streams/streamSessions.ts';
import { startServiceStack as startLoyaltyStack, type ServiceStack as LoyaltyStack } from './helpers/serviceStack.ts';

let stack: LoyaltyStack;
const t0 = Math.floor(Date.now() / 60_000) * 60_000 - 5 * 3600_000;
const at = (minute: number) => new Date(t0 + minute * 60_000);

async function sessions(broadcasterUserId = stack.streamer.userId) {
  return stack.db.prisma.streamSession.findMany({ where: { broadcasterUserId }, orderBy: { startedAt: 'asc' } });
}

beforeAll(async () => {
  stack = await startLoyaltyStack({ start: at(0) });
}, 60_000);
afterAll(async () => stack?.close());

describe('stream sessions', () => {
  it('opens once for duplicated go-live deliveries and takes title/category from metadata updates', async () => {
    await stack.sim.goLive(stack.streamer.userId, { title: 'first stream' }, { at: at(0), duplicate: 2 });
    await stack.sim.updateMetadata(stack.streamer.userId, { title: 'renamed', category: 'Slots & Casino' }, { at: at(1), timestamp: at(1).toISOString() });
    const [s] = await sessions();
    expect(await sessions()).toHaveLength(1);
    expect(s).toMatchObject({ openBroadcasterUserId: stack.streamer.userId, title: 'renamed', categoryName: 'Slots & Casino', startSource: 'webhook' });
    expect(await stack.db.prisma.kickChannel.findUnique({ where: { broadcasterUserId: stack.streamer.userId } })).toMatchObject({ isLive: true, streamTitle: 'renamed' });
  });

  it('a late offline for an older stream never closes a newer one; a newer go-live supersedes a stream Kick never ended', async () => {
    // Stream 2 starts while stream 1 is still open (its offline was lost): stream 1 is closed at stream 2's start.
    await stack.sim.goLive(stack.streamer.userId, { title: 'second stream' }, { at: at(60) });
    let all = await sessions();
    expect(all).toHaveLength(2);
    expect(all[0]).toMatchObject({ openBroadcasterUserId: null, endSource: 'superseded-webhook' });
    expect(all[0]?.endedAt?.getTime()).toBe(at(60).getTime());
    // Stream 1's offline arrives late: ignored.
    await stack.sim.emit('livestream.status.updated', { broadcaster: { user_id: stack.streamer.userId }, is_live: false, title: 'first stream', started_at: at(0).toISOString(), ended_at: at(50).toISOString() });
    all = await sessions();
    expect(all[1]?.openBroadcasterUserId).toBe(stack.streamer.userId);
    expect(all[0]?.endedAt?.getTime()).toBe(at(60).getTime());
  });

  it('a late go-live for a stream that already ended never reopens it; reordered live/offline end closed', async () => {
    await stack.sim.goOffline(stack.streamer.userId, { at: at(90) });
    let all = await sessions();
    expect(all[1]).toMatchObject({ openBroadcasterUserId: null, endSource: 'webhook' });
    // the go-live of stream 2 delivered again, late
    await stack.sim.emit('livestream.status.updated', { broadcaster: { user_id: stack.streamer.userId }, is_live: true, title: 'second stream', started_at: at(60).toISOString(), ended_at: null });
    // a stale go-live of stream 1
    await stack.sim.emit('livestream.status.updated', { broadcaster: { user_id: stack.streamer.userId }, is_live: true, title: 'first stream', started_at: at(0).toISOString(), ended_at: null });
    all = await sessions();
    expect(all).toHaveLength(2);
    expect(all.every((s) => s.openBroadcasterUserId === null)).toBe(true);
    // stream 3: offline delivered BEFORE its go-live
    await stack.sim.emit('livestream.status.updated', { broadcaster: { user_id: stack.streamer.userId }, is_live: false, title: 's3', started_at: at(120).toISOString(), ended_at: at(150).toISOString() });
    await stack.sim.emit('livestream.status.updated', { broadcaster: { user_id: stack.streamer.userId }, is_live: true, title: 's3', started_at: at(120).toISOString(), ended_at: null });
    all = await sessions();
    expect(all).toHaveLength(3);
    expect(stack.failures).toEqual([]);
  });

  it('the live-status poll opens a session Kick never announced and closes one Kick never reported offline', async () => {
    const other = await stack.addOwnerGuild('polled');
    stack.clock.set(at(300));
    await stack.sim.goLive(other.streamer.userId, { title: 'silent start' }, { drop: true });
    const opened = await runLiveStatusCheck(stack.ctx);
    // opens the unannounced stream, and closes stream 3 of the first channel (open here, offline on Kick)
    expect(opened).toMatchObject({ channels: 2, lookups: 1, opened: 1, closed: 1, failedLookups: 0 });
    expect((await sessions())[2]).toMatchObject({ openBroadcasterUserId: null, endSource: 'poll' });
    const polled = await sessions(other.streamer.userId);
    expect(polled).toHaveLength(1);
    expect(polled[0]).toMatchObject({ startSource: 'poll', title: 'silent start' });
    // a second poll changes nothing
    expect(await runLiveStatusCheck(stack.ctx)).toMatchObject({ opened: 0, closed: 0 });

    await stack.sim.goOffline(other.streamer.userId, { drop: true });
    // too young to close from a poll (Kick's API may lag): kept open
    stack.clock.set(polled[0]!.startedAt.getTime() + POLL_CLOSE_GRACE_MS - 1000);
    expect((await runLiveStatusCheck(stack.ctx)).closed).toBe(0);
    stack.clock.set(polled[0]!.startedAt.getTime() + POLL_CLOSE_GRACE_MS + 60_000);
    expect((await runLiveStatusCheck(stack.ctx)).closed).toBe(1);
    expect((await sessions(other.streamer.userId))[0]).toMatchObject({ openBroadcasterUserId: null, endSource: 'poll' });
    expect(await stack.db.prisma.kickChannel.findUnique({ where: { broadcasterUserId: other.streamer.userId } })).toMatchObject({ isLive: false });
  });

  it('keeps polling other channels when one Kick lookup fails', async () => {
    stack.sim.failNextRequests({ status: 500, count: 5, path: '/public/v1/channels' });
    const r = await runLiveStatusCheck(stack.ctx);
    expect(r.failedLookups).toBe(1);
    expect(r.channels).toBe(2);
  });
});
