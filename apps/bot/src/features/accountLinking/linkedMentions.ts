import { linkedDiscordIds } from '@kickcord/connections';
import type { RepliableInteraction } from 'discord.js';
import type { BotContext } from '../../context.ts';

/** A Kick viewer as winners and leaderboards know them. */
export interface ViewerRef {
  kickUserId: number;
  username: string;
}

/** Names of viewers for a Discord message, with the mentions of the linked ones. */
export interface LinkedMentions {
  /** `**name** (<@discordId>)` for a linked viewer, `**name**` otherwise (`bold: false`: without the asterisks). */
  label(viewer: ViewerRef, options?: { bold?: boolean }): string;
  /** The Discord user ids of the linked viewers among those given, in order, without repeats. */
  userIds: string[];
  /**
   * `allowed_mentions` that pings exactly those users (never a role or @everyone): give it with a `content` holding
   * their mentions. Mentions inside embeds never ping.
   */
  allowedMentions: { parse: []; users: string[] };
  /** `<@a> <@b>` for the message content ('' when nobody is linked). */
  pings: string;
}

/**
 * Looks up which of `viewers` are linked to a Discord account (one query) so Discord messages can show and ping them;
 * Kick chat texts keep Kick names.
 */
export async function linkedMentions(ctx: Pick<BotContext, 'prisma'>, viewers: readonly ViewerRef[]): Promise<LinkedMentions> {
  const byKick = await linkedDiscordIds(ctx.prisma, viewers.map((v) => v.kickUserId));
  const userIds = [...new Set(viewers.map((v) => byKick.get(v.kickUserId)).filter((id): id is string => id !== undefined))];
  return {
    label: (viewer, options = {}) => {
      const id = byKick.get(viewer.kickUserId);
      const name = options.bold === false ? viewer.username : `**${viewer.username}**`;
      return id ? `${name} (<@${id}>)` : name;
    },
    userIds,
    allowedMentions: { parse: [], users: userIds },
    pings: userIds.map((id) => `<@${id}>`).join(' '),
  };
}

/**
 * Pings the linked viewers among winners with a follow-up message (a new message, so Discord notifies them; an edited
 * reply or an embed would not), e.g. "🎉 Raffle won: <@a> <@b>". Nothing is sent when none of them is linked.
 */
export async function pingLinkedViewers(interaction: Pick<RepliableInteraction, 'followUp'>, names: LinkedMentions, text: string): Promise<void> {
  if (names.userIds.length === 0) return;
  await interaction.followUp({ content: `${text} ${names.pings}`, allowedMentions: names.allowedMentions });
}
