import { ANNOUNCEMENT_EVENTS, ANNOUNCEMENT_LABELS, ANNOUNCEMENT_VARIABLES_BY_EVENT, compileTemplate, DEFAULT_ANNOUNCEMENT_TEMPLATES } from '@kickcord/core';
import type { AnnouncementEvent } from '@kickcord/db';
import { parseKickEvent, samplePayloads } from '@kickcord/kick';
import { z } from 'zod';
import { auditAction, defineGuildAction } from '../../guildActions/GuildAction.ts';
import { requireGuildRole, requireGuildTextChannel } from '../../guildActions/guildDirectory.ts';
import { UserFacingError } from '../../UserFacingError.ts';
import { buildLiveEmbed, renderAnnouncement } from './announcementHandler.ts';
import { describeEvent } from './describeEvent.ts';
import { announcementNonce, brokenChannelReason, sendChannelMessage } from './postAnnouncement.ts';


/** Longest template a moderator may write (the slash command option's limit). */
export const MAX_TEMPLATE_LENGTH = 500;

/** Stream facts a sample go-live shows (a status event carries neither). */
const SAMPLE_STREAM = { category: 'Just Chatting', viewers: 1234 } as const;
/** How long a sample offline announcement says the stream ran. */
const SAMPLE_UPTIME_MS = (2 * 60 + 15) * 60_000;

/** The Kick event type whose sample payload demonstrates each announcement. */
const SAMPLE_EVENT: Record<AnnouncementEvent, keyof typeof samplePayloads> = {
  live: 'livestream.status.updated',
  offline: 'livestream.status.updated',
  follow: 'channel.followed',
  sub: 'channel.subscription.new',
  renewal: 'channel.subscription.renewal',
  gift: 'channel.subscription.gifts',
  kicks: 'kicks.gifted',
  redemption: 'channel.reward.redemption.updated',
  ban: 'moderation.banned',
};

const eventSchema = z.enum(ANNOUNCEMENT_EVENTS as unknown as [AnnouncementEvent, ...AnnouncementEvent[]], {
  error: () => `Unknown event. Choose one of: ${ANNOUNCEMENT_EVENTS.join(', ')}.`,
});
const snowflake = z.string().regex(/^\d{15,21}$/, 'must be a Discord id');
const templateSchema = z.string().trim().max(MAX_TEMPLATE_LENGTH, `A template is at most ${MAX_TEMPLATE_LENGTH} characters.`);

/** Throws the slash command's explanation when `template` does not compile for `event`. */
export function checkAnnouncementTemplate(event: AnnouncementEvent, template: string): void {
  const compiled = compileTemplate(template, { allowed: ANNOUNCEMENT_VARIABLES_BY_EVENT[event] });
  if (!compiled.ok) {
    throw new UserFacingError(
      `That template has a problem:\n${compiled.errors.map((e) => `• ${e.message}`).join('\n')}\nVariables for ${ANNOUNCEMENT_LABELS[event]}: ${ANNOUNCEMENT_VARIABLES_BY_EVENT[event].map((v) => `{${v}}`).join(' ')}`,
    );
  }
}

/** A sample of `event`'s announcement, rendered with `template` (null = the default), with its go-live embed. */
export function sampleAnnouncement(event: AnnouncementEvent, template: string | null, now = Date.now()): { text: string; embed?: ReturnType<typeof buildLiveEmbed> } {
  const sampleType = SAMPLE_EVENT[event];
  const payload = structuredClone(samplePayloads[sampleType]) as Record<string, unknown>;
  if (event === 'offline') Object.assign(payload, { is_live: false, started_at: new Date(now - SAMPLE_UPTIME_MS).toISOString(), ended_at: new Date(now).toISOString() });
  if (event === 'live') Object.assign(payload, { is_live: true, ended_at: null });
  if (event === 'redemption') Object.assign(payload, { status: 'pending' });
  const parsed = parseKickEvent(sampleType, '1', payload);
  const facts = parsed.ok ? describeEvent(parsed.event) : undefined;
  if (!facts) throw new UserFacingError('Could not build a sample for this event.');
  // A status event carries no category or viewer count (the real announcement has them from the channel): the
  // sample fills them in, so a template like "({category})" shows what it will look like instead of "()".
  const values = { ...facts.values, category: facts.values.category || SAMPLE_STREAM.category, viewers: facts.values.viewers || SAMPLE_STREAM.viewers };
  const embed = event === 'live' ? buildLiveEmbed({ ...facts, values }, SAMPLE_STREAM) : undefined;
  return { text: renderAnnouncement(event, template, values), ...(embed ? { embed } : {}) };
}

/** `/announce set`, and the dashboard's Save: where an event is announced, whom it pings, and its template. */
export const setAnnouncement = defineGuildAction({
  name: 'announcements.set',
  input: z.object({ event: eventSchema, channelId: snowflake, roleId: snowflake.nullable(), template: templateSchema.nullable() }),
  async run(ctx, call, input) {
    const template = input.template ? input.template : null;
    if (template) checkAnnouncementTemplate(input.event, template);
    if (input.roleId === call.guildId) throw new UserFacingError('Pinging @everyone is not supported; create a role for stream alerts and choose it.');
    const channel = await requireGuildTextChannel(ctx, call.guildId, input.channelId);
    if (input.roleId) await requireGuildRole(ctx, call.guildId, input.roleId);
    const key = { guildId_event: { guildId: call.guildId, event: input.event } };
    const before = await ctx.prisma.announcementSetting.findUnique({ where: key });
    await ctx.prisma.announcementSetting.upsert({
      where: key,
      create: { guildId: call.guildId, event: input.event, discordChannelId: channel.id, roleId: input.roleId, template, enabled: true },
      update: { discordChannelId: channel.id, roleId: input.roleId, template, enabled: true, brokenReason: null, brokenAt: null },
    });
    const changed = !before || !before.enabled || before.discordChannelId !== channel.id || before.roleId !== input.roleId || before.template !== template;
    if (changed) {
      await auditAction(ctx, call, 'announcements.set', {
        event: input.event,
        channel: { from: before?.enabled ? before.discordChannelId : null, to: channel.id },
        role: { from: before?.enabled ? before.roleId : null, to: input.roleId },
        template: { from: before?.enabled ? before.template : null, to: template },
      });
    }
    return {
      message: `✅ ${ANNOUNCEMENT_LABELS[input.event]} announcements will be posted in <#${channel.id}>${input.roleId ? ` pinging <@&${input.roleId}>` : ''}.\nTemplate: \`${template ?? DEFAULT_ANNOUNCEMENT_TEMPLATES[input.event]}\`${template ? '' : ' (default)'}`,
    };
  },
});

/** `/announce off`: stop announcing an event (the setting is kept, switched off). */
export const turnOffAnnouncement = defineGuildAction({
  name: 'announcements.off',
  input: z.object({ event: eventSchema }),
  async run(ctx, call, input) {
    const { count } = await ctx.prisma.announcementSetting.updateMany({ where: { guildId: call.guildId, event: input.event, enabled: true }, data: { enabled: false } });
    if (count) await auditAction(ctx, call, 'announcements.off', { event: input.event });
    return { message: count ? `🔕 ${ANNOUNCEMENT_LABELS[input.event]} announcements are off.` : `${ANNOUNCEMENT_LABELS[input.event]} announcements were not on.` };
  },
});

/** `/announce test`, and the dashboard's "Send a test": a sample in the configured channel that never pings. */
export const testAnnouncement = defineGuildAction({
  name: 'announcements.test',
  input: z.object({ event: eventSchema }),
  async run(ctx, call, input) {
    const setting = await ctx.prisma.announcementSetting.findUnique({ where: { guildId_event: { guildId: call.guildId, event: input.event } } });
    if (!setting) throw new UserFacingError(`${ANNOUNCEMENT_LABELS[input.event]} announcements are not set up. Use \`/announce set ${input.event} #channel\` first.`);
    const sample = sampleAnnouncement(input.event, setting.template, ctx.now().getTime());
    // The role is shown, never pinged: allowed mentions stay empty for a test.
    const content = `🧪 Test${setting.roleId ? ` (the real one pings <@&${setting.roleId}>)` : ''} — ${sample.text}`;
    try {
      await sendChannelMessage(ctx.discordRest, setting.discordChannelId, {
        content,
        roleId: null,
        nonce: announcementNonce(call.guildId, `test:${call.requestId}`),
        ...(sample.embed ? { embed: sample.embed } : {}),
      });
    } catch (error) {
      if (brokenChannelReason(error) === undefined) throw error;
      throw new UserFacingError(`I can't reach <#${setting.discordChannelId}> any more. Run \`/announce set ${input.event}\` with a channel I can post in.`);
    }
    return { message: `Posted a sample ${ANNOUNCEMENT_LABELS[input.event]} announcement in <#${setting.discordChannelId}>.` };
  },
});

/** The dashboard's live preview: the template checked and rendered with sample values (nothing is saved or posted). */
export const previewAnnouncement = defineGuildAction({
  name: 'announcements.preview',
  input: z.object({ event: eventSchema, template: templateSchema.nullable() }),
  async run(ctx, _call, input) {
    const template = input.template ? input.template : null;
    if (template) checkAnnouncementTemplate(input.event, template);
    const sample = sampleAnnouncement(input.event, template, ctx.now().getTime());
    const embed = sample.embed?.toJSON();
    return { message: sample.text, data: embed ? { title: embed.title ?? '', author: embed.author?.name ?? '', fields: (embed.fields ?? []).map((f) => ({ name: f.name, value: f.value })) } : null };
  },
});

/** Every announcement action. */
export const announcementActions = [setAnnouncement, turnOffAnnouncement, testAnnouncement, previewAnnouncement] as const;

/** Whether `value` names an announcement event. */
export function isAnnouncementEvent(value: string): value is AnnouncementEvent {
  return (ANNOUNCEMENT_EVENTS as readonly string[]).includes(value);
}

