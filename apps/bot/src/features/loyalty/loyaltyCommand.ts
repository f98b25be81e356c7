import type { GuildSettings } from '@kickcord/db';
import { EmbedBuilder, InteractionContextType, MessageFlags, PermissionFlagsBits, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../../context.ts';
import type { SlashCommand } from '../../discord/SlashCommand.ts';
import { routeSubcommands } from '../../discord/subcommands.ts';
import { interactionCall, runGuildAction } from '../../guildActions/guildActionsProcessor.ts';
import { guildSettings } from '../../guildSettings.ts';
import { changeLoyaltySettings, usernameList, type LoyaltySettingsInput } from './loyaltyActions.ts';

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

export { describeUpdatedSettings, LOYALTY_SETTING_LABELS } from './loyaltyActions.ts';

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
  const input: LoyaltySettingsInput = {};
  const put = (key: keyof LoyaltySettingsInput, value: number | string | null) => {
    if (value !== null) (input as Record<string, unknown>)[key] = value;
  };
  put('activityWindowMinutes', o.getInteger('window'));
  put('pointsPerMinute', o.getInteger('rate'));
  put('subscriberMultiplier', o.getNumber('sub_multiplier'));
  put('maxMinutesPerStream', o.getInteger('max_minutes_per_stream'));
  put('maxPointsPerDay', o.getInteger('max_points_per_day'));
  put('followBonus', o.getInteger('follow_bonus'));
  put('subBonus', o.getInteger('sub_bonus'));
  put('renewalBonus', o.getInteger('renewal_bonus'));
  put('giftBonusPerSub', o.getInteger('gift_bonus'));
  put('kicksBonusPerUnit', o.getInteger('kicks_bonus'));
  put('commandPrefix', o.getString('prefix'));
  const exclude = usernameList(o.getString('exclude'));
  const include = usernameList(o.getString('include'));
  if (exclude.length) input.exclude = exclude;
  if (include.length) input.include = include;
  const outcome = await runGuildAction(ctx, changeLoyaltySettings, interactionCall(interaction), input);
  const updated = await guildSettings(ctx.prisma, interaction.guildId);
  await interaction.reply({ ...(outcome.message ? { content: outcome.message } : {}), embeds: [describeSettings(updated)], allowedMentions: { parse: [] }, flags: MessageFlags.Ephemeral });
}

/** `/loyalty settings` — moderators view and change watchtime, points and bonus settings. */
export const loyaltyCommand: SlashCommand = {
  data: data.toJSON(),
  moderatorOnly: true,
  ...routeSubcommands({ settings }),
};
