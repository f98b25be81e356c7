/**
 * Custom chat commands (`/command add`): lookup by name or alias, user level, live-only, cooldowns,
 * point cost, usage counter and template rendering — every effect idempotent on the Kick message id.
 */
import { buildChatCommandValues, CHAT_COMMAND_VARIABLES, compileTemplate, eventKey, formatPointsAmount, formatUptime, meetsLevel, renderTemplate, type CompiledTemplate } from '@kickcord/core';
import { spendPoints, type ChatCommand as CustomCommand } from '@kickcord/db';
import type { BotContext } from '../../context.ts';
import { formatPoints } from '../../formatPoints.ts';
import type { ChatCommand, ChatMessageContext } from '../../kickChat/ChatCommand.ts';
import { claimCooldown } from '../../kickChat/cooldowns.ts';
import { viewerStatsById } from '../../viewers/viewerStats.ts';
import { openSessionOf } from '../streams/streamSessions.ts';

const compiled = new Map<string, CompiledTemplate | null>();

/** Compiles (and caches) a stored response; null if it no longer compiles (it was checked at `/command add`). */
function templateOf(source: string): CompiledTemplate | null {
  let t = compiled.get(source);
  if (t === undefined) {
    const result = compileTemplate(source, { allowed: CHAT_COMMAND_VARIABLES });
    t = result.ok ? result.template : null;
    if (compiled.size > 5_000) compiled.clear();
    compiled.set(source, t);
  }
  return t;
}

/** The enabled command a parsed chat command names (by name or alias), in the guild. */
export async function findChatCommand(ctx: Pick<BotContext, 'prisma'>, guildId: string, name: string): Promise<CustomCommand | null> {
  return ctx.prisma.chatCommand.findFirst({ where: { guildId, enabled: true, OR: [{ name }, { aliases: { has: name } }] }, orderBy: { name: 'asc' } });
}

/** How long a claim on a message's use lives before its count is written (a worker that died lets a retry claim again). */
export const USE_CLAIM_TTL_SECONDS = 30;
/** How long a message's `{count}` is remembered for retried deliveries. */
export const USE_COUNT_TTL_SECONDS = 24 * 3600;
const CLAIMED = 'claimed';

/**
 * Counts one use per Kick message, exactly once however many deliveries of the message run at the same
 * time: the delivery that wins an atomic claim (`SET NX`) increments the counter and stores the value;
 * the others wait for that value and render the same `{count}`. If the increment fails the claim is
 * released, so the retried job counts the use.
 */
export async function countUse(ctx: Pick<BotContext, 'prisma' | 'redis' | 'keys'>, command: Pick<CustomCommand, 'id' | 'guildId' | 'useCount'>, messageId: string): Promise<number> {
  const key = ctx.keys.commandUse(command.guildId, messageId);
  const deadline = Date.now() + USE_CLAIM_TTL_SECONDS * 1000;
  for (;;) {
    const claim = await ctx.redis.set(key, CLAIMED, 'EX', USE_CLAIM_TTL_SECONDS, 'NX');
    if (claim === 'OK') {
      let count: number;
      try {
        const rows = await ctx.prisma.$queryRawUnsafe<{ useCount: number }[]>(
          'UPDATE "ChatCommand" SET "useCount" = "useCount" + 1, "updatedAt" = now() WHERE id = $1 AND "guildId" = $2 RETURNING "useCount"',
          command.id,
          command.guildId,
        );
        count = rows[0]?.useCount ?? command.useCount + 1;
      } catch (error) {
        await ctx.redis.del(key).catch(() => 0);
        throw error;
      }
      await ctx.redis.set(key, String(count), 'EX', USE_COUNT_TTL_SECONDS);
      return count;
    }
    const value = await ctx.redis.get(key);
    if (value !== null && value !== CLAIMED) return Number(value);
    if (Date.now() >= deadline) throw new Error(`the use of command ${command.id} by message ${messageId} is still being counted by another delivery; retry later`);
    // Another delivery of the same message holds the claim: wait for its count (or for its claim to lapse).
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Options of {@link createCustomCommandHandler}. */
export interface CustomCommandHandlerOptions {
  /** Random source for `{random:…}` (default Math.random). */
  rng?: () => number;
}

/** Builds the custom command handler: a `fallback` chat command, asked after built-ins and games so it never shadows them. */
export function createCustomCommandHandler(options: CustomCommandHandlerOptions = {}): ChatCommand {
  const rng = options.rng ?? Math.random;
  const found = new WeakMap<ChatMessageContext, CustomCommand>();
  return {
    name: 'custom-commands',
    fallback: true,
    async matches(chat, ctx) {
      if (!chat.command) return false;
      const command = await findChatCommand(ctx, chat.guildId, chat.command.name);
      if (command) found.set(chat, command);
      return command !== null;
    },
    async handle(chat, ctx) {
      const command = found.get(chat) ?? (chat.command ? await findChatCommand(ctx, chat.guildId, chat.command.name) : null);
      if (!command || !chat.command) return;
      if (!meetsLevel(chat.sender.level, command.minLevel)) return;
      const session = command.liveOnly || command.response.toLowerCase().match(/\{\s*(uptime|title|category)\s*\}/) ? await openSessionOf(ctx.prisma, chat.broadcasterUserId) : null;
      if (command.liveOnly && !session) return;
      const decision = await claimCooldown(ctx, {
        guildId: chat.guildId,
        command: command.name,
        userId: chat.sender.userId,
        userLevel: chat.sender.level,
        globalCooldownSec: command.globalCooldownSec,
        userCooldownSec: command.userCooldownSec,
        now: ctx.now(),
        claimId: chat.messageId,
      });
      if (!decision.allowed) return;

      let balance: number | undefined;
      if (command.cost > 0) {
        const spent = await spendPoints(ctx.prisma, {
          guildId: chat.guildId,
          kickUserId: chat.sender.userId,
          username: chat.sender.username,
          kind: 'command',
          cost: command.cost,
          idempotencyKey: eventKey(chat.messageId, 'cmd'),
          reason: `${chat.settings.commandPrefix}${command.name}`,
        });
        if (!spent.ok) {
          await chat.reply(`@${chat.sender.username} ${chat.settings.commandPrefix}${command.name} costs ${formatPointsAmount(command.cost)} — you have ${formatPoints(spent.balance)}.`, 'cmd-cost');
          return;
        }
        balance = spent.balance;
      }
      const template = templateOf(command.response);
      if (!template) {
        ctx.logger.warn({ guildId: chat.guildId, command: command.name }, 'stored command response no longer compiles');
        return;
      }
      const needsStats = template.variables.includes('points') || template.variables.includes('watchtime');
      const stats = needsStats ? await viewerStatsById(ctx.prisma, chat.guildId, chat.sender.userId) : null;
      const count = await countUse(ctx, command, chat.messageId);
      const values = buildChatCommandValues({
        user: chat.sender.username,
        args: chat.command.args,
        rawArgs: chat.command.rawArgs,
        points: balance ?? stats?.points ?? 0,
        watchtimeMinutes: stats?.activeMinutes ?? 0,
        count,
        ...(session ? { uptime: formatUptime(session.startedAt, ctx.now()) } : {}),
        ...(session?.title ? { title: session.title } : {}),
        ...(session?.categoryName ? { category: session.categoryName } : {}),
      });
      const text = renderTemplate(template, values, rng).trim();
      if (text) await chat.reply(text, 'cmd');
    },
  };
}

/** The custom command handler with the default random source. */
export const customCommandHandler: ChatCommand = createCustomCommandHandler();
