import { eventsFor, linkWatch, OWNER_EVENTS, processReconcileSubscriptions, SubscriptionService, WATCH_EVENTS } from '@kickcord/connections';
import { KICK_EVENT_TYPES } from '@kickcord/kick';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChannel, createConnectionsHarness, createGuild, type ConnectionsHarness } from './harness.ts';

let h: ConnectionsHarness;
let service: SubscriptionService;

beforeAll(async () => {
  h = await createConnectionsHarness();
  service = new SubscriptionService({ prisma: h.db.prisma, oauth: h.oauth, apiUrl: h.sim.apiUrl });
});
afterAll(async () => {
  await h?.close();
});

const atSim = (broadcasterUserId: number) => h.sim.subscriptions({ broadcasterUserId });
const eventsAtSim = (broadcasterUserId: number) => atSim(broadcasterUserId).map((s) => s.event).sort();
const audits = (broadcasterUserId: number, action?: string) =>
  h.db.prisma.subscriptionAudit.findMany({ where: { broadcasterUserId, ...(action ? { action: action as never } : {}) }, orderBy: { id: 'asc' } });

describe('eventsFor', () => {
  it('owner channels get all 10 event types, watch-only channels the 7 announcement events', () => {
    expect([...eventsFor('owner')].sort()).toEqual([...KICK_EVENT_TYPES].sort());
    expect([...eventsFor('watch')].sort()).toEqual(
      [
        'channel.followed',
        'channel.subscription.gifts',
        'channel.subscription.new',
        'channel.subscription.renewal',
        'kicks.gifted',
        'livestream.metadata.updated',
        'livestream.status.updated',
      ].sort(),
    );
    expect(service.eventsFor('watch')).toEqual(WATCH_EVENTS);
  });
});

describe('SubscriptionService.ensure', () => {
  it('creates what is missing with the app token, records rows and audits, and is idempotent', async () => {
    const b = await createChannel(h, 'ensure_me');
    const first = await service.ensure(b, OWNER_EVENTS);
    expect(first.created).toHaveLength(10);
    expect(first.created.every((c) => !c.recreated)).toBe(true);
    expect(eventsAtSim(b)).toEqual([...KICK_EVENT_TYPES].sort());
    const rows = await h.db.prisma.kickSubscription.findMany({ where: { broadcasterUserId: b, status: 'active' } });
    expect(rows.map((r) => r.id).sort()).toEqual(atSim(b).map((s) => s.id).sort());
    expect(await audits(b, 'created')).toHaveLength(10);

    const ids = atSim(b).map((s) => s.id).sort();
    const second = await service.ensure(b, OWNER_EVENTS);
    expect(second.created).toHaveLength(0);
    expect(second.kept).toHaveLength(10);
    expect(atSim(b).map((s) => s.id).sort()).toEqual(ids);
    expect(await audits(b)).toHaveLength(10);
  });

  it('deletes duplicates Kick accepted (it would deliver twice), keeping the oldest', async () => {
    const b = await createChannel(h, 'dupes');
    await service.ensure(b, ['channel.followed', 'kicks.gifted']);
    const original = atSim(b).find((s) => s.event === 'channel.followed')!;
    // Somebody (an old deploy, a second replica without locking) subscribed again: Kick accepts it.
    await h.appApi.createEventSubscriptions({ broadcasterUserId: b, events: [{ name: 'channel.followed', version: 1 }, { name: 'channel.followed', version: 1 }] });
    expect(atSim(b).filter((s) => s.event === 'channel.followed')).toHaveLength(3);

    const result = await service.ensure(b, ['channel.followed', 'kicks.gifted']);
    expect(result.deletedDuplicates).toHaveLength(2);
    expect(result.created).toHaveLength(0);
    expect(atSim(b).filter((s) => s.event === 'channel.followed').map((s) => s.id)).toEqual([original.id]);
    expect(await audits(b, 'deleted_duplicate')).toHaveLength(2);
  });

  it('serializes concurrent ensures for one broadcaster (advisory lock): no double-create', async () => {
    const b = await createChannel(h, 'racy');
    const other = new SubscriptionService({ prisma: h.db.prisma, oauth: h.oauth, apiUrl: h.sim.apiUrl });
    const results = await Promise.all([service.ensure(b, OWNER_EVENTS), other.ensure(b, OWNER_EVENTS), service.ensure(b, OWNER_EVENTS), other.ensure(b, OWNER_EVENTS)]);
    expect(results.reduce((n, r) => n + r.created.length, 0)).toBe(10);
    expect(atSim(b)).toHaveLength(10);
    expect(eventsAtSim(b)).toEqual([...KICK_EVENT_TYPES].sort());
  });

  it('records events Kick refuses as missing and reports them', async () => {
    const b = await createChannel(h, 'refused');
    const result = await service.ensure(b, ['channel.followed', 'not.a.real.event']);
    expect(result.created.map((c) => c.event)).toEqual(['channel.followed']);
    expect(result.failed.map((f) => f.event)).toEqual(['not.a.real.event']);
    expect((await audits(b, 'missing'))[0]?.detail).toMatch(/create refused/);
  });
});

describe('SubscriptionService.reconcile', () => {
  it('re-creates a subscription Kick dropped, deletes those nobody needs, and records what changed', async () => {
    const owned = await createChannel(h, 'owned_channel');
    const watched = await createChannel(h, 'watched_channel');
    const abandoned = await createChannel(h, 'abandoned');
    const g1 = await createGuild(h, 'Owner guild');
    const g2 = await createGuild(h, 'Watcher guild');
    await h.db.prisma.guildChannelLink.create({ data: { guildId: g1, broadcasterUserId: owned, kind: 'owner', createdByDiscordId: '1' } });
    await linkWatch(h.db.prisma, { guildId: g2, broadcasterUserId: watched, discordUserId: '2' });
    // abandoned: subscribed earlier but nobody links it any more.
    await service.ensure(abandoned, WATCH_EVENTS);

    const first = await processReconcileSubscriptions({ subscriptions: service });
    expect(first.errors).toEqual([]);
    expect(eventsAtSim(owned)).toEqual([...KICK_EVENT_TYPES].sort());
    expect(eventsAtSim(watched)).toEqual([...WATCH_EVENTS].sort());
    expect(atSim(abandoned)).toHaveLength(0);
    expect(await audits(abandoned, 'deleted_unused')).toHaveLength(WATCH_EVENTS.length);
    expect(await h.db.prisma.kickSubscription.count({ where: { broadcasterUserId: abandoned, status: 'active' } })).toBe(0);

    // Kick auto-unsubscribes after a day of failed deliveries.
    const dropped = atSim(owned).find((s) => s.event === 'chat.message.sent')!;
    await h.appApi.deleteEventSubscriptions([dropped.id]);
    expect(eventsAtSim(owned)).not.toContain('chat.message.sent');

    const second = await service.reconcile();
    expect(second.recreated).toBe(1);
    expect(second.created).toBe(0);
    expect(eventsAtSim(owned)).toEqual([...KICK_EVENT_TYPES].sort());
    const recreated = await audits(owned, 'recreated');
    expect(recreated).toHaveLength(1);
    expect(recreated[0]).toMatchObject({ event: 'chat.message.sent' });
    expect(recreated[0]!.subscriptionId).not.toBe(dropped.id);
    expect((await audits(owned, 'missing')).map((a) => a.subscriptionId)).toEqual([dropped.id]);
    expect(await h.db.prisma.kickSubscription.findUnique({ where: { id: dropped.id } })).toMatchObject({ status: 'deleted' });

    // Nothing to do now: a no-op run changes nothing at Kick.
    const ids = h.sim.subscriptions().map((s) => s.id).sort();
    const third = await service.reconcile();
    expect(third.created + third.recreated + third.deletedDuplicates + third.deletedUnused).toBe(0);
    expect(h.sim.subscriptions().map((s) => s.id).sort()).toEqual(ids);
  });

  it('sync drops owner-only events when only watchers remain', async () => {
    const b = await createChannel(h, 'downgraded');
    const g = await createGuild(h, 'Was owner');
    await linkWatch(h.db.prisma, { guildId: g, broadcasterUserId: b, discordUserId: '3' });
    await service.ensure(b, OWNER_EVENTS);
    const result = await service.sync(b);
    expect(result.deletedUnused.map((d) => d.event).sort()).toEqual(['channel.reward.redemption.updated', 'chat.message.sent', 'moderation.banned']);
    expect(eventsAtSim(b)).toEqual([...WATCH_EVENTS].sort());
  });

  it('keeps going when one broadcaster fails and reports it', async () => {
    const b = await createChannel(h, 'flaky');
    const g = await createGuild(h, 'Flaky guild');
    await linkWatch(h.db.prisma, { guildId: g, broadcasterUserId: b, discordUserId: '4' });
    h.sim.failNextRequests({ status: 400, count: 1, method: 'POST', path: '/public/v1/events/subscriptions', body: { data: 'Channel not found', message: 'Bad request' } });
    const summary = await service.reconcile();
    expect(summary.errors.map((e) => e.broadcasterUserId)).toEqual([b]);
    expect(summary.errors[0]!.message).toMatch(/Channel not found/);
    const retry = await service.reconcile();
    expect(retry.errors).toEqual([]);
    expect(eventsAtSim(b)).toEqual([...WATCH_EVENTS].sort());
  });
});
