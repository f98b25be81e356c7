/**
 * Counters in chat: `!deaths` (built-in) and every counter added with `/counters add` (`!<name>`). Everyone
 * reads a counter; moderators count it up with `+` or down with `-`, once per Kick message.
 */
import { meetsLevel } from '@kickcord/core';
import type { ChatCounter } from '@kickcord/db';
import type { BotContext } from '../../context.ts';
import { builtinChatCommand, claimBuiltinCooldown } from '../../kickChat/builtinChatCommand.ts';
import type { ChatCommand, ChatMessageContext } from '../../kickChat/ChatCommand.ts';
import { changeCounter, DEATHS_COUNTER, findCounter } from './counters.ts';

function label(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** `+` / `-` (also `++`, `--`) as a change, undefined when the message only reads the counter, null for anything else. */
function requestedDelta(chat: ChatMessageContext): number | null | undefined {
  const arg = chat.command?.args[0];
  if (arg === undefined) return undefined;
  if (/^\+{1,2}$/.test(arg)) return 1;
  if (/^-{1,2}$/.test(arg)) return -1;
  return null;
}

/** Answers a counter command: the value, or the value after a moderator's change. */
async function answerCounter(chat: ChatMessageContext, ctx: BotContext, name: string, current: () => Promise<number>, create: boolean): Promise<string | null> {
  const delta = requestedDelta(chat);
  if (delta === undefined || delta === null) return `${label(name)}: ${await current()}`;
  if (!meetsLevel(chat.sender.level, 'moderator')) return `@${chat.sender.username} only moderators can change ${label(name)}.`;
  const value = await changeCounter(ctx, { guildId: chat.guildId, name, delta, messageId: chat.messageId, create });
  return value === null ? null : `${label(name)}: ${value}`;
}

/** `!deaths`, `!deaths +`, `!deaths -`. */
export const deathsChatCommand = builtinChatCommand('deaths', (chat, ctx) =>
  answerCounter(chat, ctx, DEATHS_COUNTER, async () => (await findCounter(ctx, chat.guildId, DEATHS_COUNTER))?.value ?? 0, true),
);

/**
 * The counters a guild added (`!<name>`, `!<name> +`, `!<name> -`), asked after the built-ins and custom
 * commands (a `fallback`), with the built-ins' per-viewer cooldown.
 */
export function createCustomCounterChatCommand(): ChatCommand {
  const found = new WeakMap<ChatMessageContext, ChatCounter>();
  return {
    name: 'custom-counters',
    fallback: true,
    async matches(chat, ctx) {
      if (!chat.command || chat.command.name === DEATHS_COUNTER) return false;
      const counter = await findCounter(ctx, chat.guildId, chat.command.name);
      if (counter) found.set(chat, counter);
      return counter !== null;
    },
    async handle(chat, ctx) {
      const counter = found.get(chat);
      if (!counter) return;
      if (!(await claimBuiltinCooldown(chat, ctx, `counter:${counter.name}`))) return;
      const text = await answerCounter(chat, ctx, counter.name, async () => counter.value, false);
      if (text) await chat.reply(text, 'counter');
    },
  };
}

/** The custom counters' chat command. */
export const customCounterChatCommand: ChatCommand = createCustomCounterChatCommand();
