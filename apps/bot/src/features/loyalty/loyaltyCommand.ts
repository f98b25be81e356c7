import { validateEventBonusSettings, validateLoyaltySettings, validatePrefix, type EventBonusSettings, type LoyaltySettings } from '@kickcord/core';
import { auditChanges, recordAudit, type AuditDetailValue, type GuildSettings } from '@kickcord/db';
import { EmbedBuilder, InteractionContextType, MessageFlags, PermissionFlagsBits, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../../context.ts';
import type { SlashCommand } from '../../discord/SlashCommand.ts';
import { routeSubcommands } from '../../discord/subcommands.ts';
import { forgetGuildSettings, guildSettings } from '../../guildSettings.ts';
import { UserFacingError } from '../../UserFacingError.ts';

const data = new SlashCommandBuilder()
  .setName('loyalty')
  .setDescription('Watchtime and points settings')
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild)
  .addSubcommand((s) =>
    s
      .setName('settings')
      .setDescription('Show the loyalty settings, or change the ones you pass')
      .addIntegerOption((o) => o.setName('window').setDescription('Activity window in minutes: a viewer who chatted within it counts as watching (1–60)').setMinValue(1).setMaxValue(60))
      .addIntegerOption((o) => o.setName('rate').setDescription('Points per active minute (0–1000)').setMinValue(0).setMaxValue(1000))
      .addNumberOption((o) => o.setName('sub_multiplier').setDescription('Points multiplier for subscribers (1–10, e.g. 1.5)').setMinValue(1).setMaxValue(10))
      .addIntegerOption((o) => o.setName('max_minutes_per_stream').setDescription('Most active minutes a viewer earns per stream (0 = no cap)').setMinValue(0))
      .addIntegerOption((o) => o.setName('max_points_per_day').setDescription('Most watch points a viewer earns per UTC day (0 = no cap)').setMinValue(0))
      .addIntegerOption((o) => o.setName('follow_bonus').setDescription('Points for following (once per viewer, ever; 0 = off)').setMinValue(0))
      .addIntegerOption((o) => o.setName('sub_bonus').setDescription('Points for a new subscription (0 = off)').setMinValue(0))
      .addIntegerOption((o) => o.setName('renewal_bonus').setDescription('Points for a renewed subscription (0 = off)').setMinValue(0))
      .addIntegerOption((o) => o.setName('gift_bonus').setDescription('Points to the gifter per gifted sub (0 = off)').setMinValue(0))
      .addIntegerOption((o) => o.setName('kicks_bonus').setDescription('Points per Kick gifted (0 = off)').setMinValue(0))
      .addStringOption((o) => o.setName('prefix').setDescription('Chat command prefix, e.g. ! or ?').setMaxLength(3))
      .addStringOption((o) => o.setName('exclude').setDescription('Kick usernames that never earn (comma separated) — added to the list').setMaxLength(1000))
      .addStringOption((o) => o.setName('include').setDescription('Kick usernames to remove from the excluded list (comma separated)').setMaxLength(1000)),
  );

function names(raw: string | null): string[] {
  return (raw ?? '')
    .split(/[,\s]+/)
    .map((n) => n.trim())
    .filter((n) => n.length > 0);
}

/** A setting `/loyalty settings` changes, as the moderator reads it (the settings embed's words, never a column name). */
export const LOYALTY_SETTING_LABELS: Record<keyof LoyaltySettings | keyof EventBonusSettings | 'commandPrefix', string> = {
  activityWindowMinutes: 'activity window',
  pointsPerMinute: 'points per minute',
  subscriberMultiplier: 'subscriber multiplier',
  maxMinutesPerStream: 'max minutes per stream',
  maxPointsPerDay: 'max points per day',
  excludedUsernames: 'excluded accounts',
  followBonus: 'follow bonus',
  subBonus: 'sub bonus',
  renewalBonus: 'renewal bonus',
  giftBonusPerSub: 'bonus per gifted sub',
  kicksBonusPerUnit: 'bonus per Kick',
  commandPrefix: 'command prefix',
};

/** `✅ Updated: points per minute, follow bonus.` for the settings a change touched (empty when none). */
export function describeUpdatedSettings(changed: readonly string[]): string {
  const labels = changed.map((key) => (LOYALTY_SETTING_LABELS as Record<string, string>)[key] ?? key.replace(/([a-z])([A-Z])/gu, '$1 $2').toLowerCase());
  return labels.length ? `✅ Updated: ${labels.join(', ')}.` : '';
}

function describeSettings(s: GuildSettings): EmbedBuilder {
  const cap = (n: number, unit: string) => (n > 0 ? `${n.toLocaleString('en-US')} ${unit}` : 'no cap');
  const bonus = (n: number) => (n > 0 ? `${n.toLocaleString('en-US')}` : 'off');
  return new EmbedBuilder()
    .setColor(0x53fc18)
    .setTitle('Loyalty settings')
    .setDescription(
      'Watchtime is **active minutes**: Kick publishes no viewer list, so while the stream is live a viewer earns a minute when they chatted within the activity window.',
    )
    .addFields(
      { name: 'Activity window', value: `${s.activityWindowMinutes} min`, inline: true },
      { name: 'Points per minute', value: String(s.pointsPerMinute), inline: true },
      { name: 'Subscriber multiplier', value: `×${s.subscriberMultiplier}`, inline: true },
      { name: 'Max minutes per stream', value: cap(s.maxMinutesPerStream, 'min'), inline: true },
      { name: 'Max points per day', value: cap(s.maxPointsPerDay, 'points'), inline: true },
      { name: 'Command prefix', value: `\`${s.commandPrefix}\``, inline: true },
      {
        name: 'Event bonuses',
        value: `follow ${bonus(s.followBonus)} · sub ${bonus(s.subBonus)} · renewal ${bonus(s.renewalBonus)} · per gifted sub ${bonus(s.giftBonusPerSub)} · per Kick ${bonus(s.kicksBonusPerUnit)}`,
      },
      { name: 'Excluded accounts', value: s.excludedUsernames.length ? s.excludedUsernames.join(', ').slice(0, 1000) : 'none (the broadcaster and known bots never earn)' },
    );
}

async function settings(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const o = interaction.options;
  const current = await guildSettings(ctx.prisma, interaction.guildId);
  const loyalty: { -readonly [K in keyof LoyaltySettings]?: LoyaltySettings[K] } = {};
  const bonuses: { -readonly [K in keyof EventBonusSettings]?: EventBonusSettings[K] } = {};
  const setInt = <T extends object>(target: T, key: keyof T, option: string) => {
    const v = o.getInteger(option);
    if (v !== null) (target as Record<keyof T, unknown>)[key] = v;
  };
  setInt(loyalty, 'activityWindowMinutes', 'window');
  setInt(loyalty, 'pointsPerMinute', 'rate');
  const mult = o.getNumber('sub_multiplier');
  if (mult !== null) loyalty.subscriberMultiplier = mult;
  setInt(loyalty, 'maxMinutesPerStream', 'max_minutes_per_stream');
  setInt(loyalty, 'maxPointsPerDay', 'max_points_per_day');
  setInt(bonuses, 'followBonus', 'follow_bonus');
  setInt(bonuses, 'subBonus', 'sub_bonus');
  setInt(bonuses, 'renewalBonus', 'renewal_bonus');
  setInt(bonuses, 'giftBonusPerSub', 'gift_bonus');
  setInt(bonuses, 'kicksBonusPerUnit', 'kicks_bonus');
  const exclude = names(o.getString('exclude'));
  const include = names(o.getString('include')).map((n) => n.replace(/^@+/, '').toLowerCase());
  if (exclude.length || include.length) {
    loyalty.excludedUsernames = [...current.excludedUsernames, ...exclude].filter((n) => !include.includes(n.replace(/^@+/, '').toLowerCase()));
  }
  const prefixRaw = o.getString('prefix');

  const errors: string[] = [];
  const l = validateLoyaltySettings(loyalty);
  if (!l.ok) errors.push(...l.errors);
  const b = validateEventBonusSettings(bonuses);
  if (!b.ok) errors.push(...b.errors);
  let prefix: string | undefined;
  if (prefixRaw !== null) {
    const p = validatePrefix(prefixRaw.trim());
    if (p.ok) prefix = p.prefix;
    else errors.push(p.error);
  }
  if (errors.length) throw new UserFacingError(`Nothing was changed:\n${errors.map((e) => `• ${e}`).join('\n')}`);

  const patch = { ...(l.ok ? l.settings : {}), ...bonuses, ...(prefix !== undefined ? { commandPrefix: prefix } : {}) };
  const changed = Object.keys(patch);
  const { excludedUsernames, ...otherChanges } = patch;
  const data = { ...otherChanges, ...(excludedUsernames ? { excludedUsernames: [...excludedUsernames] } : {}) };
  const updated = changed.length ? await ctx.prisma.guildSettings.update({ where: { guildId: interaction.guildId }, data }) : current;
  if (changed.length) {
    await forgetGuildSettings(ctx, interaction.guildId);
    const before = Object.fromEntries(changed.map((key) => [key, current[key as keyof typeof current]])) as Record<string, AuditDetailValue>;
    await recordAudit(ctx.prisma, {
      guildId: interaction.guildId,
      actorId: interaction.user.id,
      actorName: interaction.user.username,
      source: 'discord',
      action: 'loyalty.settings',
      detail: auditChanges(before, data as Record<string, AuditDetailValue>),
    });
  }
  await interaction.reply({ ...(changed.length ? { content: describeUpdatedSettings(changed) } : {}), embeds: [describeSettings(updated)], allowedMentions: { parse: [] }, flags: MessageFlags.Ephemeral });
}

/** `/loyalty settings` — moderators view and change watchtime, points and bonus settings. */
export const loyaltyCommand: SlashCommand = {
  data: data.toJSON(),
  moderatorOnly: true,
  ...routeSubcommands({ settings }),
};
