import { ANNOUNCEMENT_VARIABLES_BY_EVENT, compileTemplate, DEFAULT_ANNOUNCEMENT_TEMPLATES, renderTemplate } from '@kickcord/core';
import type { AnnouncementEvent } from '@kickcord/db';
import { EmbedBuilder } from 'discord.js';
import type { BotContext } from '../../context.ts';
import type { KickEventHandler } from '../../kickEvents/KickEventHandler.ts';
import { describeEvent, type AnnouncementFacts } from './describeEvent.ts';
import { postAnnouncement } from './postAnnouncement.ts';

const KICK_GREEN = 0x53fc18;

/** Renders a guild's template for an event (or the default); a template that no longer compiles falls back to the default. */
export function renderAnnouncement(kind: AnnouncementEvent, template: string | null | undefined, values: AnnouncementFacts['values']): string {
  const allowed = ANNOUNCEMENT_VARIABLES_BY_EVENT[kind];
  const compiled = compileTemplate(template ?? DEFAULT_ANNOUNCEMENT_TEMPLATES[kind], { allowed });
  const fallback = compileTemplate(DEFAULT_ANNOUNCEMENT_TEMPLATES[kind], { allowed });
  const use = compiled.ok ? compiled.template : fallback.ok ? fallback.template : undefined;
  return use ? renderTemplate(use, values, Math.random).trim() : String(values.streamer ?? '');
}

/** Channel details shown in the go-live embed when Kick answers in time. */
export interface LiveDetails {
  category?: string;
  viewers?: number;
  thumbnail?: string;
}

/** Looks up category, viewers and thumbnail; the announcement goes out without them if Kick is slow or down. */
export async function fetchLiveDetails(ctx: BotContext, broadcasterUserId: number): Promise<LiveDetails> {
  try {
    const [channel] = await ctx.kickApp.getChannels({ broadcasterUserIds: [broadcasterUserId] });
    return {
      ...(channel?.category?.name ? { category: channel.category.name } : {}),
      ...(channel?.stream?.viewerCount ? { viewers: channel.stream.viewerCount } : {}),
      ...(channel?.stream?.thumbnail ? { thumbnail: channel.stream.thumbnail } : {}),
    };
  } catch (error) {
    ctx.logger.debug({ err: error, broadcasterUserId }, 'channel details unavailable for live embed');
    return {};
  }
}

/** The go-live embed: title, category, viewers, thumbnail and a link to the channel. */
export function buildLiveEmbed(facts: AnnouncementFacts, details: LiveDetails = {}): EmbedBuilder {
  const embed = new EmbedBuilder()
    .setColor(KICK_GREEN)
    .setTitle((facts.live?.title || String(facts.values.title ?? 'Live on Kick')).slice(0, 256))
    .setURL(String(facts.values.url))
    .setAuthor({ name: `${String(facts.values.streamer)} is live on Kick` });
  if (facts.live?.startedAt) embed.setTimestamp(new Date(facts.live.startedAt));
  if (details.category) embed.addFields({ name: 'Category', value: details.category, inline: true });
  if (details.viewers) embed.addFields({ name: 'Viewers', value: String(details.viewers), inline: true });
  if (details.thumbnail) embed.setImage(details.thumbnail);
  return embed;
}

/**
 * What makes two deliveries "the same announcement": the Kick message id, except for a go-live, where Kick
 * re-sends the same stream start under new message ids — there it is the broadcaster and `started_at`
 * (normalised, so `…Z` and `….000Z` are one start). A go-live without `started_at` falls back to the message id.
 */
export function announcementKey(messageId: string, broadcasterUserId: number, facts: AnnouncementFacts): string {
  if (facts.kind !== 'live' || !facts.live?.startedAt) return messageId;
  const started = Date.parse(facts.live.startedAt);
  return `live:${broadcasterUserId}:${Number.isFinite(started) ? new Date(started).toISOString() : facts.live.startedAt}`;
}

/** Posts Discord announcements for every linked guild that has this event turned on. */
export const announcementHandler: KickEventHandler = {
  name: 'announcements',
  types: ['livestream.status.updated', 'channel.followed', 'channel.subscription.new', 'channel.subscription.renewal', 'channel.subscription.gifts', 'kicks.gifted', 'channel.reward.redemption.updated', 'moderation.banned'],
  async handle(ctx, input) {
    const facts = describeEvent(input.event);
    if (!facts || input.guilds.length === 0) return;
    const settings = await ctx.prisma.announcementSetting.findMany({
      where: { guildId: { in: input.guilds.map((g) => g.guildId) }, event: facts.kind, enabled: true, brokenReason: null },
    });
    if (settings.length === 0) return;
    let embed: EmbedBuilder | undefined;
    if (facts.kind === 'live') {
      const details = await fetchLiveDetails(ctx, input.broadcasterUserId);
      facts.values = { ...facts.values, category: details.category ?? '', viewers: details.viewers ?? '' };
      embed = buildLiveEmbed(facts, details);
    }
    const key = announcementKey(input.job.messageId, input.broadcasterUserId, facts);
    for (const setting of settings) {
      await postAnnouncement(ctx, {
        guildId: setting.guildId,
        kickMessageId: key,
        event: facts.kind,
        channelId: setting.discordChannelId,
        message: { content: renderAnnouncement(facts.kind, setting.template, facts.values), roleId: setting.roleId, ...(embed ? { embed } : {}) },
      });
    }
  },
};
