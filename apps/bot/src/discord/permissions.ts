import { PermissionFlagsBits, type ChatInputCommandInteraction, type PermissionsBitField } from 'discord.js';
import { UserFacingError } from '../UserFacingError.ts';

/** Moderator = Manage Server (or Administrator, which implies it). */
export function isModerator(permissions: Readonly<PermissionsBitField> | null | undefined): boolean {
  return Boolean(permissions?.has(PermissionFlagsBits.ManageGuild));
}

/**
 * Permissions the bot asks for when invited — and why:
 * ViewChannel (see the channels it posts to), SendMessages (announcements), EmbedLinks (rich go-live embeds),
 * AttachFiles (points export CSV), ReadMessageHistory (edit its own announcements), MentionEveryone is NOT
 * requested: role pings use allowedMentions restricted to the configured role, which needs the role to be mentionable.
 */
export const BOT_INVITE_PERMISSIONS =
  PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages | PermissionFlagsBits.EmbedLinks | PermissionFlagsBits.AttachFiles | PermissionFlagsBits.ReadMessageHistory;

/** Throws unless the member has Manage Server (for moderator subcommands of commands everyone may use). */
export function requireModerator(interaction: ChatInputCommandInteraction<'cached'>, what: string): void {
  if (!isModerator(interaction.memberPermissions)) throw new UserFacingError(`${what} is for moderators: you need the Manage Server permission.`);
}
