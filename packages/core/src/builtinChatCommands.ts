/**
 * The built-in chat commands: their default names, who may use each form, and the per-guild settings that
 * turn one off or rename it. The bot answers them; the web app's public command list describes them.
 */
import { COMMAND_NAME_PATTERN } from './commandParser.ts';
import type { UserLevel } from './userLevel.ts';

/** The built-in chat commands (default names, without prefix), in the order the command list shows them. */
export const BUILTIN_CHAT_COMMANDS = ['points', 'watchtime', 'top', 'commands', 'uptime', 'title', 'game', 'so', 'followage', 'quote', 'deaths'] as const;
/** A built-in chat command, by its default name. */
export type BuiltinChatCommandName = (typeof BUILTIN_CHAT_COMMANDS)[number];
/** Seconds a viewer waits between two uses of the same built-in (moderators and the broadcaster do not). */
export const BUILTIN_USER_COOLDOWN_SEC = 5;

/** One way of using a built-in, as the command list shows it. */
export interface BuiltinCommandUse {
  /** What follows the command name, e.g. `<text>` (empty for the bare command). */
  args: string;
  level: UserLevel;
  description: string;
}

/** What the per-guild settings can change about a built-in's uses. */
export interface BuiltinUseOptions {
  /** Who may `!quote add` (guild setting). */
  quoteAddLevel: UserLevel;
}

/** The ways of using a built-in and who may use each. Built-ins cost no points. */
export function builtinCommandUses(name: BuiltinChatCommandName, options: BuiltinUseOptions): BuiltinCommandUse[] {
  switch (name) {
    case 'points':
      return [{ args: '[@viewer]', level: 'everyone', description: 'points and rank' }];
    case 'watchtime':
      return [{ args: '[@viewer]', level: 'everyone', description: 'active minutes in chat while live' }];
    case 'top':
      return [{ args: '[points|watchtime]', level: 'everyone', description: 'the top viewers' }];
    case 'commands':
      return [{ args: '', level: 'everyone', description: 'a link to this list' }];
    case 'uptime':
      return [{ args: '', level: 'everyone', description: 'how long the stream has been live' }];
    case 'title':
      return [
        { args: '', level: 'everyone', description: 'the stream title' },
        { args: '<text>', level: 'moderator', description: 'changes the stream title' },
      ];
    case 'game':
      return [
        { args: '', level: 'everyone', description: 'the stream category' },
        { args: '<name>', level: 'moderator', description: 'changes the stream category (found by Kick category search)' },
      ];
    case 'so':
      return [{ args: '<user>', level: 'moderator', description: "shout-out: a Kick channel's title, category and link" }];
    case 'followage':
      return [{ args: '[@viewer]', level: 'everyone', description: 'since when kickcord has seen a viewer follow' }];
    case 'quote':
      return [
        { args: '[number]', level: 'everyone', description: 'a random quote, or quote number n' },
        { args: 'add <text>', level: options.quoteAddLevel, description: 'saves a quote with the category and date' },
      ];
    case 'deaths':
      return [
        { args: '', level: 'everyone', description: 'the death counter' },
        { args: '+ | -', level: 'moderator', description: 'counts one up or down' },
      ];
  }
}

/** A guild's changes to one built-in. */
export interface BuiltinCommandSetting {
  enabled?: boolean;
  /** The name it answers to instead of its default name. */
  name?: string;
}

/** A guild's changes to the built-ins (the `builtinCommands` guild setting), by default name. */
export type BuiltinCommandSettings = Partial<Record<BuiltinChatCommandName, BuiltinCommandSetting>>;

/** True if `name` is a built-in's default name. */
export function isBuiltinChatCommandName(name: string): name is BuiltinChatCommandName {
  return (BUILTIN_CHAT_COMMANDS as readonly string[]).includes(name);
}

/**
 * Reads the stored `builtinCommands` setting, keeping only well-formed entries (an unknown built-in or a
 * name that is not a valid command name is ignored, so a bad row never breaks chat).
 */
export function parseBuiltinCommandSettings(stored: unknown): BuiltinCommandSettings {
  const out: BuiltinCommandSettings = {};
  if (!stored || typeof stored !== 'object' || Array.isArray(stored)) return out;
  for (const [key, value] of Object.entries(stored as Record<string, unknown>)) {
    if (!isBuiltinChatCommandName(key) || !value || typeof value !== 'object') continue;
    const v = value as { enabled?: unknown; name?: unknown };
    const setting: BuiltinCommandSetting = {};
    if (typeof v.enabled === 'boolean') setting.enabled = v.enabled;
    if (typeof v.name === 'string' && COMMAND_NAME_PATTERN.test(v.name)) setting.name = v.name;
    out[key] = setting;
  }
  return out;
}

/** One built-in as a guild has it. */
export interface ResolvedBuiltinCommand {
  builtin: BuiltinChatCommandName;
  /** The name it answers to (its default name unless renamed). */
  name: string;
  enabled: boolean;
}

/** Every built-in as the guild has it, in {@link BUILTIN_CHAT_COMMANDS} order. */
export function resolveBuiltinCommands(stored: unknown): ResolvedBuiltinCommand[] {
  const settings = parseBuiltinCommandSettings(stored);
  return BUILTIN_CHAT_COMMANDS.map((builtin) => ({ builtin, name: settings[builtin]?.name ?? builtin, enabled: settings[builtin]?.enabled ?? true }));
}

/** The name a built-in answers to in a guild, or null when the guild turned it off. */
export function builtinCommandName(stored: unknown, builtin: BuiltinChatCommandName): string | null {
  const setting = parseBuiltinCommandSettings(stored)[builtin];
  if (setting?.enabled === false) return null;
  return setting?.name ?? builtin;
}

/**
 * The built-in that answers to `name` in a guild (enabled or not), or undefined. A renamed built-in no
 * longer answers to its default name.
 */
export function builtinAnsweringTo(stored: unknown, name: string): ResolvedBuiltinCommand | undefined {
  return resolveBuiltinCommands(stored).find((b) => b.name === name);
}
