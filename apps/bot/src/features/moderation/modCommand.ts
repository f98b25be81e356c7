import { TIMEOUT_MINUTES } from '@kickcord/core';
import type { ModerationAction } from '@kickcord/db';
import {
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type SlashCommandStringOption,
} from 'discord.js';
import type { BotContext } from '../../context.ts';
import type { SlashCommand } from '../../discord/SlashCommand.ts';
import { routeSubcommands } from '../../discord/subcommands.ts';
import { UserFacingError } from '../../UserFacingError.ts';
import { findKickUser, suggestKickUsers } from './kickUsers.ts';
import { markFalsePositive } from './falsePositives.ts';
import { modLogMessage, parseModLogButtonId, postToModLog, MOD_LOG_PREFIX } from './modLog.ts';
import { describeAction, takeModerationAction } from './moderationActions.ts';

const userOption = (o: SlashCommandStringOption) => o.setName('user').setDescription('Kick username').setRequired(true).setMaxLength(25).setAutocomplete(true);
const reasonOption = (o: SlashCommandStringOption) => o.setName('reason').setDescription('Why (recorded, and sent to Kick)').setMaxLength(100);

const data = new SlashCommandBuilder()
  .setName('mod')
  .setDescription('Moderate the connected Kick channel: ban, time out or unban a viewer')
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(0)
  .addSubcommand((s) => s.setName('ban').setDescription('Ban a viewer from the Kick chat').addStringOption(userOption).addStringOption(reasonOption))
  .addSubcommand((s) =>
    s
      .setName('timeout')
      .setDescription('Time a viewer out of the Kick chat')
      .addStringOption(userOption)
      .addIntegerOption((o) => o.setName('minutes').setDescription('How long (default 10; at most 7 days)').setMinValue(TIMEOUT_MINUTES.min).setMaxValue(TIMEOUT_MINUTES.max))
      .addStringOption(reasonOption),
  )
  .addSubcommand((s) => s.setName('unban').setDescription('Lift a ban or timeout').addStringOption(userOption).addStringOption(reasonOption));

/** The connected channel of the guild (moderation acts only there). */
async function ownedChannel(ctx: BotContext, guildId: string): Promise<number> {
  const connection = await ctx.prisma.kickConnection.findUnique({ where: { guildId }, select: { broadcasterUserId: true } });
  if (!connection) throw new UserFacingError('This server has no connected Kick channel: run `/kick connect` first.');
  return connection.broadcasterUserId;
}

/** The ephemeral answer to a moderator about an action. */
function answer(action: ModerationAction, created: boolean): string {
  if (!created) return `This was already done: **${action.kickUsername}** ${describeAction(action)}.`;
  if (action.status === 'failed') return `⚠️ Could not ${action.kind} **${action.kickUsername}**: ${action.error ?? 'Kick refused'}.`;
  return `✅ **${action.kickUsername}** ${describeAction(action)}.`;
}

function handler(kind: 'ban' | 'timeout' | 'unban') {
  return async (interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext) => {
    const broadcasterUserId = await ownedChannel(ctx, interaction.guildId);
    const name = interaction.options.getString('user', true);
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const user = await findKickUser(ctx, name);
    if (!user) throw new UserFacingError(`No Kick user named **${name.slice(0, 25)}** was found. Check the spelling (their channel name).`);
    if (user.userId === broadcasterUserId) throw new UserFacingError('That is the streamer: the broadcaster cannot be moderated.');
    const reason = interaction.options.getString('reason') ?? undefined;
    const { action, created } = await takeModerationAction(ctx, {
      guildId: interaction.guildId,
      broadcasterUserId,
      kickUserId: user.userId,
      kickUsername: user.username,
      kind,
      ...(kind === 'timeout' ? { durationMinutes: interaction.options.getInteger('minutes') ?? 10 } : {}),
      ...(reason ? { reason } : {}),
      source: 'command',
      discordUserId: interaction.user.id,
      idempotencyKey: `cmd:${interaction.id}`,
    });
    if (created) await postToModLog(ctx, action);
    await interaction.editReply({ content: answer(action, created), allowedMentions: { parse: [] } });
  };
}

/** Whether the mod-log message currently offers Undo (its button enabled), or undefined when it has none. */
function undoOffered(interaction: ButtonInteraction<'cached'>): boolean | undefined {
  for (const row of interaction.message.components) {
    const json = row.toJSON() as { components?: { custom_id?: string; disabled?: boolean }[] };
    const undo = json.components?.find((c) => c.custom_id?.startsWith(`${MOD_LOG_PREFIX}:undo:`));
    if (undo) return !undo.disabled;
  }
  return undefined;
}

/** The mod log's buttons: Undo (unban), Timeout 10 min, Ban, Mark false positive. Moderators only (checked by the router). */
async function onButton(interaction: ButtonInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const parsed = parseModLogButtonId(interaction.customId);
  if (!parsed) throw new UserFacingError('This button has expired.');
  const original = await ctx.prisma.moderationAction.findFirst({ where: { id: parsed.actionId, guildId: interaction.guildId } });
  if (!original) throw new UserFacingError('This action is no longer on record.');
  const previous = interaction.message.embeds[0]?.fields.find((f) => f.name === 'Moderators')?.value.split('\n') ?? [];
  // Whether Undo is offered now: as the message shows it, until a button here bans, times out or unbans.
  let undoable = undoOffered(interaction);
  let line: string;
  let current = original;
  if (parsed.verb === 'fp') {
    const marked = await markFalsePositive(ctx, original, interaction.user.id);
    current = marked.action;
    line = marked.changed ? `<@${interaction.user.id}> marked this a false positive` : `<@${interaction.user.id}> pressed false positive (already marked)`;
  } else {
    await interaction.deferUpdate();
    const kind = parsed.verb === 'undo' ? 'unban' : parsed.verb;
    const { action, created } = await takeModerationAction(ctx, {
      guildId: interaction.guildId,
      broadcasterUserId: original.broadcasterUserId,
      kickUserId: original.kickUserId,
      kickUsername: original.kickUsername,
      kind,
      ...(kind === 'timeout' ? { durationMinutes: 10 } : {}),
      reason: `mod log: ${parsed.verb === 'undo' ? 'undo' : kind}`,
      source: 'button',
      discordUserId: interaction.user.id,
      idempotencyKey: `btn:${interaction.id}`,
    });
    line = `<@${interaction.user.id}>: ${action.status === 'done' ? describeAction(action) : `${kind} failed — ${action.error ?? 'Kick refused'}`}`;
    if (!created) line = `<@${interaction.user.id}>: already handled`;
    else if (action.status === 'done') undoable = kind !== 'unban';
  }
  const message = { ...modLogMessage(current, [...previous, line].slice(-10), undoable), allowedMentions: { parse: [] } };
  if (interaction.deferred) await interaction.editReply(message);
  else await interaction.update(message);
}

async function autocomplete(interaction: AutocompleteInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const typed = String(interaction.options.getFocused()).trim();
  const names = await suggestKickUsers(ctx, interaction.guildId, typed);
  await interaction.respond(names.map((n) => ({ name: n, value: n })));
}

/** `/mod ban|timeout|unban` for a Kick user by name, and the mod log's buttons. */
export const modCommand: SlashCommand = {
  data: data.toJSON(),
  moderatorOnly: true,
  ...routeSubcommands({ ban: handler('ban'), timeout: handler('timeout'), unban: handler('unban') }),
  autocomplete,
  buttonPrefix: MOD_LOG_PREFIX,
  onButton,
};
