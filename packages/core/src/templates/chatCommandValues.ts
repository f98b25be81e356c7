/** The values a custom chat command's response is rendered with. */
import { targetUsername } from '../commandParser.ts';
import { formatDuration } from '../leaderboard.ts';
import type { TemplateValues } from './renderTemplate.ts';

/** Inputs of a chat command response, before formatting. */
export interface ChatCommandContext {
  /** The sender's username. */
  readonly user: string;
  /** Parsed arguments (from `parseCommand`). */
  readonly args?: readonly string[];
  /** Raw argument text (from `parseCommand`). */
  readonly rawArgs?: string;
  /** The sender's point balance. */
  readonly points?: number;
  /** The sender's active minutes, rendered with `formatDuration` (`3h 05m`). */
  readonly watchtimeMinutes?: number;
  /** How many times the command has been used, including this use. */
  readonly count?: number;
  /** Already formatted uptime (see `formatUptime`); leave undefined when offline. */
  readonly uptime?: string;
  readonly title?: string;
  readonly category?: string;
}

/**
 * Builds the {@link TemplateValues} for a chat command: `{touser}` is the first argument without `@`
 * (falling back to the sender), `{args}` the raw argument text, `{watchtime}` formatted as `3h 05m`.
 */
export function buildChatCommandValues(context: ChatCommandContext): TemplateValues {
  return {
    user: context.user,
    touser: targetUsername(context.args?.[0]) ?? context.user,
    args: context.rawArgs ?? (context.args ?? []).join(' '),
    points: context.points,
    watchtime: context.watchtimeMinutes === undefined ? undefined : formatDuration(context.watchtimeMinutes),
    count: context.count,
    uptime: context.uptime,
    title: context.title,
    category: context.category,
  };
}
