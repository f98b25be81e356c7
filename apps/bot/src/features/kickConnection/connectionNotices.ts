import type { BotContext } from '../../context.ts';
import { sendChannelMessage, announcementNonce } from '../announcements/postAnnouncement.ts';

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
export async function postNoticeOnce(ctx: BotContext, guildId: string, noticeKey: string, content: string): Promise<boolean> {
  const channelId = await noticeChannelOf(ctx, guildId);
  if (!channelId) return false;
  const mark = `${ctx.keys.prefix}:notice:{${guildId}}:${noticeKey}`;
  if ((await ctx.redis.set(mark, '1', 'EX', NOTICE_MARK_TTL_SECONDS, 'NX')) !== 'OK') return false;
  try {
    await sendChannelMessage(ctx.discordRest, channelId, { content, roleId: null, nonce: announcementNonce(guildId, noticeKey) });
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
