/**
 * The local sandbox behind `pnpm start` without credentials: kick-sim + discord-sim + apps/web + apps/bot on
 * local PostgreSQL/Redis, a demo guild connected to a demo Kick channel through the REAL OAuth flow, a demo
 * stream, and the sandbox console (consoleServer.ts, public/) to watch and poke it in a browser.
 */
import { parseBotEnv, rankedLeaderboardPage, registerRoleConnectionMetadata, startBot, type BotHandle } from '@kickcord/bot';
import { DiscordSimError, Perm, startDiscordSim, type DiscordSim, type InteractionRecord } from '@kickcord/discord-sim';
import { KickSimError, startKickSim, type KickSim } from '@kickcord/kick-sim';
import { waitFor } from '@kickcord/queue';
import { newSimKickApp, registerSimKickApp, SIM_BOT_USERNAME, simulatorBotEnv, simulatorDashboardEnv, simulatorDiscordOAuthEnv, simulatorEnv } from '@kickcord/testkit';
import { startWeb, type WebHandle } from '@kickcord/web';
import { ConsoleInputError } from './ConsoleInputError.ts';
import {
  CONSOLE_LEADERBOARD_PAGE_SIZE,
  startConsoleServer,
  type ChatRole,
  type ConsoleBackend,
  type ConsoleBadge,
  type ConsoleCommandResult,
  type ConsoleFile,
  type ConsoleLeaderPage,
  type ConsoleServer,
  type ConsoleSnapshot,
  type SnapshotLimits,
} from './consoleServer.ts';
import { DEMO_TITLE, playDemoStream, type DemoStream, type DemoUser } from './demoStream.ts';
import { pickPort } from './ports.ts';
import {
  checkSandboxServices,
  DEFAULT_SANDBOX_DATABASE_URL,
  DEFAULT_SANDBOX_REDIS_URL,
  dropSandboxDatabase,
  lockSandbox,
  resetSandboxDatabase,
  resetSandboxQueues,
  sandboxQueuePrefix,
} from './services.ts';

/** Default ports (each falls back to a free port when taken). */
export const SANDBOX_PORTS = { console: 3999, web: 3998, kick: 3997, discord: 3996 } as const;

/** Options of {@link startSandbox}. */
export interface SandboxOptions {
  /** The sandbox database; dropped, re-created and migrated at start (default {@link DEFAULT_SANDBOX_DATABASE_URL}). */
  databaseUrl?: string;
  /** True when the user chose `databaseUrl` (no fallback to docker-compose's user is tried). */
  explicitDatabase?: boolean;
  redisUrl?: string;
  /** BullMQ prefix; emptied at start (default `kickcord-sandbox`, or `kickcord-sandbox-<database>` on another database). */
  queuePrefix?: string;
  /** Ports to try (0 = any free port); default {@link SANDBOX_PORTS}. */
  ports?: Partial<Record<keyof typeof SANDBOX_PORTS, number>>;
  /** Pause between demo steps (default 2500 ms; tests use ~0). */
  demoStepMs?: number;
  /** Pause between idle chat lines after the demo; null = none (default 9000 ms). */
  idleChatMs?: number | null;
  /** pino level of web and bot (default `warn`). */
  logLevel?: string;
  /** On close, drop the database and empty the queues (tests); default false — `pnpm start` leaves both for inspection until its next start. */
  cleanUpOnClose?: boolean;
  /** Progress lines (setup steps, demo events). */
  log?: (line: string) => void;
}

/** A running sandbox. */
export interface Sandbox {
  consoleUrl: string;
  webUrl: string;
  kickUrl: string;
  discordUrl: string;
  databaseUrl: string;
  queuePrefix: string;
  guildId: string;
  streamer: DemoUser;
  viewers: DemoUser[];
  /** Bull Board credentials (web's /admin/queues). */
  admin: { url: string; user: string; password: string };
  /** Milliseconds per setup phase. */
  timings: Record<string, number>;
  /** Resolves when the scripted demo stream has played. */
  demo: Promise<void>;
  /** Stops everything (idempotent). */
  close(): Promise<void>;
}

const MODERATOR = { id: '300000000000000001', username: 'mod_mia' };
const MEMBER = { id: '300000000000000002', username: 'member_max' };
/** A second member, so linking (by code, or with Kick sign-in) can be tried by two people. */
const MEMBER_NOVA = { id: '300000000000000003', username: 'nova_member' };
const DISCORD_USERS = [MODERATOR, MEMBER, MEMBER_NOVA];
const STREAMER_NAME = 'demo_streamer';
const VIEWER_NAMES = ['alice_k', 'bobbybuilds', 'charlie_gg', 'dana_plays', 'eve_watches'];
const SPAMMER_NAME = 'spam_bot_42';
const ADMIN_PASSWORD = 'kickcord-sandbox';
const MODERATOR_PERMISSIONS = Perm.Administrator | Perm.ManageGuild;
/** Where each announcement goes: live/offline in #announcements (live pings @live-alerts), community events in #general, bans in #mod-log. */
const ANNOUNCE_SETUP = [
  '/announce set live #announcements @live-alerts',
  '/announce set offline #announcements',
  '/announce set follow #general',
  '/announce set sub #general',
  '/announce set renewal #general',
  '/announce set gift #general',
  '/announce set kicks #general',
  '/announce set redemption #general',
  '/announce set ban #mod-log',
];
const MAX_CHAT_LENGTH = 500;
/** Linking and rewards, set up once connected: the subscriber role reward, the shop's queue channel and one item. */
const REWARDS_SETUP: { line: string; expect: string }[] = [
  { line: '/role-rewards subscriber role:@Subscriber', expect: 'active Kick subscription' },
  { line: '/shop settings queue-channel:#redemptions', expect: 'Fulfil and Refund' },
  { line: '/shop add name:hydrate kind:reward price:50 description:"The streamer drinks a glass of water"', expect: 'Added' },
];

/** A Discord user of the demo guild the console can act as. */
interface DiscordUser {
  id: string;
  username: string;
}

/** A slash command (or button click) run from the console, and by whom. */
interface CommandLine {
  line: string;
  user: DiscordUser;
  at: Date;
}

/** The moderator runs commands with Manage Server; other members with what their roles give them. */
function permissionsOf(user: DiscordUser): { permissions?: bigint } {
  return user.id === MODERATOR.id ? { permissions: MODERATOR_PERMISSIONS } : {};
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The interaction response's message data (callbacks nest it under `data`). */
function responseData(data: unknown): { content: string; embeds: unknown[]; components: unknown[] } {
  const d = (data ?? {}) as { content?: unknown; embeds?: unknown; components?: unknown; data?: unknown };
  const inner = (d.data && typeof d.data === 'object' ? d.data : d) as typeof d;
  return {
    content: typeof inner.content === 'string' ? inner.content : '',
    embeds: Array.isArray(inner.embeds) ? inner.embeds : [],
    components: Array.isArray(inner.components) ? inner.components : [],
  };
}

/** The buttons (not link buttons) of a message's component rows. */
function buttonsOf(components: unknown[]): { customId: string; label: string; disabled: boolean }[] {
  return components.flatMap((row) =>
    ((row as { components?: unknown[] }).components ?? [])
      .map((c) => c as { type?: number; style?: number; custom_id?: string; label?: string; disabled?: boolean })
      .filter((c) => c.type === 2 && c.style !== 5 && typeof c.custom_id === 'string')
      .map((c) => ({ customId: c.custom_id as string, label: c.label ?? (c.custom_id as string), disabled: c.disabled === true })),
  );
}

/** Starts the whole sandbox. Throws `SandboxServiceError` (message says how to fix) when PostgreSQL or Redis is missing. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const log = options.log ?? (() => undefined);
  const timings: Record<string, number> = {};
  let mark = Date.now();
  const phase = (name: string): void => {
    const now = Date.now();
    timings[name] = now - mark;
    mark = now;
  };
  const redisUrl = options.redisUrl ?? DEFAULT_SANDBOX_REDIS_URL;
  const logLevel = options.logLevel ?? 'warn';
  const port = (name: keyof typeof SANDBOX_PORTS): number => options.ports?.[name] ?? SANDBOX_PORTS[name];

  const { databaseUrl } = await checkSandboxServices({ databaseUrl: options.databaseUrl ?? DEFAULT_SANDBOX_DATABASE_URL, redisUrl, explicitDatabase: options.explicitDatabase ?? options.databaseUrl !== undefined });
  phase('services');
  // The lock is per database; a sandbox on another database gets queues of its own too.
  const queuePrefix = options.queuePrefix ?? sandboxQueuePrefix(databaseUrl);
  const unlock = await lockSandbox(databaseUrl);
  // Everything started so far, stopped in reverse order by close() (also when setup fails half way).
  const stops: { name: string; stop: () => Promise<unknown> }[] = [{ name: 'sandbox lock', stop: unlock }];
  if (options.cleanUpOnClose) {
    stops.push({ name: 'database', stop: () => dropSandboxDatabase(databaseUrl) }, { name: 'queues', stop: () => resetSandboxQueues(redisUrl, queuePrefix) });
  }
  let closing: Promise<void> | undefined;
  const closeAll = (): Promise<void> => {
    closing ??= (async () => {
      for (const { name, stop } of stops.reverse()) {
        await stop().catch((error: unknown) => log(`stopping ${name} failed: ${errorText(error)}`));
      }
    })();
    return closing;
  };

  try {
    await Promise.all([resetSandboxDatabase(databaseUrl), resetSandboxQueues(redisUrl, queuePrefix)]);
    phase('database');
    log('database reset and migrated; queues emptied');

    const [kickPort, discordPort, webPort, consolePort] = await Promise.all([pickPort(port('kick')), pickPort(port('discord')), pickPort(port('web')), pickPort(port('console'))]);
    const [kick, discord] = await Promise.all([
      startKickSim({ port: kickPort, autoApprove: true, webhookRetryBaseMs: 250 }),
      startDiscordSim({ port: discordPort, botUsername: 'kickcord' }),
    ]);
    stops.push({ name: 'kick-sim', stop: () => kick.close() }, { name: 'discord-sim', stop: () => discord.close() });
    phase('simulators');

    const app = newSimKickApp();
    const { clientId } = app;
    const publicUrl = `http://127.0.0.1:${webPort}`;
    const common = simulatorEnv({ kick, app, databaseUrl, redisUrl, publicUrl, logLevel });
    // The bot's environment is checked before anything connects to Redis: a bad setting fails with its message.
    const env = parseBotEnv({
      ...common,
      ...simulatorBotEnv(discord, queuePrefix),
      WORKER_CONCURRENCY: '4',
      // The demo chats every few seconds and a visitor pokes commands on top: allow a livelier channel than the default.
      KICK_CHAT_RATE_LIMIT: '120/30',
    });
    const web: WebHandle = await startWeb(
      // Linked Roles and the dashboard on: /linked-roles and /dashboard sign in through discord-sim's consent page.
      { ...common, ...simulatorDiscordOAuthEnv(discord), ...simulatorDashboardEnv(discord), PORT: String(webPort), ADMIN_PASSWORD, WEBHOOK_MAX_AGE_SECONDS: undefined, WEBHOOK_MAX_BODY_BYTES: undefined },
      { queuePrefix, host: '127.0.0.1' },
    );
    stops.push({ name: 'web', stop: () => web.close() });
    phase('web');

    // Kick: the demo app (webhook → web), the streamer, viewers and a spammer.
    registerSimKickApp(kick, app, web.url, 'kickcord (sandbox)');
    const streamerUser = kick.createUser({ username: STREAMER_NAME });
    const streamer: DemoUser = { userId: streamerUser.userId, username: streamerUser.username };
    const viewers: DemoUser[] = VIEWER_NAMES.map((username) => {
      const u = kick.createUser({ username });
      return { userId: u.userId, username: u.username };
    });
    const spammerUser = kick.createUser({ username: SPAMMER_NAME });
    const spammer: DemoUser = { userId: spammerUser.userId, username: spammerUser.username };

    // Discord: the demo guild (a fresh id every run: Redis keys of earlier runs can never apply).
    const guildId = String(400000000000000000n + BigInt(Math.floor(Math.random() * 1e12)));
    const simGuild = discord.addGuild({
      id: guildId,
      name: 'Kickcord Sandbox',
      channels: [{ name: 'announcements' }, { name: 'mod-log' }, { name: 'general' }, { name: 'redemptions' }],
      // Created before the bot joins, so kickcord's own role sits above Subscriber and may give it.
      roles: [{ name: 'live-alerts' }, { name: 'Subscriber' }],
      members: DISCORD_USERS,
      ownerId: MODERATOR.id,
    });
    const generalChannelId = simGuild.channels.find((c) => c.name === 'general')?.id;

    const bot: BotHandle = await startBot({ env, schedule: true });
    // discord-sim's close would otherwise wait for the bot's socket; the bot goes first (stops run in reverse).
    stops.push({ name: 'bot', stop: () => bot.close() });
    await bot.ready;
    await waitFor(() => bot.ctx.prisma.guild.findUnique({ where: { id: guildId } }), { timeoutMs: 20_000, description: 'the bot to sync the demo guild' });
    phase('bot');
    log(`bot online in Discord guild "${simGuild.name}"`);
    // What `pnpm discord:register` does for Linked Roles, so a visitor can verify at <web>/linked-roles.
    await registerRoleConnectionMetadata(env);

    // Slash commands (as the moderator unless another member is chosen), remembered for the console's results panel.
    const commandLines = new Map<string, CommandLine>();
    const invoke = async (line: string, user: DiscordUser = MODERATOR): Promise<InteractionRecord> => {
      const record = await discord.invoke(guildId, user.id, line, { ...permissionsOf(user), ...(generalChannelId ? { channelId: generalChannelId } : {}) });
      commandLines.set(record.id, { line, user, at: new Date() });
      return record;
    };
    const run = async (line: string): Promise<string> => {
      const record = await invoke(line);
      const response = await discord.waitForInteractionResponse(record, (r) => r.kind !== 'callback' || (r.type !== 5 && r.type !== 6), 15_000);
      return responseData(response.data).content;
    };

    for (const line of ANNOUNCE_SETUP) {
      const answer = await run(line);
      if (!answer.startsWith('✅')) throw new Error(`"${line}" was not accepted by the bot: ${answer}`);
    }
    phase('announcements');
    log(`announcements set: live → #announcements (@live-alerts), community events → #general, bans → #mod-log`);

    // The real connect flow: /kick connect → one-time link → web /connect/kick → kick-sim consent (auto-approved
    // as the streamer) → web /oauth/kick/callback, which stores the tokens and subscribes to the channel's events.
    const connectAnswer = await run('/kick connect');
    const link = /https?:\/\/\S+\/connect\/kick\?t=[^\s)>]+/.exec(connectAnswer)?.[0];
    if (!link) throw new Error(`/kick connect gave no connect link: ${connectAnswer}`);
    kick.setAuthorizingUser(streamer.userId);
    let url = link;
    const hops: string[] = [];
    for (let hop = 0; ; hop++) {
      if (hop > 8) throw new Error(`The connect flow redirected more than 8 times (${hops.join(' → ')}).`);
      const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(15_000) });
      hops.push(`${new URL(url).port === String(webPort) ? 'web' : 'kick-sim'} ${new URL(url).pathname}`);
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        await res.body?.cancel();
        url = new URL(location, url).toString();
        continue;
      }
      const html = await res.text();
      if (res.status !== 200) throw new Error(`The connect flow failed at ${hops.at(-1)} with HTTP ${res.status}: ${html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 300)}`);
      break;
    }
    await waitFor(() => bot.ctx.prisma.kickConnection.findUnique({ where: { guildId } }), { timeoutMs: 10_000, description: 'the Kick connection to be saved' });
    await waitFor(() => kick.subscriptions({ clientId, broadcasterUserId: streamer.userId }).length > 0, { timeoutMs: 10_000, description: "Kick event subscriptions for the demo channel" });
    phase('oauth');
    log(`connected through OAuth: ${hops.join(' → ')}`);
    // The streamer signed in to kick-sim for the connect; a viewer's "Link with Kick" names its own Kick user.
    kick.setAuthorizingUser(null);

    for (const { line, expect } of REWARDS_SETUP) {
      const answer = await run(line);
      if (!answer.includes(expect)) throw new Error(`"${line}" was not accepted by the bot: ${answer}`);
    }
    phase('rewards');
    log('rewards set: @Subscriber for Kick subscribers, the shop (hydrate, 50 points) queues in #redemptions');

    const backend = createBackend({ kick, discord, bot, guildId, streamer, viewers, spammer, commandLines, invoke, links: { web: web.url, kick: kick.url, discord: discord.baseUrl }, webPort });
    const consoleServer: ConsoleServer = await startConsoleServer({ backend: backend.api, port: consolePort, onError: (error) => log(`console error: ${errorText(error)}`) });
    stops.push({ name: 'console', stop: () => consoleServer.close() });
    phase('console');

    const demo: DemoStream = playDemoStream({
      kick,
      streamer,
      viewers,
      spammer,
      ...(options.demoStepMs !== undefined ? { stepMs: options.demoStepMs } : {}),
      ...(options.idleChatMs !== undefined ? { idleChatMs: options.idleChatMs } : {}),
      log: (line) => log(`demo: ${line}`),
    });
    // First to stop on close: no more events into a stack that is shutting down.
    stops.push({ name: 'demo', stop: async () => demo.stop() });
    backend.setPhase('demo stream playing');
    void demo.scripted.then(() => backend.setPhase('live — idle chatter (the demo has played)'));

    return {
      consoleUrl: consoleServer.url,
      webUrl: web.url,
      kickUrl: kick.url,
      discordUrl: discord.baseUrl,
      databaseUrl,
      queuePrefix,
      guildId,
      streamer,
      viewers,
      admin: { url: `${web.url}/admin/queues`, user: 'admin', password: ADMIN_PASSWORD },
      timings,
      demo: demo.scripted,
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

interface BackendInput {
  kick: KickSim;
  discord: DiscordSim;
  bot: BotHandle;
  guildId: string;
  streamer: DemoUser;
  viewers: DemoUser[];
  spammer: DemoUser;
  commandLines: Map<string, CommandLine>;
  invoke(line: string, user?: DiscordUser): Promise<InteractionRecord>;
  links: { web: string; kick: string; discord: string };
  webPort: number;
}

/** The badges Kick puts in `sender.identity.badges` for each console chat role (the streamer always has `broadcaster`). */
const ROLE_BADGES: Record<ChatRole, ConsoleBadge[]> = {
  viewer: [],
  subscriber: [{ text: 'Subscriber', type: 'subscriber', count: 3 }],
  vip: [{ text: 'VIP', type: 'vip' }],
  moderator: [{ text: 'Moderator', type: 'moderator' }],
};
const BROADCASTER_BADGE: ConsoleBadge = { text: 'Broadcaster', type: 'broadcaster' };
/** Text of an attached file shown in the console (the download link has all of it). */
const MAX_FILE_PREVIEW_BYTES = 64 * 1024;
/** The most chat lines whose badges are remembered for the console. */
const MAX_REMEMBERED_BADGES = 5_000;

/** Text of an HTML page with its entities decoded (the few web's pages use). */
function decodeEntities(text: string): string {
  return text
    .replace(/&#(\d+);/gu, (_m, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/giu, (_m, n: string) => String.fromCodePoint(Number.parseInt(n, 16)))
    .replace(/&quot;/gu, '"')
    .replace(/&lt;/gu, '<')
    .replace(/&gt;/gu, '>')
    .replace(/&amp;/gu, '&');
}

/** The sender badges of a delivered `chat.message.sent` (its wire payload), or none. */
function deliveredBadges(deliveries: readonly { type: string; payload: unknown }[]): ConsoleBadge[] {
  const payload = deliveries.find((d) => d.type === 'chat.message.sent')?.payload as { sender?: { identity?: { badges?: unknown } | null } } | undefined;
  const badges = payload?.sender?.identity?.badges;
  return Array.isArray(badges) ? (badges as ConsoleBadge[]) : [];
}

/** The console's view of the sandbox: snapshots for the page, chat as a viewer, slash commands and buttons as the moderator. */
function createBackend(input: BackendInput): { api: ConsoleBackend; setPhase(phase: string): void } {
  const { kick, discord, bot, guildId, streamer } = input;
  let phase = 'starting the demo stream';
  const chatters = [...input.viewers, input.spammer, streamer];
  /** The demo channel's Kick slug: the public command list page is `/c/<slug>/commands`. */
  const channelSlug = kick.getUser(streamer.userId)?.channel.slug ?? streamer.username.toLowerCase();
  const badgesOf = new Map<string, ConsoleBadge[]>();
  /** Months subscribed so far per viewer subscribed from the console (the next sub is a renewal). */
  const subMonths = new Map<number, number>();
  const viewerNamed = (name: string): DemoUser => {
    const who = chatters.find((u) => u.username.toLowerCase() === name.trim().toLowerCase());
    if (!who) throw new ConsoleInputError(`Unknown viewer "${name}"; pick one of ${chatters.map((u) => u.username).join(', ')}.`);
    return who;
  };
  const discordUser = (name: string | undefined): DiscordUser => {
    if (name === undefined || name.trim() === '') return MODERATOR;
    const user = DISCORD_USERS.find((u) => u.username === name.trim().toLowerCase());
    if (!user) throw new ConsoleInputError(`Unknown Discord member "${name}"; pick one of ${DISCORD_USERS.map((u) => u.username).join(', ')}.`);
    return user;
  };

  const leaderboard = async (by: 'points' | 'watchtime', page: number): Promise<ConsoleLeaderPage> => {
    const ranked = await rankedLeaderboardPage(bot.ctx, guildId, by, page, CONSOLE_LEADERBOARD_PAGE_SIZE);
    return {
      by,
      page: ranked.page.page,
      pages: ranked.page.pages,
      total: ranked.total,
      rows: ranked.rows.map((r) => ({ rank: r.rank, username: r.username, points: r.points, activeMinutes: r.activeMinutes })),
    };
  };
  const filesOf = (interactionId: string, files: { filename: string; content: Buffer }[] | undefined, offset: number): ConsoleFile[] =>
    (files ?? []).map((f, i) => {
      const text = f.content.includes(0) ? null : f.content.subarray(0, MAX_FILE_PREVIEW_BYTES).toString('utf8');
      return { name: f.filename, size: f.content.length, url: `/api/files/${interactionId}/${offset + i}`, text, truncated: text !== null && f.content.length > MAX_FILE_PREVIEW_BYTES };
    });
  /** Every file of an interaction's answers, in order (the index used by `/api/files/<id>/<index>`). */
  const allFiles = (record: InteractionRecord): { filename: string; content: Buffer }[] => record.responses.flatMap((r) => r.files ?? []);

  const api: ConsoleBackend = {
    async snapshot(limits: SnapshotLimits): Promise<ConsoleSnapshot> {
      const guild = discord.getGuild(guildId);
      const channel = kick.getUser(streamer.userId)?.channel;
      const [points, watchtime] = await Promise.all([leaderboard('points', limits.pointsPage), leaderboard('watchtime', limits.watchtimePage)]);
      const commands: ConsoleCommandResult[] = discord.interactions
        .filter((i) => input.commandLines.has(i.id))
        .slice(-30)
        .reverse()
        .map((i) => {
          const meta = input.commandLines.get(i.id) as CommandLine;
          let fileIndex = 0;
          return {
            id: i.id,
            commandLine: meta.line,
            user: meta.user.username,
            at: meta.at.toISOString(),
            responses: i.responses.map((r) => {
              const files = filesOf(i.id, r.files, fileIndex);
              fileIndex += r.files?.length ?? 0;
              return { kind: r.kind, ...(r.type !== undefined ? { type: r.type } : {}), ephemeral: r.ephemeral, at: r.at.toISOString(), ...responseData(r.data), files };
            }),
          };
        });
      const messages = discord.messages().filter((m) => m.guildId === guildId);
      const chat = kick.chatLog(streamer.userId);
      const members = guild?.members ?? [];
      const links = await bot.ctx.prisma.accountLink.findMany({ where: { discordUserId: { in: members.map((m) => m.id) } }, select: { discordUserId: true, kickUsername: true } });
      const kickNameOf = new Map(links.map((l) => [l.discordUserId, l.kickUsername]));
      return {
        phase,
        guild: {
          id: guildId,
          name: guild?.name ?? '',
          channels: (guild?.channels ?? []).filter((c) => c.type === 0).map((c) => ({ id: c.id, name: c.name })),
          roles: (guild?.roles ?? []).map((r) => ({ id: r.id, name: r.name })),
          members: members.map((m) => ({ id: m.id, username: m.username, bot: m.bot, roles: [...m.roles], kick: kickNameOf.get(m.id) ?? null })),
        },
        bot: { discordName: 'kickcord', kickName: SIM_BOT_USERNAME },
        stream: {
          channel: streamer.username,
          live: channel?.isLive ?? false,
          title: channel?.streamTitle ?? '',
          category: channel?.category.name ?? '',
          viewers: channel?.viewerCount ?? 0,
          startedAt: channel?.isLive && channel.startTime ? channel.startTime.toISOString() : null,
        },
        discord: messages
          .slice(-limits.discord)
          .map((m) => ({ id: m.id, channelId: m.channelId, content: m.content, embeds: m.embeds, components: m.components, at: m.createdAt.toISOString(), viaInteraction: m.interactionId !== null })),
        discordTotal: messages.length,
        chat: chat
          .slice(-limits.chat)
          .map((m) => ({ id: m.messageId, sender: m.senderUsername, content: m.content, kind: m.type, at: m.createdAt.toISOString(), deleted: m.deletedAt !== null, badges: badgesOf.get(m.messageId) ?? [] })),
        chatTotal: chat.length,
        leaderboard: { points, watchtime },
        viewers: chatters.map((u) => u.username),
        moderator: MODERATOR.username,
        discordUsers: DISCORD_USERS.map((u) => ({ username: u.username, moderator: u.id === MODERATOR.id })),
        commands,
        links: [
          // discord-sim's consent page offers "Authorize as mod_mia" (the demo moderator owns the demo server).
          { name: `dashboard (log in as ${MODERATOR.username})`, url: `${input.links.web}/dashboard/login` },
          { name: 'public leaderboard (web)', url: `${input.links.web}/leaderboard/${guildId}` },
          { name: 'public command list (web)', url: `${input.links.web}/c/${encodeURIComponent(channelSlug)}/commands` },
          { name: 'Bull Board (admin / kickcord-sandbox)', url: `${input.links.web}/admin/queues` },
          { name: 'readiness (web /readyz)', url: `${input.links.web}/readyz` },
          { name: 'metrics (web /metrics)', url: `${input.links.web}/metrics` },
        ],
      };
    },

    async sendChat(viewerName, content, role) {
      const who = viewerNamed(viewerName);
      const text = content.trim();
      if (text.length > MAX_CHAT_LENGTH) throw new ConsoleInputError(`Kick chat messages are at most ${MAX_CHAT_LENGTH} characters.`);
      const badges = [...(who.userId === streamer.userId ? [BROADCASTER_BADGE] : []), ...ROLE_BADGES[role]];
      try {
        const sent = await kick.sendChat(streamer.userId, who.userId, text, { badges });
        const delivered = deliveredBadges(sent.deliveries);
        badgesOf.set(sent.messageId, delivered);
        if (badgesOf.size > MAX_REMEMBERED_BADGES) badgesOf.delete(badgesOf.keys().next().value as string);
        return { messageId: sent.messageId, badges: delivered };
      } catch (error) {
        if (error instanceof KickSimError) throw new ConsoleInputError(error.message);
        throw error;
      }
    },

    async runCommand(commandLine, userName) {
      const line = commandLine.trim();
      if (!line.startsWith('/')) throw new ConsoleInputError('Slash commands start with "/", e.g. /kick status');
      const user = discordUser(userName);
      try {
        const record = await input.invoke(line, user);
        return { id: record.id };
      } catch (error) {
        if (error instanceof DiscordSimError) throw new ConsoleInputError(error.message);
        throw error;
      }
    },

    async clickButton(interactionId, customId) {
      const record = discord.interactions.find((i) => i.id === interactionId && input.commandLines.has(i.id));
      if (!record) throw new ConsoleInputError('That answer is gone — run the command again.');
      // The newest answer that shows this button is the message clicked (an edit replaces the earlier one).
      const answer = [...record.responses].reverse().find((r) => r.messageId && buttonsOf(responseData(r.data).components).some((b) => b.customId === customId));
      const button = answer ? buttonsOf(responseData(answer.data).components).find((b) => b.customId === customId) : undefined;
      if (!answer?.messageId || !button) throw new ConsoleInputError('That button is not on the answer any more — run the command again.');
      if (button.disabled) throw new ConsoleInputError(`"${button.label}" is disabled.`);
      // The answer's buttons are pressed by whoever ran the command (only they see an ephemeral answer).
      const user = input.commandLines.get(record.id)?.user ?? MODERATOR;
      try {
        const click = await discord.clickButton({ id: answer.messageId, channelId: record.channelId }, customId, user.id, permissionsOf(user));
        input.commandLines.set(click.id, { line: `🖱 ${button.label} (on ${input.commandLines.get(record.id)?.line ?? 'an answer'})`, user, at: new Date() });
        return { id: click.id };
      } catch (error) {
        if (error instanceof DiscordSimError) throw new ConsoleInputError(error.message);
        throw error;
      }
    },

    async clickMessageButton(messageId, customId, userName) {
      const user = discordUser(userName);
      const message = discord.messages().find((m) => m.id === messageId && m.guildId === guildId);
      if (!message) throw new ConsoleInputError('That message is gone.');
      const button = buttonsOf(message.components).find((b) => b.customId === customId);
      if (!button) throw new ConsoleInputError('That button is not on the message any more.');
      if (button.disabled) throw new ConsoleInputError(`"${button.label}" is disabled.`);
      const channel = discord.getGuild(guildId)?.channels.find((c) => c.id === message.channelId)?.name ?? 'a channel';
      try {
        const click = await discord.clickButton(message, customId, user.id, permissionsOf(user));
        input.commandLines.set(click.id, { line: `🖱 ${button.label} (on a message in #${channel})`, user, at: new Date() });
        return { id: click.id };
      } catch (error) {
        if (error instanceof DiscordSimError) throw new ConsoleInputError(error.message);
        throw error;
      }
    },

    async subscribe(viewerName, gifteeName) {
      const who = viewerNamed(viewerName);
      if (gifteeName) {
        const giftee = viewerNamed(gifteeName);
        if (giftee.userId === who.userId) throw new ConsoleInputError('A gifted sub goes to someone else: pick another viewer to gift it to.');
        await kick.giftSubs(streamer.userId, who.userId, [giftee.userId]);
        return { event: 'channel.subscription.gifts' };
      }
      // A first sub is `channel.subscription.new`; the next ones are renewals with the months so far, as Kick sends them.
      const months = (subMonths.get(who.userId) ?? 0) + 1;
      subMonths.set(who.userId, months);
      await kick.subscribe(streamer.userId, who.userId, months);
      return { event: months === 1 ? 'channel.subscription.new' : 'channel.subscription.renewal' };
    },

    async kickSignIn(url, viewerName) {
      const who = viewerNamed(viewerName);
      let next: URL;
      try {
        next = new URL(url);
      } catch {
        throw new ConsoleInputError('That is not a link.');
      }
      if (next.origin !== input.links.web || next.pathname !== '/link/kick') throw new ConsoleInputError('Only the "Link with Kick" button of /link start signs in through the console.');
      // As a browser would: follow the redirects (web → kick-sim's consent, auto-approved for this viewer → web's callback).
      for (let hop = 0; hop < 8; hop++) {
        if (next.origin === input.links.kick && next.pathname === '/oauth/authorize') next.searchParams.set('sim_user', String(who.userId));
        const res = await fetch(next, { redirect: 'manual', signal: AbortSignal.timeout(15_000) });
        const location = res.headers.get('location');
        if (res.status >= 300 && res.status < 400 && location) {
          await res.body?.cancel();
          next = new URL(location, next);
          continue;
        }
        const html = await res.text();
        const title = (/<h1[^>]*>([^<]*)<\/h1>/iu.exec(html) ?? /<title>([^<]*)<\/title>/iu.exec(html))?.[1]?.trim() ?? `HTTP ${res.status}`;
        const body = (/<body[^>]*>([\s\S]*)<\/body>/iu.exec(html)?.[1] ?? html).replace(/<h1[^>]*>[\s\S]*?<\/h1>/iu, ' ');
        const text = decodeEntities(body.replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/giu, ' ').replace(/<[^>]+>/gu, ' ')).replace(/\s+/gu, ' ').trim();
        return { status: res.status, title: decodeEntities(title), text: text.slice(0, 600) };
      }
      throw new ConsoleInputError('The sign-in redirected more than 8 times.');
    },

    async attachFile(filename, content) {
      const name = filename.trim().replace(/^.*[\\/]/u, '');
      if (!/^[\w .()-]{1,100}$/u.test(name)) throw new ConsoleInputError('The file name may have letters, digits, spaces and . _ - ( ), at most 100 characters.');
      const attachment = discord.addAttachment({ filename: name, contentType: name.endsWith('.csv') ? 'text/csv' : 'text/plain', content });
      return { id: attachment.id, filename: attachment.filename, size: attachment.size };
    },

    file(interactionId, index) {
      const record = discord.interactions.find((i) => i.id === interactionId && input.commandLines.has(i.id));
      const file = record ? allFiles(record)[index] : undefined;
      return file ? { name: file.filename, content: file.content } : null;
    },

    async setLive(live) {
      const channel = kick.getUser(streamer.userId)?.channel;
      if ((channel?.isLive ?? false) === live) return { live };
      if (live) await kick.goLive(streamer.userId, { title: DEMO_TITLE, category: 'Just Chatting', viewerCount: input.viewers.length + 40 });
      else await kick.goOffline(streamer.userId);
      return { live };
    },
  };
  return {
    api,
    setPhase(next) {
      phase = next;
    },
  };
}
