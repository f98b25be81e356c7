/**
 * The sandbox's demo stream, played on kick-sim at a watchable pace: go live, viewers chatting (including
 * `!points`), follows, subs, a resub, gifted subs, Kicks, a reward redemption and a ban — then light chatter
 * that keeps going (the stream stays live so watchtime and points keep accruing) until stopped.
 */
import type { KickSim } from '@kickcord/kick-sim';

/** A Kick account of the demo. */
export interface DemoUser {
  userId: number;
  username: string;
}

/** Options of {@link playDemoStream}. */
export interface DemoStreamOptions {
  kick: KickSim;
  streamer: DemoUser;
  viewers: DemoUser[];
  /** Banned in the demo (shows the moderator log). */
  spammer: DemoUser;
  /** Pause between scripted steps (default 2500 ms; 0 = as fast as possible). */
  stepMs?: number;
  /** Pause between idle chat lines once the script is done; null = no idle chatter (default 9000 ms). */
  idleChatMs?: number | null;
  /** Told about every step and every failure. */
  log?: (line: string) => void;
}

/** A running demo. */
export interface DemoStream {
  /** Resolves when the scripted part has played. */
  scripted: Promise<void>;
  stop(): void;
}

export const DEMO_TITLE = 'Sandbox stream — type !points in chat';
const IDLE_LINES = ['this stream is so chill', 'LUL', 'gg', 'W stream', 'o7', 'who else is here from Discord?', 'pog', 'nice one', 'KEKW', 'hydrate chat'];
const IDLE_COMMANDS = ['!points', '!watchtime', '!top', '!uptime'];

/** Starts the demo; never throws (failed steps are logged and skipped). */
export function playDemoStream(options: DemoStreamOptions): DemoStream {
  const { kick, streamer, viewers, spammer } = options;
  const stepMs = options.stepMs ?? 2500;
  const log = options.log ?? (() => undefined);
  let stopped = false;
  let wake: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  const pause = (ms: number): Promise<void> =>
    stopped
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          wake = resolve;
          timer = setTimeout(resolve, ms);
        });
  const viewer = (i: number): DemoUser => viewers[i % viewers.length] as DemoUser;
  const b = streamer.userId;
  const chat = (u: DemoUser, text: string) => async () => {
    await kick.sendChat(b, u.userId, text);
    return `${u.username}: ${text}`;
  };

  const steps: { run: () => Promise<unknown> }[] = [
    { run: async () => (await kick.goLive(b, { title: DEMO_TITLE, category: 'Just Chatting', viewerCount: viewers.length + 40 }), `${streamer.username} went live`) },
    { run: chat(viewer(0), 'hi chat! first here 👋') },
    { run: chat(viewer(1), 'hello from Discord, saw the announcement') },
    { run: async () => (await kick.follow(b, viewer(3).userId), `${viewer(3).username} followed`) },
    { run: chat(viewer(2), '!points') },
    { run: async () => (await kick.subscribe(b, viewer(4).userId, 1), `${viewer(4).username} subscribed`) },
    { run: chat(viewer(0), 'lets gooo') },
    { run: async () => (await kick.giftSubs(b, viewer(1).userId, [viewer(2).userId, viewer(3).userId]), `${viewer(1).username} gifted 2 subs`) },
    { run: chat(viewer(3), 'thanks for the gift sub!!') },
    { run: chat(viewer(3), '!watchtime') },
    { run: chat(spammer, 'cheap viewers at sp4m dot example') },
    { run: async () => (await kick.ban(b, spammer.userId, { reason: 'spam links', durationMinutes: 10 }), `${spammer.username} was timed out`) },
    { run: async () => (await kick.giftKicks(b, viewer(0).userId, 100, { message: 'great stream!' }), `${viewer(0).username} sent 100 Kicks`) },
    { run: chat(viewer(4), '!top') },
    { run: async () => (await kick.subscribe(b, viewer(2).userId, 6), `${viewer(2).username} resubscribed (6 months)`) },
    { run: async () => (await kick.redeemReward(b, viewer(1).userId, { title: 'Hydrate!', cost: 500, userInput: 'drink some water' }), `${viewer(1).username} redeemed Hydrate!`) },
    { run: chat(viewer(1), '!points') },
  ];

  const scripted = (async () => {
    for (const step of steps) {
      if (stopped) return;
      try {
        const what = await step.run();
        if (typeof what === 'string') log(what);
      } catch (error) {
        log(`demo step failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      await pause(stepMs);
    }
  })();

  const idleChatMs = options.idleChatMs === undefined ? 9000 : options.idleChatMs;
  if (idleChatMs !== null) {
    void scripted.then(async () => {
      for (let i = 0; !stopped; i++) {
        await pause(idleChatMs);
        if (stopped) return;
        const who = viewer((i * 7 + 3) % viewers.length);
        const line = i % 4 === 3 ? (IDLE_COMMANDS[(i >> 2) % IDLE_COMMANDS.length] as string) : (IDLE_LINES[i % IDLE_LINES.length] as string);
        await kick.sendChat(b, who.userId, line).catch((error: unknown) => log(`idle chat failed: ${error instanceof Error ? error.message : String(error)}`));
      }
    });
  }

  return {
    scripted,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      wake?.();
    },
  };
}
