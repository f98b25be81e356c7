import type { KickEventHandler } from '../../kickEvents/KickEventHandler.ts';
import { handleRedemptionEvent } from './redemptions.ts';

/** `channel.reward.redemption.updated` in the owner guild (watching guilds only announce it). */
export const redemptionHandler: KickEventHandler = {
  name: 'channel-rewards:redemption',
  types: ['channel.reward.redemption.updated'],
  async handle(ctx, input) {
    if (!input.owner || input.event.type !== 'channel.reward.redemption.updated') return;
    await handleRedemptionEvent(ctx, input.owner.guildId, input.event.payload);
  },
};
