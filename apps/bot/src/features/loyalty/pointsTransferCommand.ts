import {
  ActionRowBuilder,
  AttachmentBuilder,
  ButtonBuilder,
  ButtonStyle,
  MessageFlags,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type SlashCommandSubcommandBuilder,
} from 'discord.js';
import type { BotContext } from '../../context.ts';
import { isModerator } from '../../discord/permissions.ts';
import { interactionCall, runGuildAction } from '../../guildActions/guildActionsProcessor.ts';
import { UserFacingError } from '../../UserFacingError.ts';
import { downloadAttachment, exportPointsCsv } from './pointsTransfer.ts';
import { cancelPointsImport, checkPointsImport, confirmPointsImport, type PointsImportCheckData } from './pointsTransferActions.ts';

/** Custom-id prefix of the import Confirm/Cancel buttons (`pointsimport:confirm:<importId>`). */
export const POINTS_IMPORT_BUTTON_PREFIX = 'pointsimport';

/** Adds the `export` and `import` subcommands to a command builder (so `/points` can host them). */
export function addPointsTransferSubcommands<B extends { addSubcommand(fn: (s: SlashCommandSubcommandBuilder) => SlashCommandSubcommandBuilder): unknown }>(builder: B): B {
  builder.addSubcommand((s) => s.setName('export').setDescription('Download every viewer’s points and active minutes as CSV'));
  builder.addSubcommand((s) =>
    s
      .setName('import')
      .setDescription('Import points from a CSV (kickcord, StreamElements, Streamlabs Chatbot, BotRix) — dry run first')
      .addAttachmentOption((o) => o.setName('file').setDescription('The CSV file').setRequired(true))
      .addStringOption((o) =>
        o
          .setName('mode')
          .setDescription('set: balances become the file’s values (default for kickcord exports); add: add to them')
          .addChoices({ name: 'set — balances become the file’s values', value: 'set' }, { name: 'add — add the file’s values to balances', value: 'add' }),
      ),
  );
  return builder;
}

/** `export`: replies with the guild's points as a CSV attachment (ephemeral). */
export async function executePointsExport(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const { csv, rows } = await exportPointsCsv(ctx, interaction.guildId);
  const stamp = ctx.now().toISOString().slice(0, 10);
  await interaction.editReply({
    content: `📤 ${rows} ${rows === 1 ? 'viewer' : 'viewers'} (columns: kick_user_id, username, points, active_minutes). \`/points import\` restores these balances from this file (mode \`set\`: each balance becomes the file's value; choose \`mode:add\` to add them instead).`,
    files: [new AttachmentBuilder(Buffer.from(csv, 'utf8'), { name: `kickcord-points-${stamp}.csv` })],
  });
}

/** `import`: parses the attachment and shows the dry-run summary with Confirm/Cancel buttons (nothing changes yet). */
export async function executePointsImport(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const file = interaction.options.getAttachment('file', true);
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const text = await downloadAttachment(file.url, file.size);
  const chosen = interaction.options.getString('mode');
  const outcome = await runGuildAction(ctx, checkPointsImport, interactionCall(interaction), { csvText: text, fileName: file.name, ...(chosen === 'set' || chosen === 'add' ? { mode: chosen } : {}) });
  const dry = outcome.data as PointsImportCheckData;
  const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder().setCustomId(`${POINTS_IMPORT_BUTTON_PREFIX}:confirm:${dry.importId}`).setLabel('Confirm import').setStyle(ButtonStyle.Success).setDisabled(dry.toImport === 0),
    new ButtonBuilder().setCustomId(`${POINTS_IMPORT_BUTTON_PREFIX}:cancel:${dry.importId}`).setLabel('Cancel').setStyle(ButtonStyle.Secondary),
  );
  await interaction.editReply({ content: outcome.message, components: [row], allowedMentions: { parse: [] } });
}

/** Confirm/Cancel buttons of a dry run: the same actions as the dashboard's Confirm and Cancel. */
export async function onPointsImportButton(interaction: ButtonInteraction<'cached'>, ctx: BotContext): Promise<void> {
  // /points is open to everyone (for `show`), so the router does not check this button: we do.
  if (!isModerator(interaction.memberPermissions)) throw new UserFacingError('Importing points is for moderators: you need the Manage Server permission.');
  const [, action, importId] = interaction.customId.split(':');
  if (!importId) throw new UserFacingError('This button has expired.');
  if (action === 'cancel') {
    const outcome = await runGuildAction(ctx, cancelPointsImport, interactionCall(interaction), { importId });
    await interaction.update({ content: outcome.message, components: [] });
    return;
  }
  if (action === 'confirm') {
    await interaction.deferUpdate();
    const outcome = await runGuildAction(ctx, confirmPointsImport, interactionCall(interaction), { importId });
    await interaction.editReply({ content: outcome.message, components: [] });
    return;
  }
  throw new UserFacingError('This button has expired.');
}
