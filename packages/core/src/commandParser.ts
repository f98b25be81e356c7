/**
 * Chat command parsing (`!points @alice`) and validation of custom command names and prefixes.
 */

/** The prefix a guild gets unless it configures another one. */
export const DEFAULT_COMMAND_PREFIX = '!';

/** Built-in chat commands; custom commands may not use these names. */
export const BUILTIN_COMMANDS = ['points', 'watchtime', 'top', 'commands', 'uptime', 'join', 'gtb', 'call', 'title', 'game', 'so', 'followage', 'quote', 'deaths'] as const;

/**
 * Chat commands of bot features (the points shop, chat games, account linking). Custom commands may not use these
 * names either: a custom command is asked only when no feature takes the message, so one named `gamble` would answer
 * while `!gamble` is off and stop answering when it is turned on.
 */
export const FEATURE_CHAT_COMMANDS = ['shop', 'redeem', 'gamble', 'duel', 'accept', 'link'] as const;

/** A built-in chat command name. */
export type BuiltinCommand = (typeof BUILTIN_COMMANDS)[number];

/** Longest command name, in characters. */
export const MAX_COMMAND_NAME_LENGTH = 32;

/** The pattern every custom command name (and alias) must match, after lower-casing. */
export const COMMAND_NAME_PATTERN = /^[a-z0-9_]{1,32}$/;

/** A chat message recognised as a command. */
export interface ParsedCommand {
  /** Lower-cased command name without the prefix, e.g. `points`. */
  readonly name: string;
  /** Whitespace-separated arguments with emote tokens replaced by their names. */
  readonly args: string[];
  /** Everything after the name, emote tokens replaced by their names, trimmed; inner spacing kept. */
  readonly rawArgs: string;
  /** The prefix that matched. */
  readonly prefix: string;
}

/** Kick's inline emote token `[emote:ID:NAME]`; group 1 is the id, group 2 the name. */
const EMOTE_TOKEN_PATTERN = /\[emote:(\d+):([^\]\s]*)\]/g;

/** Replaces every `[emote:ID:NAME]` token in Kick chat content with `NAME`. */
export function replaceEmotesWithNames(text: string): string {
  return text.replace(EMOTE_TOKEN_PATTERN, (_m, _id: string, name: string) => name);
}

/** Removes every `[emote:ID:NAME]` token from Kick chat content. */
export function removeEmotes(text: string): string {
  return text.replace(EMOTE_TOKEN_PATTERN, '');
}

/**
 * Parses a chat message as a command.
 *
 * Returns `null` unless the message (after leading whitespace) starts with `prefix` immediately followed
 * by a name matching {@link COMMAND_NAME_PATTERN} (case-insensitive, so `!Points` is `points`). A name
 * that could never be a command (`!!!`, `! points`, `!what?`) also gives `null`, so ordinary chat is ignored.
 * Emote tokens in the arguments become their emote names.
 */
export function parseCommand(content: string, options: { readonly prefix?: string } = {}): ParsedCommand | null {
  const prefix = options.prefix ?? DEFAULT_COMMAND_PREFIX;
  if (prefix.length === 0) return null;
  const text = content.replace(/^\s+/u, '');
  if (!text.startsWith(prefix)) return null;
  const rest = text.slice(prefix.length);
  const nameMatch = /^(\S+)/u.exec(rest);
  if (!nameMatch?.[1]) return null;
  const name = nameMatch[1].toLowerCase();
  if (!COMMAND_NAME_PATTERN.test(name)) return null;
  const rawArgs = replaceEmotesWithNames(rest.slice(nameMatch[1].length)).trim();
  const args = rawArgs.length === 0 ? [] : rawArgs.split(/\s+/u).filter((a) => a.length > 0);
  return { name, args, rawArgs, prefix };
}

/**
 * The username an argument names: trims it and strips leading `@`s (`@Alice` → `Alice`).
 * Returns `undefined` for a missing or empty argument. Case is kept; compare usernames case-insensitively.
 */
export function targetUsername(arg: string | undefined): string | undefined {
  if (arg === undefined) return undefined;
  const name = arg.trim().replace(/^@+/, '').trim();
  return name.length > 0 ? name : undefined;
}

/** True if `name` (any case, without prefix) is a {@link BUILTIN_COMMANDS} name. */
export function isBuiltinCommand(name: string): name is BuiltinCommand {
  return (BUILTIN_COMMANDS as readonly string[]).includes(name.toLowerCase());
}

/** Result of {@link validateCommandName}. */
export type CommandNameResult = { ok: true; name: string } | { ok: false; error: string };

/**
 * Validates a custom command name (or alias) typed by a moderator.
 *
 * Accepts any case and one optional leading prefix (`!Hello` → `hello`); the stored name is lower-case
 * without prefix. Errors: empty, too long (> 32), characters outside `a–z 0–9 _`, or a built-in or feature name
 * ({@link BUILTIN_COMMANDS}, {@link FEATURE_CHAT_COMMANDS}).
 */
export function validateCommandName(input: string, options: { readonly prefix?: string } = {}): CommandNameResult {
  const prefix = options.prefix ?? DEFAULT_COMMAND_PREFIX;
  let name = input.trim();
  if (prefix.length > 0 && name.startsWith(prefix)) name = name.slice(prefix.length);
  name = name.toLowerCase();
  if (name.length === 0) {
    return { ok: false, error: 'Command name is empty — use 1–32 letters, digits or underscores, e.g. "discord".' };
  }
  const length = Array.from(name).length;
  if (length > MAX_COMMAND_NAME_LENGTH) {
    return { ok: false, error: `Command name is ${length} characters long — the limit is ${MAX_COMMAND_NAME_LENGTH}.` };
  }
  if (!COMMAND_NAME_PATTERN.test(name)) {
    const bad = Array.from(name).find((c) => !/^[a-z0-9_]$/.test(c)) ?? '';
    const shown = /\s/u.test(bad) ? 'a space' : `"${bad}"`;
    return {
      ok: false,
      error: `Command name "${name}" contains ${shown} — only letters a–z, digits 0–9 and _ are allowed.`,
    };
  }
  if (isBuiltinCommand(name) || (FEATURE_CHAT_COMMANDS as readonly string[]).includes(name)) {
    return { ok: false, error: `"${name}" is a built-in command — pick another name.` };
  }
  return { ok: true, name };
}

/** Result of {@link validatePrefix}. */
export type PrefixResult = { ok: true; prefix: string } | { ok: false; error: string };

/**
 * Validates a guild's command prefix: 1–3 characters, no letters, digits, whitespace or square brackets
 * (letters/digits would turn normal chat into commands; `[` collides with Kick's emote tokens).
 */
export function validatePrefix(input: string): PrefixResult {
  const length = Array.from(input).length;
  if (length < 1 || length > 3) {
    return { ok: false, error: `Prefix must be 1–3 characters long (got ${length}), e.g. "!" or "?".` };
  }
  if (/[\p{L}\p{N}\s[\]]/u.test(input)) {
    return {
      ok: false,
      error: `Prefix "${input}" may not contain letters, digits, spaces or [ ] — use symbols such as ! ? $ or ~.`,
    };
  }
  return { ok: true, prefix: input };
}
