import { OVERLAY_ALERT_KINDS, OVERLAY_SOUNDS } from '@kickcord/queue';
import { EmbedBuilder, InteractionContextType, MessageFlags, PermissionFlagsBits, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../../context.ts';
import type { SlashCommand } from '../../discord/SlashCommand.ts';
import { routeSubcommands } from '../../discord/subcommands.ts';
import { interactionCall, runGuildAction } from '../../guildActions/guildActionsProcessor.ts';
import { overlayAlertsAction, overlayGoalAction, overlayKeyAction, overlayRotateAction, overlayTestAction } from './overlayActions.ts';
import { liveOverlayKey } from './overlayKeys.ts';
import { ALERT_DURATION_SECONDS, ALERT_LABELS, DEFAULT_ALERTS, GOAL_KINDS, GOAL_LABELS, MAX_ALERT_TEMPLATE_LENGTH, MAX_GOAL_LABEL_LENGTH, MAX_GOAL_TARGET, parseAlertSettings, parseGoal } from './overlaySettings.ts';

const kindChoices = OVERLAY_ALERT_KINDS.map((k) => ({ name: ALERT_LABELS[k], value: k }));
const soundChoices = [{ name: 'No sound', value: 'none' }, ...OVERLAY_SOUNDS.map((s) => ({ name: s, value: s }))];
const goalChoices = GOAL_KINDS.map((k) => ({ name: GOAL_LABELS[k], value: k }));

const data = new SlashCommandBuilder()
  .setName('overlay')
  .setDescription('OBS overlays: alerts, chat box, goal bar and more for your stream')
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild)
  .addSubcommand((s) => s.setName('url').setDescription('Show the overlay URLs for OBS (made on first use, shown once)'))
  .addSubcommand((s) => s.setName('rotate').setDescription('Make new overlay URLs; the old ones stop working at once'))
  .addSubcommand((s) =>
    s
      .setName('alert')
      .setDescription('Change one kind of alert')
      .addStringOption((o) => o.setName('kind').setDescription('Which alert').setRequired(true).addChoices(...kindChoices))
      .addBooleanOption((o) => o.setName('enabled').setDescription('Show this alert'))
      .addStringOption((o) => o.setName('template').setDescription('Text, e.g. "{user} just followed!" ("default" = the default)').setMaxLength(MAX_ALERT_TEMPLATE_LENGTH))
      .addStringOption((o) => o.setName('sound').setDescription('Sound to play').addChoices(...soundChoices))
      .addIntegerOption((o) => o.setName('duration').setDescription('Seconds on screen').setMinValue(ALERT_DURATION_SECONDS.min).setMaxValue(ALERT_DURATION_SECONDS.max)),
  )
  .addSubcommand((s) =>
    s
      .setName('goal')
      .setDescription('Set the goal bar')
      .addStringOption((o) => o.setName('kind').setDescription('What it counts').setRequired(true).addChoices(...goalChoices))
      .addIntegerOption((o) => o.setName('target').setDescription('The goal').setRequired(true).setMinValue(1).setMaxValue(MAX_GOAL_TARGET))
      .addStringOption((o) => o.setName('label').setDescription('Its label, e.g. "Road to 100 subs"').setMaxLength(MAX_GOAL_LABEL_LENGTH))
      .addStringOption((o) => o.setName('since').setDescription('Count from this date (2025-06-01) or "now"').setMaxLength(40)),
  )
  .addSubcommand((s) =>
    s
      .setName('test')
      .setDescription('Show a test alert on your overlays')
      .addStringOption((o) => o.setName('kind').setDescription('Which alert').setRequired(true).addChoices(...kindChoices)),
  )
  .addSubcommand((s) => s.setName('settings').setDescription('Show the overlay settings'));

const ephemeral = { flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } } as const;

async function url(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const outcome = await runGuildAction(ctx, overlayKeyAction, interactionCall(interaction), {});
  await interaction.reply({ content: outcome.message, ...ephemeral });
}

async function rotate(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const outcome = await runGuildAction(ctx, overlayRotateAction, interactionCall(interaction), {});
  await interaction.reply({ content: outcome.message, ...ephemeral });
}

async function alert(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const template = interaction.options.getString('template');
  const enabled = interaction.options.getBoolean('enabled');
  const sound = interaction.options.getString('sound');
  const duration = interaction.options.getInteger('duration');
  const outcome = await runGuildAction(ctx, overlayAlertsAction, interactionCall(interaction), {
    kind: interaction.options.getString('kind', true) as (typeof OVERLAY_ALERT_KINDS)[number],
    ...(enabled !== null ? { enabled } : {}),
    ...(template !== null ? { template: template.trim().toLowerCase() === 'default' ? null : template } : {}),
    ...(sound !== null ? { sound } : {}),
    ...(duration !== null ? { durationSeconds: duration } : {}),
  });
  await interaction.reply({ content: outcome.message, ...ephemeral });
}

async function goal(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const outcome = await runGuildAction(ctx, overlayGoalAction, interactionCall(interaction), {
    kind: interaction.options.getString('kind', true) as (typeof GOAL_KINDS)[number],
    target: interaction.options.getInteger('target', true),
    label: interaction.options.getString('label'),
    since: interaction.options.getString('since'),
  });
  await interaction.reply({ content: outcome.message, ...ephemeral });
}

async function test(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const outcome = await runGuildAction(ctx, overlayTestAction, interactionCall(interaction), { kind: interaction.options.getString('kind', true) as (typeof OVERLAY_ALERT_KINDS)[number] });
  await interaction.reply({ content: outcome.message, ...ephemeral });
}

async function settings(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const [key, row] = await Promise.all([liveOverlayKey(ctx.prisma, interaction.guildId), ctx.prisma.overlaySettings.findUnique({ where: { guildId: interaction.guildId } })]);
  const alerts = parseAlertSettings(row?.alerts ?? null);
  const goalSetting = parseGoal(row?.goal ?? null);
  const embed = new EmbedBuilder()
    .setTitle('Overlays')
    .setColor(0x53fc18)
    .setDescription(key ? `Key made ${key.createdAt.toISOString().slice(0, 10)}. Lost the URLs? \`/overlay rotate\`.` : 'No key yet: `/overlay url` makes one and shows the URLs.');
  for (const kind of OVERLAY_ALERT_KINDS) {
    const s = alerts[kind];
    embed.addFields({ name: ALERT_LABELS[kind], value: `${s.enabled ? 'on' : '🔕 off'} · ${s.sound ?? 'no sound'} · ${s.durationMs / 1000} s\n\`${s.template ?? DEFAULT_ALERTS[kind].template}\`` });
  }
  embed.addFields({ name: 'Goal bar', value: goalSetting ? `${goalSetting.label}: ${goalSetting.target} ${goalSetting.kind} since ${goalSetting.since.slice(0, 10)}` : 'not set (`/overlay goal`)' });
  await interaction.reply({ embeds: [embed], ...ephemeral });
}

/** `/overlay url|rotate|alert|goal|test|settings` — managers set up the OBS overlays; every answer is ephemeral. */
export const overlayCommand: SlashCommand = {
  data: data.toJSON(),
  moderatorOnly: true,
  ...routeSubcommands({ url, rotate, alert, goal, test, settings }),
};
