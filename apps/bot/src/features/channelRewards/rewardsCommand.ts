/**
 * `/rewards` (moderators): the connected channel's Kick channel rewards — list, create, edit, delete, pause — what
 * kickcord does when one is redeemed (`actions`), where redemptions wait (`channel`), and the reward queue; plus
 * the Accept and Reject buttons on each waiting redemption.
 */
import { ChannelType, InteractionContextType, MessageFlags, PermissionFlagsBits, SlashCommandBuilder, type AutocompleteInteraction, type ButtonInteraction, type SlashCommandSubcommandBuilder } from 'discord.js';
import { KickApiClient } from '@kickcord/kick';
import type { BotContext } from '../../context.ts';
import type { SlashCommand } from '../../discord/SlashCommand.ts';
import { routeSubcommands } from '../../discord/subcommands.ts';
import { REWARDS_READ_SCOPE, REWARDS_WRITE_SCOPE } from './kickRewards.ts';
import { create, edit, list, pause, remove } from './manageRewards.ts';
import { redemptionMessage, REWARDS_COMPONENT_PREFIX } from './redemptionMessage.ts';
import { decideRedemption } from './redemptions.ts';
import { actions, channel, MAX_REWARD_POINTS, queue } from './rewardSettings.ts';

/** How long reward autocomplete waits for Kick. */
const AUTOCOMPLETE_KICK_TIMEOUT_MS = 2_000;
/** Kick's limits on a reward ⚠ (as Kick's clients document them). */
const TITLE_MAX = 50;
const DESCRIPTION_MAX = 200;

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

/** Accept / Reject on a waiting redemption: decided at Kick, then the message shows who decided. */
async function onButton(interaction: ButtonInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const [, action, redemptionId] = interaction.customId.split(':');
  if ((action !== 'accept' && action !== 'reject') || !redemptionId) return;
  await interaction.deferUpdate();
  const result = await decideRedemption(ctx, { guildId: interaction.guildId, redemptionId, status: action === 'accept' ? 'accepted' : 'rejected', actorDiscordId: interaction.user.id });
  await interaction.editReply({ ...redemptionMessage(result.redemption), allowedMentions: { parse: [] } });
  if (result.outcome === 'already') {
    const who = result.redemption.decidedByDiscordId ? ` by <@${result.redemption.decidedByDiscordId}>` : result.redemption.decidedVia === 'auto' ? ' automatically' : ' on Kick';
    await interaction.followUp({ content: `This redemption was already ${result.redemption.status}${who}.`, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
  } else if (result.outcome === 'refused') {
    await interaction.followUp({ content: `Kick did not ${action} it: ${result.reason}. (Kick lets an app decide only rewards it created — use \`/rewards create\`; otherwise decide on kick.com.)`, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
  }
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
