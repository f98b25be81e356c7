import { KickSimError } from './KickSimError.ts';
import type { KickSim } from './kickSim.ts';
import { createRng } from './random.ts';
import type { SimBadge, SimClock, SimUser } from './types.ts';

/** Options of {@link runStreamScenario}. */
export interface ScenarioOptions {
  broadcasterUserId: number;
  /** Number of viewers (created on first use as `<usernamePrefix><i>`, reused afterwards). */
  viewers: number;
  /** Stream length in simulated minutes. */
  minutes: number;
  /** Simulated minutes per real second (default 60; `Infinity` = as fast as possible). */
  speed?: number;
  /** PRNG seed (default 1): same seed + same options → same events. */
  seed?: number;
  /** Share of viewers with a subscriber badge (default 0.2). */
  subscriberRatio?: number;
  /** Share of viewers who never chat (default 0.3). */
  silentRatio?: number;
  /** Chat messages per simulated minute across the channel (default: 60% of the chatting viewers, at least 1). */
  chatPerMinute?: number;
  /** How many follow / new-sub / gift / kicks events to spread over the stream (defaults 2 / 1 / 1 / 1). */
  follows?: number;
  subs?: number;
  gifts?: number;
  kicks?: number;
  /** Start time comes from this clock (default the system clock); event time = start + simulated offset. */
  clock?: SimClock;
  title?: string;
  category?: number | string;
  /** Viewer username prefix (default `viewer`); keep ≤ 18 chars. */
  usernamePrefix?: string;
  /** Called at the start of every simulated minute (and once with `minute = minutes` before going offline), e.g. to move a fake clock. */
  onMinute?: (minute: number, at: Date) => void | Promise<void>;
}

/** A scenario viewer and what they did. */
export interface ScenarioViewer {
  userId: number;
  username: string;
  silent: boolean;
  subscriber: boolean;
  /** Chat messages sent. */
  messages: number;
  /** Distinct minutes (0-based) in which the viewer chatted, ascending. */
  activeMinutes: number[];
}

/** What happened in one simulated minute. */
export interface ScenarioMinute {
  minute: number;
  at: Date;
  messages: { userId: number; username: string; messageId: string; at: Date; content: string }[];
  /** Distinct user ids that chatted in this minute, ascending. */
  chatters: number[];
}

/** Result of {@link runStreamScenario}. */
export interface ScenarioSummary {
  seed: number;
  broadcasterUserId: number;
  startedAt: Date;
  endedAt: Date;
  minutes: number;
  viewers: ScenarioViewer[];
  perMinute: ScenarioMinute[];
  follows: { userId: number; at: Date }[];
  subs: { userId: number; at: Date }[];
  gifts: { gifterUserId: number | null; gifteeUserIds: number[]; at: Date }[];
  kicks: { userId: number; amount: number; at: Date }[];
  /** Events emitted (online + chat + follows + subs + gifts + kicks + offline). */
  events: number;
  /** Webhook messages recorded / delivered successfully for this scenario. */
  deliveries: number;
  delivered: number;
}

const CHAT_LINES = ['hi chat', 'LUL', 'gg', 'lets gooo', 'that was insane', 'W stream', 'hello from {me}', 'what game is next?', 'KEKW', 'first time here', 'pog', 'nice play', 'o7', 'haha', 'true'];
const KICK_AMOUNTS = [1, 10, 50, 100, 500];

type Planned =
  | { kind: 'chat'; second: number; viewer: number }
  | { kind: 'follow'; second: number; viewer: number }
  | { kind: 'sub'; second: number; viewer: number }
  | { kind: 'kicks'; second: number; viewer: number; amount: number }
  | { kind: 'gift'; second: number; gifter: number | null; giftees: number[] };

/**
 * Simulates a whole stream on `sim`: online, chat from `viewers` viewers (some silent, some subscribers with badges),
 * follows, subs, gifts, kicks, offline. Deterministic for a seed. Event timestamps follow the scenario clock:
 * start = `clock.now()`, each simulated minute advances it by 60 s, paced at `speed` simulated minutes per real second.
 */
export async function runStreamScenario(sim: KickSim, options: ScenarioOptions): Promise<ScenarioSummary> {
  const { broadcasterUserId, minutes } = options;
  if (!sim.getUser(broadcasterUserId)) throw new KickSimError(`runStreamScenario: broadcaster ${broadcasterUserId} does not exist; createUser() first.`);
  if (!Number.isInteger(options.viewers) || options.viewers < 0) throw new KickSimError('runStreamScenario: viewers must be a non-negative integer.');
  if (!Number.isInteger(minutes) || minutes < 1) throw new KickSimError('runStreamScenario: minutes must be a positive integer.');
  const seed = options.seed ?? 1;
  const speed = options.speed ?? 60;
  if (!(speed > 0)) throw new KickSimError('runStreamScenario: speed must be > 0 (simulated minutes per real second).');
  const rng = createRng(seed);
  const prefix = options.usernamePrefix ?? 'viewer';

  const users: SimUser[] = [];
  for (let i = 0; i < options.viewers; i++) {
    const username = `${prefix}${i + 1}`;
    users.push(sim.findUserBySlug(username) ?? sim.createUser({ username }));
  }
  const silentCount = Math.round(options.viewers * (options.silentRatio ?? 0.3));
  const order = rng.shuffle(users.map((_, i) => i));
  const silent = new Set(order.slice(0, silentCount));
  const subscriber = new Set(rng.shuffle(users.map((_, i) => i)).slice(0, Math.round(options.viewers * (options.subscriberRatio ?? 0.2))));
  const chatting = users.map((_, i) => i).filter((i) => !silent.has(i));
  const chatPerMinute = Math.max(0, Math.round(options.chatPerMinute ?? Math.max(1, chatting.length * 0.6)));

  // Plan everything up front so the result depends only on the seed and options.
  const plan: Planned[][] = Array.from({ length: minutes }, () => []);
  for (let m = 0; m < minutes; m++) {
    if (chatting.length === 0) break;
    for (let k = 0; k < chatPerMinute; k++) plan[m]?.push({ kind: 'chat', second: rng.int(1, 59), viewer: rng.pick(chatting) });
  }
  const place = (item: Planned): void => {
    plan[rng.int(0, minutes - 1)]?.push(item);
  };
  if (users.length > 0) {
    const followers = rng.shuffle(users.map((_, i) => i)).slice(0, options.follows ?? 2);
    for (const viewer of followers) place({ kind: 'follow', second: rng.int(1, 59), viewer });
    const nonSubs = rng.shuffle(users.map((_, i) => i).filter((i) => !subscriber.has(i)));
    for (const viewer of nonSubs.slice(0, options.subs ?? 1)) place({ kind: 'sub', second: rng.int(1, 59), viewer });
    for (let g = 0; g < (options.gifts ?? 1); g++) {
      const gifter = rng.chance(0.15) ? null : rng.int(0, users.length - 1);
      const giftees = rng.shuffle(users.map((_, i) => i).filter((i) => i !== gifter)).slice(0, rng.int(1, 5));
      if (giftees.length > 0) place({ kind: 'gift', second: rng.int(1, 59), gifter, giftees });
    }
    for (let k = 0; k < (options.kicks ?? 1); k++) place({ kind: 'kicks', second: rng.int(1, 59), viewer: rng.int(0, users.length - 1), amount: rng.pick(KICK_AMOUNTS) });
  }
  for (const minutePlan of plan) minutePlan.sort((a, b) => a.second - b.second);
  const chatLines = plan.map((minutePlan) => minutePlan.map(() => rng.pick(CHAT_LINES)));

  const startedAt = (options.clock ?? { now: () => new Date() }).now();
  const timeAt = (minute: number, second = 0): Date => new Date(startedAt.getTime() + minute * 60_000 + second * 1000);
  const realStart = Date.now();
  const msPerMinute = Number.isFinite(speed) ? 1000 / speed : 0;
  const pace = async (minute: number): Promise<void> => {
    const wait = realStart + minute * msPerMinute - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  };

  const summary: ScenarioSummary = {
    seed,
    broadcasterUserId,
    startedAt,
    endedAt: timeAt(minutes),
    minutes,
    viewers: users.map((u, i) => ({ userId: u.userId, username: u.username, silent: silent.has(i), subscriber: subscriber.has(i), messages: 0, activeMinutes: [] })),
    perMinute: [],
    follows: [],
    subs: [],
    gifts: [],
    kicks: [],
    events: 0,
    deliveries: 0,
    delivered: 0,
  };
  const count = (records: { delivered: boolean }[]): void => {
    summary.events++;
    summary.deliveries += records.length;
    summary.delivered += records.filter((r) => r.delivered).length;
  };
  const months = new Map<number, number>();
  const badgesFor = (i: number): SimBadge[] => (subscriber.has(i) ? [{ text: 'Subscriber', type: 'subscriber', count: months.get(i) ?? 1 + (i % 12) }] : []);

  await options.onMinute?.(0, timeAt(0));
  count(await sim.goLive(broadcasterUserId, { title: options.title ?? 'kick-sim stream', ...(options.category !== undefined ? { category: options.category } : {}), viewerCount: users.length }, { at: timeAt(0) }));
  for (let m = 0; m < minutes; m++) {
    if (m > 0) await options.onMinute?.(m, timeAt(m));
    const minute: ScenarioMinute = { minute: m, at: timeAt(m), messages: [], chatters: [] };
    const items = plan[m] ?? [];
    for (const [index, item] of items.entries()) {
      const at = timeAt(m, item.second);
      if (item.kind === 'chat') {
        const user = users[item.viewer] as SimUser;
        const content = (chatLines[m]?.[index] ?? 'hi').replace('{me}', user.username);
        const sent = await sim.sendChat(broadcasterUserId, user.userId, content, { badges: badgesFor(item.viewer), at });
        count(sent.deliveries);
        minute.messages.push({ userId: user.userId, username: user.username, messageId: sent.messageId, at, content });
        const viewer = summary.viewers[item.viewer];
        if (viewer) {
          viewer.messages++;
          if (!viewer.activeMinutes.includes(m)) viewer.activeMinutes.push(m);
        }
      } else if (item.kind === 'follow') {
        const user = users[item.viewer] as SimUser;
        count(await sim.follow(broadcasterUserId, user.userId, { at }));
        summary.follows.push({ userId: user.userId, at });
      } else if (item.kind === 'sub') {
        const user = users[item.viewer] as SimUser;
        count(await sim.subscribe(broadcasterUserId, user.userId, 1, { at }));
        subscriber.add(item.viewer);
        months.set(item.viewer, 1);
        summary.subs.push({ userId: user.userId, at });
      } else if (item.kind === 'kicks') {
        const user = users[item.viewer] as SimUser;
        const amount = item.amount;
        count(await sim.giftKicks(broadcasterUserId, user.userId, amount, { at }));
        summary.kicks.push({ userId: user.userId, amount, at });
      } else {
        const gifterUserId = item.gifter === null ? null : (users[item.gifter] as SimUser).userId;
        const gifteeUserIds = item.giftees.map((i) => (users[i] as SimUser).userId);
        count(await sim.giftSubs(broadcasterUserId, gifterUserId, gifteeUserIds, { at }));
        for (const i of item.giftees) subscriber.add(i);
        summary.gifts.push({ gifterUserId, gifteeUserIds, at });
      }
    }
    minute.chatters = [...new Set(minute.messages.map((x) => x.userId))].sort((a, b) => a - b);
    summary.perMinute.push(minute);
    await pace(m + 1);
  }
  await options.onMinute?.(minutes, timeAt(minutes));
  count(await sim.goOffline(broadcasterUserId, { at: timeAt(minutes) }));
  return summary;
}
