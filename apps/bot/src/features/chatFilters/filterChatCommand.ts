import { meetsLevel, messageExcerpt, stepForOffence, targetUsername, type ChatFilterHit, type ChatFilterKind, type CompiledChatFilters, type FilterStep } from '@kickcord/core';
import type { BotContext } from '../../context.ts';
import type { ChatCommand, ChatMessageContext, ChatTally } from '../../kickChat/ChatCommand.ts';
import { postToModLog } from '../moderation/modLog.ts';
import { takeModerationAction } from '../moderation/moderationActions.ts';
import { cachedChatFilters } from './filterRules.ts';
import { countOffence, grantPermit, REPEAT_LUA, repeatRun, repeatRunInput, usePermit } from './filterCounters.ts';
import { tallyResultOf } from '../../kickChat/chatTally.ts';
import { linkedMemberRoles } from './linkedRoles.ts';

/** What the warning reply says per filter (never the message itself). */
const WARNINGS: Readonly<Record<ChatFilterKind, string>> = {
  words: 'that language is not allowed here',
  links: 'links are not allowed here — ask a moderator for a !permit',
  unicode: 'please write without special characters',
  length: 'please keep messages shorter',
  emotes: 'please use fewer emotes',
  caps: "please don't shout (too many capitals)",
  symbols: 'please use fewer symbols',
  repeats: "please don't repeat the same message",
};

function stepWords(step: FilterStep): string {
  return step.action === 'timeout' ? `timed out for ${step.minutes} minute${step.minutes === 1 ? '' : 's'}` : step.action === 'ban' ? 'banned' : 'message removed';
}

/** What the filters decided about one message. */
type Verdict = { kind: 'permit'; username: string; seconds: number } | { kind: 'hit'; hit: ChatFilterHit; filters: CompiledChatFilters };

// The decision of `matches`, handed to `handle` for the same message (both run in one dispatch).
const verdicts = new WeakMap<ChatMessageContext, Verdict>();

/** True when a role exemption of the filter covers the sender's linked Discord account. */
async function exemptByRole(ctx: BotContext, chat: ChatMessageContext, filters: CompiledChatFilters, hit: ChatFilterHit): Promise<boolean> {
  const roleIds = filters.rule(hit.filter).exemptRoleIds;
  if (roleIds.length === 0) return false;
  const roles = await linkedMemberRoles(ctx, chat.guildId, chat.sender.userId);
  return roles.some((r) => roleIds.includes(r));
}

/**
 * The repeats filter's run of the message, counted in the message's chat tally (one script with every other
 * feature's record) when this process holds the guild's compiled rules and the filter applies to the sender.
 */
const repeatsTally: ChatTally = {
  lua: REPEAT_LUA,
  input(chat, ctx) {
    const filters = ctx.localCopies?.get<CompiledChatFilters>(ctx.keys.chatFilters(chat.guildId));
    if (!filters?.applies('repeats', chat.sender.level)) return null;
    const content = chat.payload.content;
    return repeatRunInput(ctx, { guildId: chat.guildId, kickUserId: chat.sender.userId, fingerprint: filters.fingerprint(content), messageId: chat.messageId, windowSeconds: filters.rule('repeats').windowSeconds });
  },
};

/**
 * Runs the filters over one message: the stateless checks (compiled, in memory), the repeats run (only when that
 * filter is on: the reply of the message's chat tally, or one script of its own), then — only when something fired — a `!permit` for links and role
 * exemptions. Returns the filter that acts, or null (an ordinary message: no PostgreSQL, no Redis call of its own).
 */
async function judge(ctx: BotContext, chat: ChatMessageContext, filters: CompiledChatFilters): Promise<ChatFilterHit | null> {
  const level = chat.sender.level;
  const content = chat.payload.content;
  const hits = filters.check({ content, senderLevel: level });
  if (filters.applies('repeats', level)) {
    const rule = filters.rule('repeats');
    // Counted in the message's chat tally when this process had the rules at hand; on its own otherwise.
    const tallied = await tallyResultOf(chat, repeatsTally);
    const run =
      tallied !== undefined
        ? Number(tallied)
        : await repeatRun(ctx, { guildId: chat.guildId, kickUserId: chat.sender.userId, fingerprint: filters.fingerprint(content), messageId: chat.messageId, windowSeconds: rule.windowSeconds });
    if (run >= rule.limit) hits.push({ filter: 'repeats', reason: 'the same message again and again', detail: `${run} times in a row` });
  }
  for (const hit of hits) {
    if (hit.filter === 'links' && (await usePermit(ctx, chat.guildId, chat.sender.username, chat.messageId))) continue;
    if (await exemptByRole(ctx, chat, filters, hit)) continue;
    return hit;
  }
  return null;
}

/** Acts on a message a filter caught: the step of the viewer's ladder, the mod log, and the optional warning. */
async function enforce(ctx: BotContext, chat: ChatMessageContext, filters: CompiledChatFilters, hit: ChatFilterHit): Promise<void> {
  const rule = filters.rule(hit.filter);
  const offence = await countOffence(ctx, { guildId: chat.guildId, kickUserId: chat.sender.userId, filter: hit.filter, messageId: chat.messageId, windowMinutes: filters.config.escalationWindowMinutes });
  const step = stepForOffence(rule, offence);
  const { action, created } = await takeModerationAction(ctx, {
    guildId: chat.guildId,
    broadcasterUserId: chat.broadcasterUserId,
    kickUserId: chat.sender.userId,
    kickUsername: chat.sender.username,
    kind: step.action,
    ...(step.action === 'timeout' ? { durationMinutes: step.minutes } : {}),
    reason: `kickcord chat filter: ${hit.reason}${offence > 1 ? ` (offence ${offence})` : ''}`,
    source: 'filter',
    filter: hit.filter,
    kickMessageId: chat.messageId,
    excerpt: messageExcerpt(chat.payload.content),
    idempotencyKey: `filter:${chat.messageId}`,
  });
  await postToModLog(ctx, action);
  if (created && rule.warn && action.status === 'done' && step.action !== 'ban') {
    await ctx.kickChat.send({ guildId: chat.guildId, broadcasterUserId: chat.broadcasterUserId, dedupeKey: `filter-warn:${chat.messageId}`, content: `@${chat.sender.username} ${WARNINGS[hit.filter]} (${stepWords(step)}).` });
  }
}

/**
 * The chat filters, asked before every other chat command: a message a filter catches is acted on and no
 * command answers it. `!permit <user>` (moderators, while the links filter is on) lets that viewer post one link
 * within the links filter's limit in seconds.
 */
export const chatFilterCommand: ChatCommand = {
  name: 'chat-filters',
  tally: repeatsTally,
  async matches(chat, ctx) {
    const filters = await cachedChatFilters(ctx, chat.guildId);
    if (chat.command?.name === 'permit' && filters.rule('links').enabled && meetsLevel(chat.sender.level, 'moderator')) {
      const username = targetUsername(chat.command.args[0]);
      if (!username) return false;
      verdicts.set(chat, { kind: 'permit', username, seconds: filters.rule('links').limit });
      return true;
    }
    if (!filters.active) return false;
    const hit = await judge(ctx, chat, filters);
    if (!hit) return false;
    verdicts.set(chat, { kind: 'hit', hit, filters });
    return true;
  },
  async handle(chat, ctx) {
    const verdict = verdicts.get(chat);
    if (!verdict) return;
    if (verdict.kind === 'permit') {
      await grantPermit(ctx, chat.guildId, verdict.username, verdict.seconds);
      await chat.reply(`@${verdict.username} may post one link in the next ${verdict.seconds} seconds.`, 'permit');
      return;
    }
    await enforce(ctx, chat, verdict.filters, verdict.hit);
  },
};
