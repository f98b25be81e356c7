import { formatPointsAmount } from '@kickcord/core';
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
import { MAX_BALANCE } from '@kickcord/db';
import type { BotContext } from '../../context.ts';
import { isModerator } from '../../discord/permissions.ts';
import { formatPoints } from '../../formatPoints.ts';
import { UserFacingError } from '../../UserFacingError.ts';
import { cancelImport, confirmImport, downloadAttachment, exportPointsCsv, IMPORT_FORMAT_NAMES, IMPORT_TTL_SECONDS, prepareImport } from './pointsTransfer.ts';

/** A change with its sign (`+5`, `−3`, `0`). */
function signed(n: number): string {
  return n > 0 ? `+${formatPoints(n)}` : n < 0 ? `−${formatPoints(-n)}` : '0';
}

/** A signed change of points with the right noun (`+1 point`, `−3 points`, `0 points`). */
function signedPoints(n: number): string {
  return `${signed(n)} ${Math.abs(n) === 1 ? 'point' : 'points'}`;
}

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

/** `import`: parses the attachment, shows a dry-run summary with Confirm/Cancel buttons (nothing changes yet). */
export async function executePointsImport(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const file = interaction.options.getAttachment('file', true);
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const text = await downloadAttachment(file.url, file.size);
  const chosen = interaction.options.getString('mode');
  const mode = chosen === 'set' || chosen === 'add' ? chosen : undefined;
  const dry = await prepareImport(ctx, { guildId: interaction.guildId, importId: interaction.id, csvText: text, ...(mode ? { mode } : {}) });
  if (!dry.ok) {
    const shown = dry.errors.slice(0, 20).map((e) => `• line ${e.line}: ${e.message}`);
    if (dry.errors.length > 20) shown.push(`…and ${dry.errors.length - 20} more bad lines`);
    await interaction.editReply({ content: `❌ Nothing was imported — \`${file.name}\` has problems:\n${shown.join('\n')}`.slice(0, 2000), allowedMentions: { parse: [] } });
    return;
  }
  const lines = [
    `📥 **Dry run** of \`${file.name}\` — format: ${IMPORT_FORMAT_NAMES[dry.format]}, ${dry.rows} rows.`,
    dry.mode === 'set'
      ? `Mode **set**: ${dry.toImport} ${dry.toImport === 1 ? 'balance' : 'balances'} (and active minutes) will **become the file's values** — a net change of ${signedPoints(dry.points)} and ${signed(dry.minutes)} ${Math.abs(dry.minutes) === 1 ? 'minute' : 'minutes'} right now. (\`mode:add\` would add them instead.)`
      : `Mode **add**: will **add ${formatPointsAmount(dry.points)}** and ${formatPoints(dry.minutes)} active ${dry.minutes === 1 ? 'minute' : 'minutes'} for ${dry.toImport} ${dry.toImport === 1 ? 'viewer' : 'viewers'} to their current balances. (\`mode:set\` would make the balances equal the file instead.)`,
  ];
  if (dry.overLimit.length > 0) {
    const names = dry.overLimit.slice(0, 10).map((o) => `${o.username} (line ${o.line}: ${formatPoints(o.balance)} + ${formatPoints(o.points)})`);
    lines.push(`⚠️ ${dry.overLimit.length} ${dry.overLimit.length === 1 ? 'row' : 'rows'} would pass the maximum balance of ${formatPoints(MAX_BALANCE)} and will be **skipped**: ${names.join(', ')}${dry.overLimit.length > 10 ? ', …' : ''}.`);
  }
  if (dry.alreadyImported > 0) lines.push(`${dry.alreadyImported} rows were already imported from this file and will be skipped.`);
  if (dry.unmatched.length > 0) {
    const names = dry.unmatched.slice(0, 15).map((u) => `${u.username} (line ${u.line})`);
    lines.push(`⚠️ ${dry.unmatched.length} usernames match no Kick viewer kickcord knows and will be **skipped**: ${names.join(', ')}${dry.unmatched.length > 15 ? ', …' : ''}. They can be imported later, once they have chatted.`);
  }
  lines.push(`Confirm within ${IMPORT_TTL_SECONDS / 60} minutes.`);
  const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder().setCustomId(`${POINTS_IMPORT_BUTTON_PREFIX}:confirm:${dry.importId}`).setLabel('Confirm import').setStyle(ButtonStyle.Success).setDisabled(dry.toImport === 0),
    new ButtonBuilder().setCustomId(`${POINTS_IMPORT_BUTTON_PREFIX}:cancel:${dry.importId}`).setLabel('Cancel').setStyle(ButtonStyle.Secondary),
  );
  await interaction.editReply({ content: lines.join('\n').slice(0, 2000), components: [row], allowedMentions: { parse: [] } });
}

/** Confirm/Cancel buttons of a dry run. */
export async function onPointsImportButton(interaction: ButtonInteraction<'cached'>, ctx: BotContext): Promise<void> {
  // /points is open to everyone (for `show`), so the router does not check this button: we do.
  if (!isModerator(interaction.memberPermissions)) throw new UserFacingError('Importing points is for moderators: you need the Manage Server permission.');
  const [, action, importId] = interaction.customId.split(':');
  if (!importId) throw new UserFacingError('This button has expired.');
  if (action === 'cancel') {
    await cancelImport(ctx, { guildId: interaction.guildId, importId });
    await interaction.update({ content: 'Import cancelled — nothing was changed.', components: [] });
    return;
  }
  if (action === 'confirm') {
    await interaction.deferUpdate();
    const out = await confirmImport(ctx, { guildId: interaction.guildId, importId, actorDiscordId: interaction.user.id });
    await interaction.editReply({
      content: `✅ Imported ${out.inserted} ${out.inserted === 1 ? 'row' : 'rows'} (mode ${out.mode}: ${out.mode === 'set' ? 'balances set to the file' : 'added to balances'})${out.skipped > 0 ? ` (${out.skipped} already imported, skipped)` : ''}. Import id \`${out.fingerprint}\`.`,
      components: [],
    });
    return;
  }
  throw new UserFacingError('This button has expired.');
}
