import type { BotContext } from '../context.ts';

/** Posts a bot message in the guild's Kick chat, at most once per `dedupeKey` (errors are recorded, never thrown). */
export async function announceInKickChat(ctx: BotContext, input: { guildId: string; broadcasterUserId: number; dedupeKey: string; content: string }): Promise<void> {
  await ctx.kickChat.send({ guildId: input.guildId, broadcasterUserId: input.broadcasterUserId, dedupeKey: input.dedupeKey, content: input.content });
}
