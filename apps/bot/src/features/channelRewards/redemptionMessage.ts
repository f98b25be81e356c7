/** A redemption's message in the guild's rewards channel: who redeemed what, the actions, and Accept / Reject while it waits. */
import type { ChannelRewardRedemption } from '@kickcord/db';
import { ActionRowBuilder, ButtonBuilder, ButtonStyle, EmbedBuilder, type APIActionRowComponent, type APIButtonComponent, type APIEmbed } from 'discord.js';
import { formatPoints } from '../../formatPoints.ts';

/** Custom id prefix of every `/rewards` button. */
export const REWARDS_COMPONENT_PREFIX = 'rewards';

/** Custom ids of a pending redemption's buttons. */
export const redemptionButtonIds = {
  accept: (redemptionId: string) => `${REWARDS_COMPONENT_PREFIX}:accept:${redemptionId}`,
  reject: (redemptionId: string) => `${REWARDS_COMPONENT_PREFIX}:reject:${redemptionId}`,
};

function statusLine(r: ChannelRewardRedemption): string {
  if (r.status === 'pending') return '⏳ Waiting for a moderator';
  const verb = r.status === 'accepted' ? '✅ Accepted' : '❌ Rejected';
  if (r.decidedByDiscordId) return `${verb} by <@${r.decidedByDiscordId}>`;
  if (r.decidedVia === 'auto') return `${verb} automatically (${r.status === 'accepted' ? 'every action succeeded' : 'an action failed'})`;
  return `${verb} on Kick`;
}

/** The message body for a redemption in its current state (buttons only while it is pending). */
export function redemptionMessage(r: ChannelRewardRedemption): { embeds: APIEmbed[]; components: APIActionRowComponent<APIButtonComponent>[] } {
  const lines = [`**${r.username}** on Kick · ${formatPoints(r.cost)} channel points`, statusLine(r)];
  if (r.decisionError) lines.push(`⚠️ Kick did not take the last decision: ${r.decisionError}`);
  const embed = new EmbedBuilder()
    .setTitle(`🎁 ${r.rewardTitle}`.slice(0, 256))
    .setDescription(lines.join('\n'))
    .setColor(r.status === 'pending' ? 0xf5a623 : r.status === 'accepted' ? 0x53fc18 : 0x9b9b9b)
    .setFooter({ text: `Redemption ${r.redemptionId}` })
    .setTimestamp(r.redeemedAt);
  if (r.userInput) embed.addFields({ name: 'Viewer input', value: r.userInput.slice(0, 1024) });
  if (r.actionResults.length > 0) embed.addFields({ name: r.actionsFailed ? 'Actions (one failed)' : 'Actions', value: r.actionResults.join('\n').slice(0, 1024) });
  const components =
    r.status === 'pending'
      ? [
          new ActionRowBuilder<ButtonBuilder>()
            .addComponents(
              new ButtonBuilder().setCustomId(redemptionButtonIds.accept(r.redemptionId)).setLabel('Accept').setStyle(ButtonStyle.Success),
              new ButtonBuilder().setCustomId(redemptionButtonIds.reject(r.redemptionId)).setLabel('Reject').setStyle(ButtonStyle.Danger),
            )
            .toJSON(),
        ]
      : [];
  return { embeds: [embed.toJSON()], components };
}
