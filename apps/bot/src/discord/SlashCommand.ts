import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
  StringSelectMenuInteraction,
} from 'discord.js';
import type { BotContext } from '../context.ts';

/** One slash command: its definition, who may run it, and its handlers. One file per command. */
export interface SlashCommand {
  /** The JSON registered with Discord (from a SlashCommandBuilder's `toJSON()`). */
  data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  /** Moderator commands carry `default_member_permissions` = Manage Server AND are checked server-side. */
  moderatorOnly: boolean;
  execute(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void>;
  /** The subcommand names `execute` dispatches, when it was built with `routeSubcommands`. */
  subcommands?: readonly string[];
  autocomplete?(interaction: AutocompleteInteraction<'cached'>, ctx: BotContext): Promise<void>;
  /** Buttons whose custom id starts with `${buttonPrefix}:` are routed to `onButton`, select menus to `onSelect`. */
  buttonPrefix?: string;
  onButton?(interaction: ButtonInteraction<'cached'>, ctx: BotContext): Promise<void>;
  onSelect?(interaction: StringSelectMenuInteraction<'cached'>, ctx: BotContext): Promise<void>;
}
