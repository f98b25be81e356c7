import type { KickEventHandler } from '../../kickEvents/KickEventHandler.ts';
import { addGiftedSubTickets } from './raffleService.ts';

/**
 * `channel.subscription.gifts` → raffle tickets for the gifter in the owner guild's open raffle (when the raffle
 * has tickets per gifted sub). Anonymous gifters get none. Exactly once per Kick message id.
 */
export const giftedSubTicketsHandler: KickEventHandler = {
  name: 'raffle-gifted-sub-tickets',
  types: ['channel.subscription.gifts'],
  async handle(ctx, input) {
    if (input.event.type !== 'channel.subscription.gifts' || !input.owner) return;
    const { gifter, giftees } = input.event.payload;
    const result = await addGiftedSubTickets(ctx, {
      guildId: input.owner.guildId,
      messageId: input.job.messageId,
      gifter: { userId: gifter.user_id, username: gifter.username, anonymous: gifter.is_anonymous },
      giftCount: giftees.length,
    });
    if (result.outcome === 'added') ctx.logger.info({ guildId: input.owner.guildId, gifter: gifter.user_id, tickets: result.tickets }, 'gifted-sub raffle tickets added');
  },
};
