import { linkedDiscordIds } from '@kickcord/connections';
import type { BotContext } from '../../context.ts';

/** A Kick viewer as winners and leaderboards know them. */
export interface ViewerRef {
  kickUserId: number;
  username: string;
}

/** Names of viewers for a Discord message, with the mentions of the linked ones. */
export interface LinkedMentions {
  /** `**name** (<@discordId>)` for a linked viewer, `**name**` otherwise. */
  label(viewer: ViewerRef): string;
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
    label: (viewer) => {
      const id = byKick.get(viewer.kickUserId);
      return id ? `**${viewer.username}** (<@${id}>)` : `**${viewer.username}**`;
    },
    userIds,
    allowedMentions: { parse: [], users: userIds },
    pings: userIds.map((id) => `<@${id}>`).join(' '),
  };
}
