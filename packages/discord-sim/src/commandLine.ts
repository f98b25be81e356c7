import { DiscordSimError } from './DiscordSimError.ts';
import type { CommandOptionDef, RegisteredCommand } from './types.ts';

/** Option types that structure a command rather than carry a value. */
export const SUB_COMMAND = 1;
export const SUB_COMMAND_GROUP = 2;

/** One word of a command line; `name` is set for `name:value` words. */
export interface CommandWord {
  text: string;
  /** Text before an unquoted `:` (candidate option name). */
  prefix: string | null;
  /** Text after that `:`. */
  rest: string;
}

/**
 * Split a command line into words: whitespace separates, `"…"` / `'…'` quote (also mid-word, as in
 * `title:"Live now"`), and a backslash escapes the next character inside quotes.
 */
export function tokenizeCommandLine(line: string): CommandWord[] {
  const words: CommandWord[] = [];
  let text = '';
  let inWord = false;
  let quote: string | null = null;
  let colonAt = -1;
  let quotedBeforeColon = false;
  const push = () => {
    if (!inWord) return;
    const prefix = colonAt > 0 && !quotedBeforeColon ? text.slice(0, colonAt) : null;
    words.push({ text, prefix, rest: prefix === null ? text : text.slice(colonAt + 1) });
    text = '';
    inWord = false;
    colonAt = -1;
    quotedBeforeColon = false;
  };
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quote) {
      if (ch === '\\' && i + 1 < line.length) {
        text += line[++i];
      } else if (ch === quote) {
        quote = null;
      } else {
        text += ch;
      }
      continue;
    }
    if (/\s/.test(ch)) {
      push();
      continue;
    }
    inWord = true;
    if (ch === '"' || ch === "'") {
      quote = ch;
      if (colonAt < 0) quotedBeforeColon = true;
      continue;
    }
    if (ch === ':' && colonAt < 0) colonAt = text.length;
    text += ch;
  }
  if (quote) throw new DiscordSimError(`Unterminated ${quote} quote in command line: ${line}`);
  push();
  return words;
}

/** A command line matched against a registered command: which options get which raw text. */
export interface MatchedCommandLine {
  command: RegisteredCommand;
  group: string | null;
  subcommand: string | null;
  /** Declared leaf options of the chosen (sub)command. */
  leafDefs: CommandOptionDef[];
  /** Given values in the order written. */
  assignments: { def: CommandOptionDef; raw: string }[];
}

function describeOptions(defs: CommandOptionDef[]): string {
  return defs.map((d) => `${d.name}${d.required ? '' : '?'}`).join(', ') || '(none)';
}

/**
 * Match `/name [group] [subcommand] values…` against the registered commands. Values fill the
 * declared options in order (skipping ones already given as `name:value`); `name:value` words set
 * an option by name.
 */
export function matchCommandLine(line: string, commands: RegisteredCommand[]): MatchedCommandLine {
  const words = tokenizeCommandLine(line.trim());
  const first = words.shift();
  if (!first || !first.text.startsWith('/')) {
    throw new DiscordSimError(`A command line starts with /name, got: ${JSON.stringify(line)}`);
  }
  const name = first.text.slice(1);
  const command = commands.find((c) => c.name === name && (c.type ?? 1) === 1);
  if (!command) {
    const known = commands.filter((c) => (c.type ?? 1) === 1).map((c) => `/${c.name}`);
    throw new DiscordSimError(
      `No slash command /${name} is registered for this guild (registered: ${known.join(', ') || 'none'}). ` +
        'Register it with PUT /applications/{id}/commands (or the guild variant) first.',
    );
  }
  let defs = command.options ?? [];
  let group: string | null = null;
  let subcommand: string | null = null;
  if (defs.some((d) => d.type === SUB_COMMAND || d.type === SUB_COMMAND_GROUP)) {
    const word = words.shift();
    const chosen = defs.find((d) => d.name === word?.text);
    if (!word || !chosen) {
      throw new DiscordSimError(`/${name} needs one of: ${defs.map((d) => d.name).join(', ')} (got ${word ? JSON.stringify(word.text) : 'nothing'})`);
    }
    if (chosen.type === SUB_COMMAND_GROUP) {
      group = chosen.name;
      const subs = chosen.options ?? [];
      const subWord = words.shift();
      const sub = subs.find((d) => d.name === subWord?.text);
      if (!subWord || !sub) {
        throw new DiscordSimError(`/${name} ${group} needs one of: ${subs.map((d) => d.name).join(', ')} (got ${subWord ? JSON.stringify(subWord.text) : 'nothing'})`);
      }
      subcommand = sub.name;
      defs = sub.options ?? [];
    } else {
      subcommand = chosen.name;
      defs = chosen.options ?? [];
    }
  }
  const path = ['/' + name, group, subcommand].filter(Boolean).join(' ');
  const assigned = new Map<string, string>();
  const order: CommandOptionDef[] = [];
  for (const word of words) {
    const named = word.prefix !== null ? defs.find((d) => d.name === word.prefix) : undefined;
    if (named) {
      if (assigned.has(named.name)) throw new DiscordSimError(`${path}: option ${named.name} given twice`);
      assigned.set(named.name, word.rest);
      order.push(named);
      continue;
    }
    const next = defs.find((d) => !assigned.has(d.name));
    if (!next) {
      throw new DiscordSimError(`${path}: too many values at ${JSON.stringify(word.text)}; options are ${describeOptions(defs)}`);
    }
    assigned.set(next.name, word.text);
    order.push(next);
  }
  return {
    command,
    group,
    subcommand,
    leafDefs: defs,
    assignments: order.map((def) => ({ def, raw: assigned.get(def.name) as string })),
  };
}

/** Check that every required option of a matched line is present. */
export function checkRequiredOptions(match: MatchedCommandLine): void {
  const missing = match.leafDefs.filter((d) => d.required && !match.assignments.some((a) => a.def.name === d.name));
  if (missing.length > 0) {
    const path = ['/' + match.command.name, match.group, match.subcommand].filter(Boolean).join(' ');
    throw new DiscordSimError(`${path}: missing required option(s) ${missing.map((d) => d.name).join(', ')}; options are ${describeOptions(match.leafDefs)}`);
  }
}
