import { createHash } from 'node:crypto';
import { CHAT_FILTER_DESCRIPTIONS, defangLinks, isChatFilterKind } from '@kickcord/core';
import type { ModerationAction } from '@kickcord/db';
import { ActionRowBuilder, ButtonBuilder, ButtonStyle, EmbedBuilder, Routes, type APIMessage, type RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import type { BotContext } from '../../context.ts';
import { describeAction } from './moderationActions.ts';

/** Custom id prefix of the mod log's buttons (routed to `/mod`'s button handler). */
export const MOD_LOG_PREFIX = 'modlog';

/** What a mod-log button does. */
export type ModLogVerb = 'undo' | 'timeout' | 'ban' | 'fp';

/** Custom id of a mod-log button for an action. */
export function modLogButtonId(verb: ModLogVerb, actionId: string): string {
  return `${MOD_LOG_PREFIX}:${verb}:${actionId}`;
}

/** Reads a mod-log button's custom id. */
export function parseModLogButtonId(customId: string): { verb: ModLogVerb; actionId: string } | null {
  const m = /^modlog:(undo|timeout|ban|fp):([0-9a-f-]{36})$/.exec(customId);
  return m ? { verb: m[1] as ModLogVerb, actionId: m[2] as string } : null;
}

/**
 * Whether a mod-log message's rows (as JSON) offer Undo, its button enabled; undefined when it has no Undo button.
 */
export function undoOfferedIn(rows: readonly unknown[]): boolean | undefined {
  for (const row of rows) {
    const components = (row as { components?: { custom_id?: string; disabled?: boolean }[] }).components;
    const undo = components?.find((c) => c.custom_id?.startsWith(`${MOD_LOG_PREFIX}:undo:`));
    if (undo) return !undo.disabled;
  }
  return undefined;
}

/** Lines the mod log adds under an action as moderators press its buttons. */
export type ModLogFollowUp = string;

/**
 * The mod-log message for an action: who, which filter, the excerpt with links defanged, what happened, and the
 * buttons. `undoable` overrides whether Undo (unban) is offered (after a Ban or Timeout pressed here, or an Undo).
 */
export function modLogMessage(action: ModerationAction, followUps: readonly ModLogFollowUp[] = [], undoable?: boolean): { embeds: ReturnType<EmbedBuilder['toJSON']>[]; components: ReturnType<ActionRowBuilder<ButtonBuilder>['toJSON']>[] } {
  const filter = action.filter && isChatFilterKind(action.filter) ? `${action.filter} — ${CHAT_FILTER_DESCRIPTIONS[action.filter].title}` : null;
  const outcome = action.status === 'done' ? `✅ ${describeAction(action)}` : `⚠️ not done: ${action.error ?? 'Kick refused'}`;
  const by = action.discordUserId ? `<@${action.discordUserId}>` : filter ? 'chat filter' : 'kickcord';
  const embed = new EmbedBuilder()
    .setTitle(`🛡️ ${action.kickUsername} — ${describeAction(action)}`)
    .setColor(action.status !== 'done' ? 0x9b9b9b : action.kind === 'ban' ? 0xe74c3c : action.kind === 'timeout' ? 0xf5a623 : action.kind === 'unban' ? 0x53fc18 : 0x3498db)
    .addFields({ name: 'Viewer', value: `${action.kickUsername} (Kick id ${action.kickUserId})`, inline: true }, { name: 'By', value: by, inline: true }, { name: 'Action', value: outcome.slice(0, 1024) })
    .setFooter({ text: `Action ${action.id.slice(0, 8)}` })
    .setTimestamp(action.createdAt);
  if (filter) embed.addFields({ name: 'Filter', value: filter.slice(0, 1024) });
  if (action.excerpt) embed.addFields({ name: 'Message', value: `\`\`\`${defangLinks(action.excerpt).replace(/`/g, "'").slice(0, 1000)}\`\`\`` });
  if (action.reason) embed.addFields({ name: 'Reason', value: action.reason.slice(0, 1024) });
  if (action.falsePositive) embed.addFields({ name: 'False positive', value: `Marked by ${action.falsePositiveBy ? `<@${action.falsePositiveBy}>` : 'a moderator'}` });
  if (followUps.length) embed.addFields({ name: 'Moderators', value: followUps.join('\n').slice(-1024) });
  const canUndo = undoable ?? (action.status === 'done' && (action.kind === 'timeout' || action.kind === 'ban'));
  const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder().setCustomId(modLogButtonId('undo', action.id)).setLabel('Undo (unban)').setStyle(ButtonStyle.Secondary).setDisabled(!canUndo),
    new ButtonBuilder().setCustomId(modLogButtonId('timeout', action.id)).setLabel('Timeout 10 min').setStyle(ButtonStyle.Primary).setDisabled(action.kind === 'unban'),
    new ButtonBuilder().setCustomId(modLogButtonId('ban', action.id)).setLabel('Ban').setStyle(ButtonStyle.Danger).setDisabled(action.kind === 'unban'),
    new ButtonBuilder().setCustomId(modLogButtonId('fp', action.id)).setLabel('Mark false positive').setStyle(ButtonStyle.Secondary).setDisabled(action.source !== 'filter' || action.falsePositive),
  );
  return { embeds: [embed.toJSON()], components: [row.toJSON()] };
}

/** The guild's mod-log channel (GuildSettings.modLogChannelId), or null. */
export async function modLogChannelOf(ctx: BotContext, guildId: string): Promise<string | null> {
  const settings = await ctx.prisma.guildSettings.findUnique({ where: { guildId }, select: { modLogChannelId: true } });
  return settings?.modLogChannelId ?? null;
}

/**
 * Posts an action to the guild's mod log (when it has one), once: the message id is stored on the action, and
 * a retry re-posts with the same nonce, which Discord answers with the message it already made. A failure is
 * logged; the action stands either way.
 */
export async function postToModLog(ctx: BotContext, action: ModerationAction): Promise<void> {
  if (action.modLogMessageId) return;
  const channelId = await modLogChannelOf(ctx, action.guildId);
  if (!channelId) return;
  const body: RESTPostAPIChannelMessageJSONBody = {
    ...modLogMessage(action),
    allowed_mentions: { parse: [] },
    nonce: createHash('sha256').update(`modlog:${action.id}`).digest('hex').slice(0, 25),
    enforce_nonce: true,
  };
  try {
    const message = (await ctx.discordRest.post(Routes.channelMessages(channelId), { body })) as APIMessage;
    await ctx.prisma.moderationAction.updateMany({ where: { id: action.id, modLogMessageId: null }, data: { modLogMessageId: message.id, modLogChannelId: channelId } });
  } catch (error) {
    ctx.logger.warn({ err: error, guildId: action.guildId, channelId, actionId: action.id }, 'could not post a moderation action to the mod log');
  }
}
