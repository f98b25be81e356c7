/** The texts and buttons of account linking, shared by the gateway (`/link`, buttons) and the worker (`!link CODE`). */
import { linkAccounts, type LinkAccountsResult } from '@kickcord/connections';
import type { AccountLink } from '@kickcord/db';
import { ActionRowBuilder, ButtonBuilder, ButtonStyle, Routes, type APIActionRowComponent, type APIComponentInMessageActionRow } from 'discord.js';
import type { BotContext } from '../../context.ts';
import { savePendingRelink, type PendingRelink } from './linkCodes.ts';

/** Custom id prefix of the relink buttons (`link:replace:<id>`, `link:cancel:<id>`). */
export const LINK_BUTTON_PREFIX = 'link';

/** A message body for Discord (content + buttons, no pings). */
export interface LinkMessage {
  content: string;
  components: APIActionRowComponent<APIComponentInMessageActionRow>[];
}

const POINTS_STAY = 'Points stay with each Kick account in each server: nothing moves between accounts.';

/** "Linked" confirmation. */
export function linkedMessage(link: Pick<AccountLink, 'kickUsername'>, replaced: readonly AccountLink[] = []): LinkMessage {
  const lines = [`✅ Your Discord account is now linked to the Kick account **${link.kickUsername}**. It counts in every server kickcord is in.`];
  if (replaced.length > 0) lines.push(`The previous link was replaced. ${POINTS_STAY}`);
  lines.push('See it with `/link status`; undo it with `/unlink`.');
  return { content: lines.join('\n'), components: [] };
}

/** The question asked before replacing an existing link, with Replace / Cancel buttons. */
export function relinkQuestion(pending: PendingRelink, conflict: Extract<LinkAccountsResult, { status: 'conflict' }>, pendingId: string): LinkMessage {
  const lines = [`Linking the Kick account **${pending.kickUsername}** to you needs your confirmation:`];
  if (conflict.discordLinkedTo) {
    lines.push(`• Your Discord account is linked to the Kick account **${conflict.discordLinkedTo.kickUsername}** now. Replacing unlinks it and links **${pending.kickUsername}** instead.`);
  }
  if (conflict.kickLinkedTo && conflict.kickLinkedTo.discordUserId !== pending.discordUserId) {
    lines.push(`• **${pending.kickUsername}** is linked to another Discord account now. Replacing unlinks that account and links **${pending.kickUsername}** to you.`);
  }
  lines.push(POINTS_STAY, 'This question expires in 10 minutes.');
  const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder().setCustomId(`${LINK_BUTTON_PREFIX}:replace:${pendingId}`).setLabel('Replace the link').setStyle(ButtonStyle.Danger),
    new ButtonBuilder().setCustomId(`${LINK_BUTTON_PREFIX}:cancel:${pendingId}`).setLabel('Cancel').setStyle(ButtonStyle.Secondary),
  );
  return { content: lines.join('\n'), components: [row.toJSON()] };
}

/**
 * Links when nothing stands in the way; otherwise keeps the relink for confirmation. Returns the message to show the
 * viewer in Discord and whether the link exists now.
 */
export async function linkOrAsk(ctx: Pick<BotContext, 'prisma' | 'redis' | 'keys'>, pending: PendingRelink): Promise<{ linked: boolean; message: LinkMessage }> {
  const result = await linkAccounts(ctx.prisma, { ...pending });
  if (result.status === 'conflict') {
    const id = await savePendingRelink(ctx, pending);
    return { linked: false, message: relinkQuestion(pending, result, id) };
  }
  return { linked: true, message: linkedMessage(result.link, result.status === 'linked' ? result.replaced : []) };
}

/**
 * Edits the viewer's ephemeral `/link start` reply through the interaction webhook (valid 15 minutes, no gateway
 * needed, so a worker can do it). A failure is logged, never thrown: the link itself is already done.
 */
export async function editLinkReply(ctx: Pick<BotContext, 'discordRest' | 'logger'>, target: { applicationId: string; interactionToken: string; discordUserId: string }, message: LinkMessage): Promise<boolean> {
  try {
    await ctx.discordRest.patch(Routes.webhookMessage(target.applicationId, target.interactionToken, '@original'), {
      body: { content: message.content, components: message.components, allowed_mentions: { parse: [] } },
      auth: false,
    });
    return true;
  } catch (error) {
    // Only the status: the request URL carries the interaction token.
    const status = typeof error === 'object' && error !== null && 'status' in error ? (error as { status: unknown }).status : undefined;
    ctx.logger.warn({ discordUserId: target.discordUserId, status, errorName: error instanceof Error ? error.name : typeof error }, 'could not edit the /link reply');
    return false;
  }
}
