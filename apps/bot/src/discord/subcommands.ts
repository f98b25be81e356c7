import type { ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../context.ts';
import { UserFacingError } from '../UserFacingError.ts';
import type { SlashCommand } from './SlashCommand.ts';

/** Handles one subcommand of a slash command. */
export type SubcommandHandler = (interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext) => Promise<void>;

/**
 * Builds a command's `execute` from one handler per subcommand name (and lists the names in
 * `subcommands`). A subcommand without a handler is answered with "Unknown subcommand <name>."
 * Spread the result into the command: `{ data, moderatorOnly, ...routeSubcommands({ add, remove }) }`.
 */
export function routeSubcommands<Name extends string>(handlers: Readonly<Record<Name, SubcommandHandler>>): Pick<SlashCommand, 'execute' | 'subcommands'> {
  const byName = new Map<string, SubcommandHandler>(Object.entries<SubcommandHandler>(handlers));
  return {
    subcommands: [...byName.keys()],
    async execute(interaction, ctx) {
      const sub = interaction.options.getSubcommand(true);
      const handler = byName.get(sub);
      if (!handler) throw new UserFacingError(`Unknown subcommand ${sub}.`);
      await handler(interaction, ctx);
    },
  };
}
