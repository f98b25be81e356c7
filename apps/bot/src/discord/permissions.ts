import { PermissionFlagsBits, type PermissionsBitField } from 'discord.js';

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
