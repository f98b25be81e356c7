import { formatPointsAmount } from '@kickcord/core';
import { EmbedBuilder, MessageFlags, PermissionFlagsBits, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../../context.ts';
import type { SlashCommand } from '../../discord/SlashCommand.ts';
import { routeSubcommands } from '../../discord/subcommands.ts';
import { interactionCall, runGuildAction } from '../../guildActions/guildActionsProcessor.ts';
import { linkedMentions, pingLinkedViewers } from '../accountLinking/linkedMentions.ts';
import { clearSlotCallsAction, closeSlotCallsAction, openSlotCallsAction, pickSlotCallAction, removeSlotCallsAction, type SlotPickData } from './slotCallActions.ts';
import { listSlotCalls, MAX_SLOT_CALL_COST } from './slotCallService.ts';

const data = new SlashCommandBuilder()
  .setName('slotcalls')
  .setDescription('Slot calls: viewers queue slots with !call <slot> in Kick chat')
  .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
  .setContexts(0)
  .addSubcommand((s) => s.setName('list').setDescription('Show the queue (same slot merged)'))
  .addSubcommand((s) =>
    s
      .setName('pick')
      .setDescription('Pick the next slot and announce it in Kick chat')
      .addBooleanOption((o) => o.setName('random').setDescription('Pick a random call instead of the top of the queue')),
  )
  .addSubcommand((s) =>
    s
      .setName('remove')
      .setDescription("Remove a viewer's call or every call of a slot (refunds the cost)")
      .addStringOption((o) => o.setName('viewer').setDescription('Kick username').setMaxLength(64))
      .addStringOption((o) => o.setName('slot').setDescription('Slot name').setMaxLength(100)),
  )
  .addSubcommand((s) => s.setName('clear').setDescription('Remove every open call (refunds the cost)'))
  .addSubcommand((s) =>
    s
      .setName('open')
      .setDescription('Let viewers call slots')
      .addIntegerOption((o) => o.setName('cost').setDescription('Points a call costs (refunded if removed)').setMinValue(0).setMaxValue(MAX_SLOT_CALL_COST)),
  )
  .addSubcommand((s) => s.setName('close').setDescription('Stop taking calls (the queue stays)'));

async function list(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const guildId = interaction.guildId;
  const groups = await listSlotCalls(ctx, guildId);
  const settings = await ctx.prisma.guildSettings.findUnique({ where: { guildId } });
  const state = settings?.slotCallsOpen ? `open${settings.slotCallCost > 0 ? ` · ${formatPointsAmount(settings.slotCallCost)} per call` : ''}` : 'closed';
  const lines = groups.slice(0, 25).map((g, i) => `${i + 1}. **${g.displayName}** — ${g.callers.map((c) => c.call.username).join(', ')}`);
  if (groups.length > 25) lines.push(`…and ${groups.length - 25} more slots`);
  await interaction.reply({
    embeds: [new EmbedBuilder().setTitle(`🎰 Slot calls (${state})`).setDescription(lines.length > 0 ? lines.join('\n').slice(0, 4000) : 'The queue is empty.').setColor(0x53fc18)],
    flags: MessageFlags.Ephemeral,
    allowedMentions: { parse: [] },
  });
}

async function pick(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  await interaction.deferReply();
  const picked = (await runGuildAction(ctx, pickSlotCallAction, interactionCall(interaction), { random: interaction.options.getBoolean('random') ?? false })).data as SlotPickData;
  const names = await linkedMentions(ctx, picked.callers);
  await interaction.editReply({ content: `🎰 Next slot: **${picked.slotName}** (called by ${picked.callers.map((v) => names.label(v, { bold: false })).join(', ')})`, allowedMentions: { parse: [] } });
  await pingLinkedViewers(interaction, names, `🎰 Your slot call **${picked.slotName}** is up:`);
}

/** `remove` (one viewer's call or one slot) and `clear` (every open call); costs are refunded. */
async function removeCalls(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext, sub: 'remove' | 'clear'): Promise<void> {
  const outcome =
    sub === 'remove'
      ? await runGuildAction(ctx, removeSlotCallsAction, interactionCall(interaction), { viewer: interaction.options.getString('viewer'), slot: interaction.options.getString('slot') })
      : await runGuildAction(ctx, clearSlotCallsAction, interactionCall(interaction), {});
  await interaction.reply({ content: outcome.message, flags: MessageFlags.Ephemeral });
}

/** `open` (with an optional cost) and `close` (the queue stays). */
async function setOpen(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext, open: boolean): Promise<void> {
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const outcome = open
    ? await runGuildAction(ctx, openSlotCallsAction, interactionCall(interaction), { cost: interaction.options.getInteger('cost') })
    : await runGuildAction(ctx, closeSlotCallsAction, interactionCall(interaction), {});
  await interaction.editReply({ content: outcome.message });
}

/** `/slotcalls list|pick|remove|clear|open|close` — the slot-call queue. */
export const slotcallsCommand: SlashCommand = {
  data: data.toJSON(),
  moderatorOnly: true,
  ...routeSubcommands({
    list,
    pick,
    remove: (interaction, ctx) => removeCalls(interaction, ctx, 'remove'),
    clear: (interaction, ctx) => removeCalls(interaction, ctx, 'clear'),
    open: (interaction, ctx) => setOpen(interaction, ctx, true),
    close: (interaction, ctx) => setOpen(interaction, ctx, false),
  }),
};
