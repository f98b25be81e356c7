import { randomUUID } from 'node:crypto';
import { MessageFlags, type Interaction, type RepliableInteraction } from 'discord.js';
import type { BotContext } from '../context.ts';
import { UserFacingError } from '../UserFacingError.ts';
import { isModerator } from './permissions.ts';
import type { SlashCommand } from './SlashCommand.ts';

/**
 * Answers only the person who ran the interaction, whatever the command already did: an ephemeral deferral is
 * edited; a public deferral ("is thinking…", `interaction.ephemeral === false`) is deleted and the answer follows up
 * ephemerally, so an error never lands in the channel; after a button's deferred update or any reply, an ephemeral
 * follow-up (the button's message stays as it is).
 */
async function replyEphemeral(interaction: RepliableInteraction, content: string): Promise<void> {
  if (interaction.deferred && !interaction.replied) {
    if (interaction.ephemeral === true) {
      await interaction.editReply({ content });
      return;
    }
    if (interaction.ephemeral === false) await interaction.deleteReply();
  }
  if (interaction.deferred || interaction.replied) await interaction.followUp({ content, flags: MessageFlags.Ephemeral });
  else await interaction.reply({ content, flags: MessageFlags.Ephemeral });
}

/** Reports a failure to the user, always ephemerally (specific for UserFacingError, generic with a reference otherwise). */
export async function reportInteractionError(interaction: RepliableInteraction, error: unknown, ctx: BotContext): Promise<void> {
  let content: string;
  if (error instanceof UserFacingError) {
    content = `⚠️ ${error.message}`;
  } else {
    const ref = randomUUID().slice(0, 8);
    ctx.logger.error({ err: error, ref, guildId: interaction.guildId, user: interaction.user.id }, 'interaction failed');
    content = `Something went wrong on our side (reference \`${ref}\`). Please try again; if it keeps failing, give the reference to the bot's operator.`;
  }
  await replyEphemeral(interaction, content).catch((replyError: unknown) => ctx.logger.warn({ err: replyError }, 'could not report interaction error'));
}

/**
 * Routes Discord interactions to commands. Every command runs only inside a guild, and moderator
 * commands are re-checked here (Manage Server) — `default_member_permissions` alone can be changed
 * by server admins, so the server side is the source of truth.
 */
export function createInteractionRouter(commands: readonly SlashCommand[], ctx: BotContext): (interaction: Interaction) => Promise<void> {
  const byName = new Map(commands.map((c) => [c.data.name, c]));
  const byButton = new Map(commands.filter((c) => c.buttonPrefix).map((c) => [c.buttonPrefix as string, c]));

  return async (interaction) => {
    try {
      if (interaction.isChatInputCommand()) {
        const command = byName.get(interaction.commandName);
        if (!command) throw new UserFacingError(`Unknown command /${interaction.commandName}. The bot may be updating; try again in a minute.`);
        if (!interaction.inCachedGuild()) throw new UserFacingError('kickcord commands work inside a server, not in DMs.');
        if (command.moderatorOnly && !isModerator(interaction.memberPermissions)) {
          throw new UserFacingError(`/${interaction.commandName} is for moderators: you need the Manage Server permission.`);
        }
        await command.execute(interaction, ctx);
        return;
      }
      if (interaction.isAutocomplete()) {
        const command = byName.get(interaction.commandName);
        if (command?.autocomplete && interaction.inCachedGuild()) await command.autocomplete(interaction, ctx);
        else await interaction.respond([]);
        return;
      }
      if (interaction.isButton() || interaction.isStringSelectMenu()) {
        const what = interaction.isButton() ? 'button' : 'menu';
        const command = byButton.get(interaction.customId.split(':', 1)[0] ?? '');
        const handler = interaction.isButton() ? command?.onButton : command?.onSelect;
        if (!command || !handler || !interaction.inCachedGuild()) throw new UserFacingError(`This ${what} has expired.`);
        if (command.moderatorOnly && !isModerator(interaction.memberPermissions)) {
          throw new UserFacingError(`This ${what} is for moderators: you need the Manage Server permission.`);
        }
        if (interaction.isButton()) await command.onButton?.(interaction, ctx);
        else await command.onSelect?.(interaction, ctx);
      }
    } catch (error) {
      if (interaction.isRepliable()) await reportInteractionError(interaction, error, ctx);
      else ctx.logger.error({ err: error }, 'interaction failed');
    }
  };
}
