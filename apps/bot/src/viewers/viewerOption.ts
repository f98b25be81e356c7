/** The Kick-viewer option of slash commands (`/points`, `/watchtime`): parsing and autocomplete. */
import { likePrefix } from '@kickcord/db';
import type { AutocompleteInteraction, ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../context.ts';
import { UserFacingError } from '../UserFacingError.ts';

/** Kick usernames: letters, digits, `_` (and, for safety, `.` `-`), up to 32, with an optional `@`. */
const KICK_USERNAME = /^@?[A-Za-z0-9_.-]{1,32}$/;

/** The `user` option as a Kick username (without `@`), or a clear error. */
export function kickUsernameOption(interaction: ChatInputCommandInteraction<'cached'>, name = 'user'): string {
  const raw = interaction.options.getString(name, true).trim();
  if (!KICK_USERNAME.test(raw)) throw new UserFacingError(`"${raw}" is not a Kick username — type the viewer's Kick name, e.g. \`alice\` or \`@alice\`.`);
  return raw.replace(/^@+/, '');
}

/** Autocompletes a Kick username from this guild's viewers (never another guild's). */
export async function autocompleteViewer(interaction: AutocompleteInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const typed = String(interaction.options.getFocused()).trim().replace(/^@+/, '');
  const rows = await ctx.prisma.viewerStats.findMany({
    where: { guildId: interaction.guildId, ...(typed ? { username: { startsWith: likePrefix(typed), mode: 'insensitive' as const } } : {}) },
    orderBy: { points: 'desc' },
    take: 25,
    select: { username: true },
  });
  await interaction.respond(rows.map((r) => ({ name: r.username, value: r.username })));
}
