/**
 * The bot's end-to-end test stack: kick-sim (a faithful local Kick), discord-sim (a local Discord
 * that a real discord.js client connects to), apps/web (webhook ingest + OAuth), the real bot, and a
 * fresh Postgres database + isolated BullMQ prefix per stack. Events travel the production path:
 * kick-sim signs → POST /webhooks/kick → BullMQ → bot worker → discord-sim / kick-sim chat.
 */
import { randomBytes } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@kickcord/db/testing';
import { startDiscordSim, type DiscordSim, type InteractionRecord } from '@kickcord/discord-sim';
import { startKickSim, type KickSim } from '@kickcord/kick-sim';
import { createKickEventsQueue, createRedisConnection, testQueuePrefix, waitFor } from '@kickcord/queue';
import { freePort, MANAGE_GUILD, newSimKickApp, registerSimKickApp, simulatorBotEnv, simulatorDashboardEnv, simulatorDiscordOAuthEnv, simulatorEnv } from '@kickcord/testkit';
import { startWeb, type WebHandle } from '@kickcord/web';
import { parseBotEnv, startBot, type BotEnv, type BotHandle } from '@kickcord/bot';

export interface TestStackOptions {
  /** Clock shared by the bot (and given to scheduled tasks). Default: real time. */
  now?: () => Date;
  /** Connect the demo guild to the streamer's channel (owner link, tokens, subscriptions). Default true. */
  connect?: boolean;
  /** Create BullMQ job schedulers (maintenance runs on its own). Default false: tests run tasks directly. */
  schedule?: boolean;
  /** Extra bot env overrides. */
  env?: Partial<Record<keyof BotEnv, string>>;
  /** REDIS_URL for web, bot and the harness (default `REDIS_URL` or the local server), e.g. a Redis Cluster. */
  redisUrl?: string;
  /** Turn on the web dashboard (`/dashboard`, login through discord-sim; the moderator owns the demo guild). */
  dashboard?: boolean;
}

export interface TestStack {
  kick: KickSim;
  discord: DiscordSim;
  db: TestDatabase;
  web: WebHandle;
  bot: BotHandle;
  env: BotEnv;
  /** Demo guild with #announcements, #mod-log and #general. */
  guild: { id: string; name: string; announcementsChannelId: string; modLogChannelId: string; generalChannelId: string };
  /** Discord users: a moderator (Manage Server) and a regular member. */
  moderatorId: string;
  memberId: string;
  /** The streamer's Kick account (the broadcaster). */
  streamer: { userId: number; username: string };
  kickApp: { clientId: string; clientSecret: string };
  /** Creates a Kick viewer account in the sim. */
  createViewer(username: string): { userId: number; username: string };
  /** Runs a slash command as the moderator (or `as` a member, without permissions). */
  invoke(commandLine: string, opts?: { as?: 'moderator' | 'member'; userId?: string; guildId?: string; permissions?: bigint }): Promise<InteractionRecord>;
  /** Invokes and waits for the first response; returns its text (content + embed text). */
  run(commandLine: string, opts?: { as?: 'moderator' | 'member'; userId?: string; guildId?: string }): Promise<string>;
  /** Waits until every `kick-events` job so far has been processed (no waiting/active/delayed jobs). */
  drain(timeoutMs?: number): Promise<void>;
  /** The streamer consents again with exactly these scopes (Kick fixes scopes at consent): new tokens are saved for the demo guild. */
  reconnect(scopes: string[]): Promise<void>;
  close(): Promise<void>;
}

/** Text of an interaction response: content plus embed titles, descriptions and fields. */
export function responseText(data: unknown): string {
  const d = (data ?? {}) as { content?: string; embeds?: { title?: string; description?: string; fields?: { name: string; value: string }[]; author?: { name?: string } }[]; data?: unknown };
  const inner = d.data && typeof d.data === 'object' ? (d.data as typeof d) : d;
  const parts: string[] = [];
  if (inner.content) parts.push(inner.content);
  for (const e of inner.embeds ?? []) {
    if (e.author?.name) parts.push(e.author.name);
    if (e.title) parts.push(e.title);
    if (e.description) parts.push(e.description);
    for (const f of e.fields ?? []) parts.push(`${f.name}: ${f.value}`);
  }
  return parts.join('\n');
}

/** Starts the whole stack; always `close()` it in afterAll. */
export async function startTestStack(options: TestStackOptions = {}): Promise<TestStack> {
  const prefix = testQueuePrefix('bot');
  const [kick, discord, db] = await Promise.all([startKickSim({ autoApprove: true, webhookRetryBaseMs: 50 }), startDiscordSim(), createTestDatabase()]);
  const app = newSimKickApp();
  const { clientId, clientSecret } = app;
  const redisUrl = options.redisUrl ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

  const webPort = await freePort();
  const common = simulatorEnv({ kick, app, databaseUrl: db.url, redisUrl, publicUrl: `http://127.0.0.1:${webPort}`, logLevel: 'silent' });
  const web = await startWeb({ ...common, ...simulatorDiscordOAuthEnv(discord), ...(options.dashboard ? simulatorDashboardEnv(discord) : {}), PORT: String(webPort) }, { queuePrefix: prefix, host: '127.0.0.1' });
  registerSimKickApp(kick, app, web.url);

  const streamerUser = kick.createUser({ username: `streamer${randomBytes(2).toString('hex')}` });
  const streamer = { userId: streamerUser.userId, username: streamerUser.username };

  const guildId = String(100000000000000000n + BigInt(Math.floor(Math.random() * 1e12)));
  const moderatorId = '200000000000000001';
  const memberId = '200000000000000002';
  const simGuild = discord.addGuild({
    id: guildId,
    name: 'Demo Community',
    channels: [{ name: 'announcements' }, { name: 'mod-log' }, { name: 'general' }],
    members: [
      { id: moderatorId, username: 'mod' },
      { id: memberId, username: 'member' },
    ],
  });
  const channelId = (name: string) => simGuild.channels.find((c) => c.name === name)?.id ?? '';

  const env = parseBotEnv({
    ...common,
    ...simulatorBotEnv(discord, prefix),
    WORKER_CONCURRENCY: '4',
    // Tests send bursts of commands in one channel; the outgoing cap has its own test.
    KICK_CHAT_RATE_LIMIT: '1000/30',
    ...options.env,
  });
  const bot = await startBot({ env, schedule: options.schedule ?? false, ...(options.now ? { now: options.now } : {}) });
  await bot.ready;
  await waitFor(() => bot.ctx.prisma.guild.findUnique({ where: { id: guildId } }), { description: 'the demo guild to be created by guild sync' });

  /** The streamer's consent with `scopes`: tokens issued by kick-sim, saved as the demo guild's connection. */
  async function saveStreamerConnection(scopes: string[]): Promise<void> {
    const tokens = kick.issueUserToken({ clientId, userId: streamer.userId, scopes });
    await bot.ctx.connections.save({
      guildId,
      broadcasterUserId: streamer.userId,
      kickUsername: streamer.username,
      connectedByDiscordId: moderatorId,
      tokens: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, tokenType: 'Bearer', scopes, expiresAt: new Date(Date.now() + tokens.expiresIn * 1000) },
    });
  }

  if (options.connect ?? true) {
    await bot.ctx.prisma.kickChannel.upsert({
      where: { broadcasterUserId: streamer.userId },
      create: { broadcasterUserId: streamer.userId, slug: streamer.username.toLowerCase(), displayName: streamer.username },
      update: {},
    });
    await saveStreamerConnection(['user:read', 'channel:read', 'chat:write', 'events:subscribe', 'moderation:ban', 'kicks:read', 'channel:rewards:read']);
    await bot.ctx.prisma.guildChannelLink.upsert({
      where: { guildId_broadcasterUserId: { guildId, broadcasterUserId: streamer.userId } },
      create: { guildId, broadcasterUserId: streamer.userId, kind: 'owner', createdByDiscordId: moderatorId },
      update: { kind: 'owner' },
    });
    await bot.ctx.subscriptions.sync(streamer.userId);
  }

  const queueConnection = createRedisConnection(redisUrl, { usage: 'producer' });
  const eventsQueue = createKickEventsQueue({ connection: queueConnection, prefix });
  const stack: TestStack = {
    kick,
    discord,
    db,
    web,
    bot,
    env,
    guild: { id: guildId, name: 'Demo Community', announcementsChannelId: channelId('announcements'), modLogChannelId: channelId('mod-log'), generalChannelId: channelId('general') },
    moderatorId,
    memberId,
    streamer,
    kickApp: { clientId, clientSecret },
    createViewer(username) {
      const u = kick.createUser({ username });
      return { userId: u.userId, username: u.username };
    },
    invoke(commandLine, opts = {}) {
      const asMember = opts.as === 'member';
      const userId = opts.userId ?? (asMember ? memberId : moderatorId);
      const permissions = opts.permissions ?? (asMember ? 0n : MANAGE_GUILD);
      // bypassCommandPermissions: Discord would hide a moderator command from a member, but server admins can
      // override that in Server Settings → Integrations — the bot's own check must hold either way.
      return discord.invoke(opts.guildId ?? guildId, userId, commandLine, { permissions, bypassCommandPermissions: true });
    },
    async run(commandLine, opts = {}) {
      const record = await stack.invoke(commandLine, opts);
      // A deleted public deferral is followed by the (ephemeral) answer: wait for that, not the deletion.
      const response = await discord.waitForInteractionResponse(record, (r) => r.kind !== 'delete' && (r.kind !== 'callback' || (r.type !== 5 && r.type !== 6)), 10_000);
      return responseText(response.data);
    },
    async drain(timeoutMs = 15_000) {
      await waitFor(
        async () => {
          const counts = await eventsQueue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
          return Object.values(counts).every((n) => n === 0);
        },
        { timeoutMs, description: 'the kick-events queue to drain' },
      );
    },
    reconnect: saveStreamerConnection,
    async close() {
      await bot.close();
      await web.close();
      await eventsQueue.obliterate({ force: true }).catch(() => undefined);
      await eventsQueue.close();
      queueConnection.disconnect();
      await Promise.allSettled([kick.close(), discord.close()]);
      await db.drop();
    },
  };
  return stack;
}
