import { findLinkByDiscord, unlinkAccount } from '@kickcord/connections';
import { ActionRowBuilder, ButtonBuilder, ButtonStyle, InteractionContextType, MessageFlags, SlashCommandBuilder } from 'discord.js';
import type { SlashCommand } from '../../discord/SlashCommand.ts';
import { UserFacingError } from '../../UserFacingError.ts';

const BUTTON_PREFIX = 'unlink';

/** `/unlink` — asks first (Unlink / Cancel), then removes the caller's link in every server; points stay with the Kick account. */
export const unlinkCommand: SlashCommand = {
  data: new SlashCommandBuilder().setName('unlink').setDescription('Unlink your Discord account from your Kick account').setContexts(InteractionContextType.Guild).toJSON(),
  moderatorOnly: false,
  buttonPrefix: BUTTON_PREFIX,
  async execute(interaction, ctx) {
    const link = await findLinkByDiscord(ctx.prisma, interaction.user.id);
    if (!link) throw new UserFacingError('Your Discord account is not linked to a Kick account — nothing to unlink.');
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder().setCustomId(`${BUTTON_PREFIX}:confirm:${link.kickUserId}`).setLabel('Unlink').setStyle(ButtonStyle.Danger),
      new ButtonBuilder().setCustomId(`${BUTTON_PREFIX}:cancel`).setLabel('Cancel').setStyle(ButtonStyle.Secondary),
    );
    await interaction.reply({
      content: `Unlink your Discord account from the Kick account **${link.kickUsername}**? This applies in every server. Its points stay with the Kick account; you can link again any time with \`/link start\`.`,
      components: [row],
      flags: MessageFlags.Ephemeral,
      allowedMentions: { parse: [] },
    });
  },
  async onButton(interaction, ctx) {
    const [, action, kickUserId] = interaction.customId.split(':');
    if (action === 'cancel') {
      await interaction.update({ content: 'Nothing changed: you are still linked.', components: [] });
      return;
    }
    if (action !== 'confirm') throw new UserFacingError('This button has expired — run /unlink again.');
    // Unlink only the account the question named: a relink since then must not be undone by an old button.
    const current = await findLinkByDiscord(ctx.prisma, interaction.user.id);
    if (!current || String(current.kickUserId) !== kickUserId) {
      await interaction.update({ content: current ? `You are linked to **${current.kickUsername}** now; run /unlink again to unlink it.` : 'You are not linked any more.', components: [], allowedMentions: { parse: [] } });
      return;
    }
    const removed = await unlinkAccount(ctx.prisma, interaction.user.id);
    await interaction.update({
      content: removed ? `Unlinked from the Kick account **${removed.kickUsername}**.` : 'You are not linked any more.',
      components: [],
      allowedMentions: { parse: [] },
    });
  },
};
