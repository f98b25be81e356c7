/**
 * The Kick channels a guild follows: watch another channel (announcements only, no streamer login), stop watching
 * one, and disconnect the streamer's connected channel. `/kick watch|unwatch|disconnect` and the dashboard's
 * Overview run these same actions.
 */
import { linkWatch, unlinkWatch } from '@kickcord/connections';
import { z } from 'zod';
import { auditAction, defineGuildAction } from '../../guildActions/GuildAction.ts';
import { UserFacingError } from '../../UserFacingError.ts';

/** Watched channels per guild: each costs Kick event subscriptions, which are capped per app. */
export const MAX_WATCHED_CHANNELS = 25;
const SLUG_PATTERN = /^[a-z0-9_-]{1,64}$/;

/**
 * A Kick channel name from what a person typed: `xqc`, `XQC` or `https://kick.com/xqc/videos` all give `xqc`.
 * Anything else is refused with an example.
 */
export function parseChannelSlug(typed: string): string {
  const raw = typed.trim().toLowerCase();
  const slug = raw.replace(/^https?:\/\/(www\.)?kick\.com\//, '').replace(/\/.*$/, '');
  if (!SLUG_PATTERN.test(slug)) throw new UserFacingError(`"${raw}" is not a Kick channel name. Use the part after kick.com/, e.g. \`xqc\`.`);
  return slug;
}

const slugInput = z.object({ slug: z.string({ error: 'Type the Kick channel name.' }).max(200, 'A Kick channel name is at most 64 characters.') });

/** `/kick watch`, and the Overview's "Watch another Kick channel": announce any Kick channel's events here. */
export const watchKickChannel = defineGuildAction({
  name: 'kick.watch',
  input: slugInput,
  async run(ctx, call, input) {
    const slug = parseChannelSlug(input.slug);
    const count = await ctx.prisma.guildChannelLink.count({ where: { guildId: call.guildId, kind: 'watch' } });
    if (count >= MAX_WATCHED_CHANNELS) throw new UserFacingError(`This server already watches ${count} channels (the limit is ${MAX_WATCHED_CHANNELS}). Unwatch one first.`);
    const channel = await ctx.kickApp.getChannelBySlug(slug);
    if (!channel) throw new UserFacingError(`No Kick channel named "${slug}" exists. Check the spelling in kick.com/${slug}.`);
    const link = await linkWatch(ctx.prisma, {
      guildId: call.guildId,
      broadcasterUserId: channel.broadcasterUserId,
      discordUserId: call.actor.id,
      channel: { slug: channel.slug, displayName: channel.slug },
    });
    if (!link.created) {
      throw new UserFacingError(link.kind === 'owner' ? `**${channel.slug}** is this server's connected channel; its events already arrive.` : `This server already watches **${channel.slug}**.`);
    }
    // The guilds a broadcaster's events fan out to are cached: this guild joins them now.
    await ctx.fanOut.forget(channel.broadcasterUserId);
    await auditAction(ctx, call, 'kick.watch', { channel: channel.slug, broadcasterUserId: channel.broadcasterUserId });
    let note = '';
    try {
      const result = await ctx.subscriptions.sync(channel.broadcasterUserId);
      if (result.failed.length) note = `\n⚠️ Kick refused some events (${result.failed.map((f) => `${f.event}: ${f.error}`).join('; ')}); kickcord retries every 15 minutes.`;
    } catch (error) {
      ctx.logger.warn({ err: error, broadcasterUserId: channel.broadcasterUserId }, 'subscription sync after watch failed');
      note = '\n⚠️ Kick did not answer while subscribing; kickcord retries every 15 minutes.';
    }
    return {
      message: `👀 Watching **${channel.slug}**. Choose where announcements go with \`/announce set live #channel\`.${note}`,
      data: { slug: channel.slug, broadcasterUserId: channel.broadcasterUserId },
    };
  },
});

/** `/kick unwatch`, and the Overview's Unwatch button: stop announcing a watched channel. */
export const unwatchKickChannel = defineGuildAction({
  name: 'kick.unwatch',
  input: slugInput,
  async run(ctx, call, input) {
    const slug = parseChannelSlug(input.slug);
    const channel = await ctx.prisma.kickChannel.findUnique({ where: { slug } });
    const link = channel ? await ctx.prisma.guildChannelLink.findUnique({ where: { guildId_broadcasterUserId: { guildId: call.guildId, broadcasterUserId: channel.broadcasterUserId } } }) : null;
    if (!channel || !link) throw new UserFacingError(`This server does not watch "${slug}". See \`/kick status\` for what it watches.`);
    if (link.kind === 'owner') throw new UserFacingError(`**${slug}** is this server's connected channel. Use \`/kick disconnect\` to remove it.`);
    await unlinkWatch(ctx.prisma, { guildId: call.guildId, broadcasterUserId: channel.broadcasterUserId });
    await ctx.fanOut.forget(channel.broadcasterUserId);
    await auditAction(ctx, call, 'kick.unwatch', { channel: slug, broadcasterUserId: channel.broadcasterUserId });
    await ctx.subscriptions.sync(channel.broadcasterUserId).catch((error: unknown) => ctx.logger.warn({ err: error }, 'subscription sync after unwatch failed; reconcile will retry'));
    return { message: `Stopped watching **${slug}**.`, data: { slug } };
  },
});

/**
 * `/kick disconnect`, and the Overview's Disconnect button: revokes kickcord's access at Kick, deletes the streamer's
 * tokens and the connected channel's link (its subscriptions follow). Watched channels stay.
 */
export const disconnectKick = defineGuildAction({
  name: 'kick.disconnect',
  input: z.object({}),
  async run(ctx, call) {
    const [connection, linked] = await Promise.all([
      ctx.prisma.kickConnection.findUnique({ where: { guildId: call.guildId }, select: { channel: { select: { slug: true } } } }),
      ctx.prisma.guildChannelLink.findMany({ where: { guildId: call.guildId }, select: { broadcasterUserId: true } }),
    ]);
    const removed = await ctx.connections.disconnect(call.guildId);
    await ctx.fanOut.forget(...linked.map((l) => l.broadcasterUserId));
    if (!removed) throw new UserFacingError('This server has no Kick channel connected.');
    await auditAction(ctx, call, 'kick.disconnect', { channel: connection?.channel.slug ?? null });
    return { message: '🔌 Disconnected. kickcord’s access was revoked at Kick and its tokens deleted. Watched channels keep their announcements.' };
  },
});

/** Every Kick connection action. */
export const kickConnectionActions = [watchKickChannel, unwatchKickChannel, disconnectKick] as const;
