/**
 * `/rewards` (moderators): the connected channel's Kick channel rewards — list, create, edit, delete, pause — what
 * kickcord does when one is redeemed (`actions`), where redemptions wait (`channel`), and the reward queue; plus
 * the Accept and Reject buttons on each waiting redemption.
 */
import {
  ChannelType,
  EmbedBuilder,
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
  time,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type SlashCommandSubcommandBuilder,
} from 'discord.js';
import { KickApiClient } from '@kickcord/kick';
import type { BotContext } from '../../context.ts';
import type { SlashCommand } from '../../discord/SlashCommand.ts';
import { routeSubcommands } from '../../discord/subcommands.ts';
import { interactionCall, runGuildAction } from '../../guildActions/guildActionsProcessor.ts';
import { UserFacingError } from '../../UserFacingError.ts';
import { REWARDS_READ_SCOPE, REWARDS_WRITE_SCOPE } from './kickRewards.ts';
import { redemptionMessage, REWARDS_COMPONENT_PREFIX } from './redemptionMessage.ts';
import {
  createReward,
  decideRedemptionAction,
  deleteReward,
  editReward,
  finishQueueEntry,
  listRewards,
  MAX_REWARD_POINTS,
  pauseReward,
  REWARD_DESCRIPTION_MAX as DESCRIPTION_MAX,
  REWARD_TITLE_MAX as TITLE_MAX,
  setRewardActions,
  setRewardsChannel,
} from './rewardGuildActions.ts';

/** How long reward autocomplete waits for Kick. */
const AUTOCOMPLETE_KICK_TIMEOUT_MS = 2_000;
/** Queue entries one `/rewards queue` shows. */
const QUEUE_PAGE = 20;

function rewardOption(s: SlashCommandSubcommandBuilder): SlashCommandSubcommandBuilder {
  return s.addStringOption((o) => o.setName('reward').setDescription('The reward').setRequired(true).setMaxLength(100).setAutocomplete(true));
}

/** Options `create` and `edit` share (required ones only when creating). */
function fieldOptions(s: SlashCommandSubcommandBuilder, creating: boolean): SlashCommandSubcommandBuilder {
  return s
    .addStringOption((o) => o.setName('title').setDescription('What viewers see on Kick').setRequired(creating).setMaxLength(TITLE_MAX))
    .addIntegerOption((o) => o.setName('cost').setDescription('Kick channel points it costs').setRequired(creating).setMinValue(1))
    .addStringOption((o) => o.setName('description').setDescription('A short description').setMaxLength(DESCRIPTION_MAX))
    .addStringOption((o) => o.setName('colour').setDescription('Background colour, e.g. #00e701').setMaxLength(7))
    .addBooleanOption((o) => o.setName('user-input').setDescription('Ask the viewer for text when redeeming'))
    .addBooleanOption((o) => o.setName('skip-queue').setDescription("Accept redemptions at once (skip Kick's request queue)"))
    .addBooleanOption((o) => o.setName('enabled').setDescription('Show the reward to viewers'));
}

const data = new SlashCommandBuilder()
  .setName('rewards')
  .setDescription("The Kick channel's channel-point rewards")
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(InteractionContextType.Guild)
  .addSubcommand((s) => s.setName('list').setDescription('Every reward on Kick with its kickcord actions'))
  .addSubcommand((s) => fieldOptions(s.setName('create').setDescription('Create a reward on Kick'), true))
  .addSubcommand((s) => fieldOptions(rewardOption(s.setName('edit').setDescription('Change a reward on Kick')), false))
  .addSubcommand((s) => rewardOption(s.setName('delete').setDescription('Delete a reward on Kick')))
  .addSubcommand((s) =>
    rewardOption(s.setName('pause').setDescription('Pause a reward on Kick (or resume it)')).addBooleanOption((o) => o.setName('paused').setDescription('False resumes it (default: pause)')),
  )
  .addSubcommand((s) =>
    rewardOption(s.setName('actions').setDescription('What kickcord does when the reward is redeemed (no options: show)'))
      .addIntegerOption((o) => o.setName('points').setDescription('kickcord points for the redeemer (0: none)').setMinValue(0).setMaxValue(MAX_REWARD_POINTS))
      .addRoleOption((o) => o.setName('role').setDescription("Discord role for the redeemer's linked account"))
      .addChannelOption((o) => o.setName('post-channel').setDescription('Post each redemption in this channel').addChannelTypes(ChannelType.GuildText))
      .addStringOption((o) => o.setName('post-message').setDescription('The post, with {user} {reward} {input} {cost} ("-": the default)').setMaxLength(500))
      .addBooleanOption((o) => o.setName('queue').setDescription('Add each redemption to the reward queue'))
      .addBooleanOption((o) => o.setName('auto-accept').setDescription('Accept on Kick when every action succeeds'))
      .addBooleanOption((o) => o.setName('auto-reject').setDescription('Reject on Kick when an action fails (Kick refunds the viewer)'))
      .addBooleanOption((o) => o.setName('clear').setDescription('Remove every action first')),
  )
  .addSubcommand((s) =>
    s
      .setName('channel')
      .setDescription('Where redemptions wait for a moderator (Accept / Reject)')
      .addChannelOption((o) => o.setName('channel').setDescription("The moderators' channel").addChannelTypes(ChannelType.GuildText).setRequired(true)),
  )
  .addSubcommand((s) =>
    s
      .setName('queue')
      .setDescription('The reward queue (redemptions whose reward adds them)')
      .addIntegerOption((o) => o.setName('done').setDescription('Mark entry # done').setMinValue(1)),
  );

/** The reward fields given as options (absent ones left out), as the reward actions take them. */
function fieldsFrom(interaction: ChatInputCommandInteraction<'cached'>) {
  const o = interaction.options;
  const title = o.getString('title');
  const cost = o.getInteger('cost');
  const description = o.getString('description');
  const colour = o.getString('colour');
  const userInput = o.getBoolean('user-input');
  const skipQueue = o.getBoolean('skip-queue');
  const enabled = o.getBoolean('enabled');
  return {
    ...(title !== null ? { title } : {}),
    ...(cost !== null ? { cost } : {}),
    ...(description !== null ? { description } : {}),
    ...(colour !== null ? { colour } : {}),
    ...(userInput !== null ? { userInput } : {}),
    ...(skipQueue !== null ? { skipQueue } : {}),
    ...(enabled !== null ? { enabled } : {}),
  };
}

async function list(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const outcome = await runGuildAction(ctx, listRewards, interactionCall(interaction), {});
  const embed = new EmbedBuilder().setTitle('🎁 Kick channel rewards').setDescription(outcome.message.slice(0, 4000)).setColor(0x53fc18);
  await interaction.editReply({ embeds: [embed], allowedMentions: { parse: [] } });
}

async function create(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const fields = fieldsFrom(interaction);
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const outcome = await runGuildAction(ctx, createReward, interactionCall(interaction), { ...fields, title: fields.title ?? '', cost: fields.cost ?? 0 });
  await interaction.editReply({ content: outcome.message, allowedMentions: { parse: [] } });
}

async function edit(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const fields = fieldsFrom(interaction);
  if (Object.keys(fields).length === 0) throw new UserFacingError('Give at least one thing to change (title, cost, description, colour, user-input, skip-queue or enabled).');
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const outcome = await runGuildAction(ctx, editReward, interactionCall(interaction), { reward: interaction.options.getString('reward', true), ...fields });
  await interaction.editReply({ content: outcome.message, allowedMentions: { parse: [] } });
}

async function remove(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const outcome = await runGuildAction(ctx, deleteReward, interactionCall(interaction), { reward: interaction.options.getString('reward', true) });
  await interaction.editReply({ content: outcome.message, allowedMentions: { parse: [] } });
}

async function pause(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const outcome = await runGuildAction(ctx, pauseReward, interactionCall(interaction), { reward: interaction.options.getString('reward', true), paused: interaction.options.getBoolean('paused') ?? true });
  await interaction.editReply({ content: outcome.message, allowedMentions: { parse: [] } });
}

async function actions(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const o = interaction.options;
  const points = o.getInteger('points');
  const role = o.getRole('role');
  const channel = o.getChannel('post-channel');
  const message = o.getString('post-message');
  const queue = o.getBoolean('queue');
  const autoAccept = o.getBoolean('auto-accept');
  const autoReject = o.getBoolean('auto-reject');
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const outcome = await runGuildAction(ctx, setRewardActions, interactionCall(interaction), {
    reward: o.getString('reward', true),
    ...(o.getBoolean('clear') ? { clear: true } : {}),
    ...(points !== null ? { points } : {}),
    ...(role ? { roleId: role.id } : {}),
    ...(channel ? { postChannelId: channel.id } : {}),
    ...(message !== null ? { postMessage: message } : {}),
    ...(queue !== null ? { queue } : {}),
    ...(autoAccept !== null ? { autoAccept } : {}),
    ...(autoReject !== null ? { autoReject } : {}),
  });
  await interaction.editReply({ content: outcome.message, allowedMentions: { parse: [] } });
}

async function channel(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const outcome = await runGuildAction(ctx, setRewardsChannel, interactionCall(interaction), { channelId: interaction.options.getChannel('channel', true).id });
  await interaction.reply({ content: outcome.message, flags: MessageFlags.Ephemeral });
}

async function queue(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const guildId = interaction.guildId;
  const done = interaction.options.getInteger('done');
  if (done !== null) {
    const outcome = await runGuildAction(ctx, finishQueueEntry, interactionCall(interaction), { position: done });
    await interaction.reply({ content: outcome.message, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
    return;
  }
  const waiting = { guildId, queuedAt: { not: null }, queueDoneAt: null } as const;
  const [entries, total] = await Promise.all([
    ctx.prisma.channelRewardRedemption.findMany({ where: waiting, orderBy: [{ queuedAt: 'asc' }, { redeemedAt: 'asc' }], take: QUEUE_PAGE }),
    ctx.prisma.channelRewardRedemption.count({ where: waiting }),
  ]);
  const lines = entries.map((e, i) => `#${i + 1} **${e.rewardTitle}** — ${e.username}${e.userInput ? `: “${e.userInput.slice(0, 100)}”` : ''} · ${time(e.redeemedAt, 'R')}`);
  const embed = new EmbedBuilder()
    .setTitle(`📋 Reward queue (${total})`)
    .setDescription(lines.length > 0 ? `${lines.join('\n')}${total > entries.length ? `\n… and ${total - entries.length} more` : ''}\nMark one done with \`/rewards queue done:<#>\`.`.slice(0, 4000) : 'The reward queue is empty.')
    .setColor(0x53fc18);
  await interaction.reply({ embeds: [embed], flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
}

/** Rewards by title from Kick (needs the streamer's token); nothing when Kick or the scope is not there. */
async function autocomplete(interaction: AutocompleteInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const typed = String(interaction.options.getFocused()).trim().toLowerCase();
  const connection = await ctx.prisma.kickConnection.findUnique({ where: { guildId: interaction.guildId }, select: { scopes: true } });
  const canRead = connection?.scopes.some((s) => s === REWARDS_READ_SCOPE || s === REWARDS_WRITE_SCOPE) ?? false;
  // Discord waits 3 s for choices: one quick attempt, no retries.
  const client = new KickApiClient({ apiUrl: ctx.env.KICK_API_URL, token: () => ctx.connections.getValidAccessToken(interaction.guildId), maxRetries: 0, timeoutMs: AUTOCOMPLETE_KICK_TIMEOUT_MS });
  const rewards = canRead ? await client.listRewards().catch(() => []) : [];
  await interaction.respond(rewards.filter((r) => r.title.toLowerCase().includes(typed)).slice(0, 25).map((r) => ({ name: r.title.slice(0, 100), value: r.id })));
}

/**
 * Accept / Reject on a waiting redemption: the same action as the dashboard's, decided at Kick; the message then
 * shows who decided, and a refusal (decided already, or Kick's) is told to the moderator alone.
 */
async function onButton(interaction: ButtonInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const [, action, redemptionId] = interaction.customId.split(':');
  if ((action !== 'accept' && action !== 'reject') || !redemptionId) return;
  await interaction.deferUpdate();
  let refusal: string | null = null;
  try {
    await runGuildAction(ctx, decideRedemptionAction, interactionCall(interaction), { redemptionId, decision: action });
  } catch (error) {
    if (!(error instanceof UserFacingError)) throw error;
    refusal = error.message;
  }
  const redemption = await ctx.prisma.channelRewardRedemption.findUnique({ where: { guildId_redemptionId: { guildId: interaction.guildId, redemptionId } } });
  if (redemption) await interaction.editReply({ ...redemptionMessage(redemption), allowedMentions: { parse: [] } });
  if (refusal) await interaction.followUp({ content: refusal, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
}

/** `/rewards list|create|edit|delete|pause|actions|channel|queue` and the redemption buttons. */
export const rewardsCommand: SlashCommand = {
  data: data.toJSON(),
  moderatorOnly: true,
  ...routeSubcommands({ list, create, edit, delete: remove, pause, actions, channel, queue }),
  autocomplete,
  buttonPrefix: REWARDS_COMPONENT_PREFIX,
  onButton,
};
