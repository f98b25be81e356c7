import type { ParsedCommand, UserLevel } from '@kickcord/core';
import type { GuildSettings } from '@kickcord/db';
import type { ChatMessageSentPayload } from '@kickcord/kick';
import type { BotContext } from '../context.ts';

/** A chat message in an owner guild's channel, with everything command handlers need. */
export interface ChatMessageContext {
  guildId: string;
  broadcasterUserId: number;
  /** Kick message id (the idempotency key of everything this message causes). */
  messageId: string;
  payload: ChatMessageSentPayload;
  sender: { userId: number; username: string; level: UserLevel; isSubscriber: boolean };
  settings: GuildSettings;
  /** The parsed command, when the message starts with the guild's prefix. */
  command: ParsedCommand | null;
  /**
   * Replies in Kick chat to this message (bot sender, reply_to = this message). `key` distinguishes
   * several replies to one message; each (message, key) is sent at most once, even when the job is retried.
   */
  reply(content: string, key?: string): Promise<void>;
}

/** What one fragment needs for one message. */
export interface ChatTallyInput {
  keys: string[];
  args: (string | number)[];
}

/** The value a fragment's Lua returned (an integer, a string, or null for nil/false). */
export type ChatTallyResult = number | string | null;

/** One feature's Redis record of every chat message in an owner guild, run with every other one in one script per message (chatTally.ts). */
export interface ChatTally {
  /**
   * The body of a Lua function called with this fragment's keys `K` and arguments `A` (1-based tables, as
   * KEYS and ARGV are to a script). It returns an integer, a string or nothing. It must be idempotent per
   * message: a retried job runs it again.
   */
  lua: string;
  /** This message's keys and arguments, or null when the fragment has nothing to record for it. */
  input(chat: ChatMessageContext, ctx: BotContext): ChatTallyInput | null;
  /** Acts on the fragment's result once the script ran (e.g. queues a first-time viewer); only when it ran. */
  settle?(result: ChatTallyResult, chat: ChatMessageContext, ctx: BotContext): Promise<void> | void;
}

/**
 * Something that reacts to Kick chat: a built-in (`!points`), a game (`!gtb 1.2k`, the raffle keyword),
 * or custom commands. `matches` decides; the first chat command that matches handles the message.
 * Passive observers have `observe` instead, or a `tally`: Redis work for every message (activity for watchtime,
 * timer line counts) that runs with every other feature's tally in one script per message.
 */
export interface ChatCommand {
  name: string;
  /** True when this command owns the message (e.g. `chat.command?.name === 'points'`). */
  matches?(chat: ChatMessageContext, ctx: BotContext): boolean | Promise<boolean>;
  handle?(chat: ChatMessageContext, ctx: BotContext): Promise<void>;
  /** Runs for EVERY chat message in an owner guild, before command handling (must be cheap and idempotent). */
  observe?(chat: ChatMessageContext, ctx: BotContext): Promise<void>;
  /** A Redis record of EVERY chat message in an owner guild, run with every other chat command's tally in one script (see chatTally.ts). */
  tally?: ChatTally;
  /**
   * Asked only after every other chat command declined the message: a catch-all (custom commands)
   * that must never shadow a built-in or a game.
   */
  fallback?: boolean;
}
