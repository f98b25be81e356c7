import { TIMEOUT_MINUTES } from '@kickcord/core';
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
import { interactionCall, runGuildAction } from '../../guildActions/guildActionsProcessor.ts';
import { suggestKickUsers } from './kickUsers.ts';
import { markFalsePositiveAction, moderateViewer, moderationOrigin, undoModeration } from './modActions.ts';
import { modLogMessage, parseModLogButtonId, undoOfferedIn, MOD_LOG_PREFIX } from './modLog.ts';

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

function handler(kind: 'ban' | 'timeout' | 'unban') {
  return async (interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext) => {
    const user = interaction.options.getString('user', true);
    const minutes = interaction.options.getInteger('minutes');
    const reason = interaction.options.getString('reason');
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const outcome = await runGuildAction(ctx, moderateViewer, interactionCall(interaction), {
      kind,
      user,
      ...(kind === 'timeout' ? { minutes: minutes ?? 10 } : {}),
      ...(reason ? { reason } : {}),
    });
    await interaction.editReply({ content: outcome.message, allowedMentions: { parse: [] } });
  };
}

/** Whether the mod-log message currently offers Undo (its button enabled), or undefined when it has none. */
function undoOffered(interaction: ButtonInteraction<'cached'>): boolean | undefined {
  return undoOfferedIn(interaction.message.components.map((row) => row.toJSON()));
}

/** What a moderation action reported back as data. */
function outcomeData(data: unknown): { created: boolean; done: string } {
  const d = (data ?? {}) as { created?: unknown; done?: unknown };
  return { created: d.created === true, done: typeof d.done === 'string' ? d.done : '' };
}

/**
 * The mod log's buttons: Undo (unban), Timeout 10 min, Ban, Mark false positive — the same actions the dashboard's
 * mod log runs. Moderators only (checked by the router). The message gains a line naming who pressed what.
 */
async function onButton(interaction: ButtonInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const parsed = parseModLogButtonId(interaction.customId);
  if (!parsed) throw new UserFacingError('This button has expired.');
  const original = await ctx.prisma.moderationAction.findFirst({ where: { id: parsed.actionId, guildId: interaction.guildId } });
  if (!original) throw new UserFacingError('This action is no longer on record.');
  const previous = interaction.message.embeds[0]?.fields.find((f) => f.name === 'Moderators')?.value.split('\n') ?? [];
  // Whether Undo is offered now: as the message shows it, until a button here bans, times out or unbans.
  let undoable = undoOffered(interaction);
  const call = interactionCall(interaction);
  const who = `<@${interaction.user.id}>`;
  let line: string;
  if (parsed.verb === 'fp') {
    const outcome = await runGuildAction(ctx, markFalsePositiveAction, call, { actionId: original.id });
    const changed = (outcome.data as { changed?: unknown } | undefined)?.changed === true;
    line = changed ? `${who} marked this a false positive` : `${who} pressed false positive (already marked)`;
  } else {
    await interaction.deferUpdate();
    const kind = parsed.verb === 'undo' ? 'unban' : parsed.verb;
    try {
      const outcome =
        parsed.verb === 'undo'
          ? await runGuildAction(ctx, undoModeration, call, { actionId: original.id })
          : await runGuildAction(ctx, moderateViewer, call, { kind: parsed.verb, actionId: original.id, ...(parsed.verb === 'timeout' ? { minutes: 10 } : {}) });
      const result = outcomeData(outcome.data);
      line = result.created ? `${who}: ${result.done}` : `${who}: already handled`;
      if (result.created) undoable = kind !== 'unban';
    } catch (error) {
      // Kick refused: the action is on record as failed, and the message says so.
      const failed = error instanceof UserFacingError ? await ctx.prisma.moderationAction.findUnique({ where: { guildId_idempotencyKey: { guildId: interaction.guildId, idempotencyKey: moderationOrigin(call, true).idempotencyKey } } }) : null;
      if (!failed) throw error;
      line = `${who}: ${kind} failed — ${failed.error ?? 'Kick refused'}`;
    }
  }
  const current = (await ctx.prisma.moderationAction.findUnique({ where: { id: original.id } })) ?? original;
  const message = { ...modLogMessage(current, [...previous, line].slice(-10), undoable), allowedMentions: { parse: [] } };
  if (interaction.deferred) await interaction.editReply(message);
  else await interaction.update(message);
}

async function autocomplete(interaction: AutocompleteInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const typed = String(interaction.options.getFocused()).trim();
  const names = await suggestKickUsers(ctx, interaction.guildId, typed);
  await interaction.respond(names.map((n) => ({ name: n, value: n })));
}

/** `/mod ban|timeout|unban` for a Kick user by name, and the mod log's buttons (both run the moderation actions). */
export const modCommand: SlashCommand = {
  data: data.toJSON(),
  moderatorOnly: true,
  ...routeSubcommands({ ban: handler('ban'), timeout: handler('timeout'), unban: handler('unban') }),
  autocomplete,
  buttonPrefix: MOD_LOG_PREFIX,
  onButton,
};
