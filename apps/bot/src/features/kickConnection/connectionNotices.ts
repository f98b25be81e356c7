import { grantExpiresAt, issueConnectLink, KICK_GRANT_LIFETIME_MS } from '@kickcord/connections';
import { time } from 'discord.js';
import type { BotContext } from '../../context.ts';
import { sendChannelMessage, announcementNonce } from '../announcements/postAnnouncement.ts';

/** How long before the streamer's consent runs out the guild is warned. */
export const GRANT_EXPIRY_WARNING_MS = 3 * 86_400_000;
/** Lifetime of the reconnect link in an expiry warning (a fresh one is always one `/kick connect` away). */
export const WARNING_LINK_TTL_MS = 24 * 3_600_000;

/** How long a "notice sent" mark lives: longer than any episode it guards (a dead grant stays dead until reconnected). */
const NOTICE_MARK_TTL_SECONDS = 90 * 86_400;

/**
 * The Discord channel a guild's moderators read for kickcord notices: the mod-log channel when one is set,
 * else the channel that announces go-live. Undefined when the guild has neither (the status line in
 * /kick status is then the only notice).
 */
export async function noticeChannelOf(ctx: BotContext, guildId: string): Promise<string | undefined> {
  const [settings, live] = await Promise.all([
    ctx.prisma.guildSettings.findUnique({ where: { guildId }, select: { modLogChannelId: true } }),
    ctx.prisma.announcementSetting.findUnique({ where: { guildId_event: { guildId, event: 'live' } }, select: { discordChannelId: true } }),
  ]);
  return settings?.modLogChannelId ?? live?.discordChannelId ?? undefined;
}

/**
 * Posts `content` to the guild's notice channel once per `noticeKey` (a Redis SET NX mark under the install
 * prefix, shared by all workers). Returns whether it posted. A failed post releases the mark so the next run
 * tries again.
 */
export async function postNoticeOnce(ctx: BotContext, guildId: string, noticeKey: string, content: string | (() => Promise<string>)): Promise<boolean> {
  const channelId = await noticeChannelOf(ctx, guildId);
  if (!channelId) return false;
  const mark = ctx.keys.noticeSent(guildId, noticeKey);
  if ((await ctx.redis.set(mark, '1', 'EX', NOTICE_MARK_TTL_SECONDS, 'NX')) !== 'OK') return false;
  try {
    const text = typeof content === 'string' ? content : await content();
    await sendChannelMessage(ctx.discordRest, channelId, { content: text, roleId: null, nonce: announcementNonce(guildId, noticeKey) });
    return true;
  } catch (error) {
    await ctx.redis.del(mark);
    ctx.logger.warn({ err: error, guildId, channelId, noticeKey }, 'kickcord notice could not be posted');
    return false;
  }
}

/**
 * Tells each guild whose Kick connection needs the streamer to connect again, once per episode (the
 * connection row and its last successful refresh): which channel, why, and how to fix it.
 */
export async function sendReauthNotices(ctx: BotContext): Promise<number> {
  const rows = await ctx.prisma.kickConnection.findMany({
    where: { status: 'needs_reauth' },
    select: { id: true, guildId: true, lastError: true, lastRefreshedAt: true, createdAt: true, channel: { select: { slug: true } } },
  });
  let sent = 0;
  for (const row of rows) {
    const episode = `${row.id}:${(row.lastRefreshedAt ?? row.createdAt).getTime()}`;
    const content =
      `⚠️ Kick connection for **${row.channel.slug}** needs the streamer to log in again` +
      `${row.lastError ? ` (${row.lastError})` : ''}. Chat replies and streamer features are paused until then. ` +
      'Run `/kick connect` and send the streamer the link.';
    if (await postNoticeOnce(ctx, row.guildId, `reauth:${episode}`, content)) sent++;
  }
  return sent;
}

/**
 * Warns each guild whose streamer's consent runs out within {@link GRANT_EXPIRY_WARNING_MS} (Kick's refresh
 * tokens die ~30 days after consent, however often they are used), once per consent, with a reconnect link
 * valid {@link WARNING_LINK_TTL_MS}. Reconnecting starts a new consent and ends the warnings.
 */
export async function sendGrantExpiryWarnings(ctx: BotContext): Promise<number> {
  const now = ctx.now();
  const rows = await ctx.prisma.kickConnection.findMany({
    where: { status: 'active', createdAt: { lte: new Date(now.getTime() - (KICK_GRANT_LIFETIME_MS - GRANT_EXPIRY_WARNING_MS)) } },
    select: { id: true, guildId: true, createdAt: true, connectedByDiscordId: true, channel: { select: { slug: true } } },
  });
  let sent = 0;
  for (const row of rows) {
    const expiresAt = grantExpiresAt(row);
    const content = async () => {
      const link = await issueConnectLink(ctx.prisma, ctx.cipher, { guildId: row.guildId, discordUserId: row.connectedByDiscordId, publicUrl: ctx.env.PUBLIC_URL, ttlMs: WARNING_LINK_TTL_MS, now });
      return (
        `⏳ Kick's login for **${row.channel.slug}** runs out ${time(expiresAt, 'R')} (Kick ends it about 30 days after the streamer connected). ` +
        `Have the streamer reconnect before then: ${link.url} (valid 24 h; \`/kick connect\` makes a new one).`
      );
    };
    if (await postNoticeOnce(ctx, row.guildId, `grant-expiry:${row.id}:${row.createdAt.getTime()}`, content)) sent++;
  }
  return sent;
}
