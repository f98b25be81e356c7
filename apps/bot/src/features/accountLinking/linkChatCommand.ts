import type { ChatCommand } from '../../kickChat/ChatCommand.ts';
import { interactionTokenOf, LINK_FAILURES_PER_HOUR, redeemLinkCode } from './linkCodes.ts';
import { editLinkReply, linkOrAsk } from './linkMessages.ts';

function minutes(sec: number): string {
  const m = Math.max(1, Math.ceil(sec / 60));
  return `${m} ${m === 1 ? 'minute' : 'minutes'}`;
}

/**
 * `!link CODE` in the connected streamer's Kick chat: proves that the sender owns this Kick account and links it to the
 * Discord user who got the code from `/link start`. Only these messages reach PostgreSQL; the code, its limits and the
 * outcome per message live in Redis. The Discord reply is edited; Kick chat gets a short answer that never repeats the code.
 */
export const linkChatCommand: ChatCommand = {
  name: 'account-link',
  matches: (chat) => chat.command?.name === 'link',
  async handle(chat, ctx) {
    const name = chat.sender.username;
    const typed = chat.command?.args.join('') ?? '';
    if (!typed) {
      await chat.reply(`@${name} to link your Discord account, run /link start in the Discord server and type the code it gives you here.`, 'link');
      return;
    }
    const outcome = await redeemLinkCode(ctx, { kickUserId: chat.sender.userId, typed, messageId: chat.messageId });
    if (outcome.status === 'limited') {
      await chat.reply(`@${name} too many wrong link codes — try again in ${minutes(outcome.retryInSec)}.`, 'link');
      return;
    }
    if (outcome.status === 'invalid') {
      const left = outcome.attemptsLeft > 0 ? ` (${outcome.attemptsLeft} of ${LINK_FAILURES_PER_HOUR} tries left this hour)` : ' — no tries left this hour';
      await chat.reply(`@${name} that link code is wrong or already used${left}. Run /link start in Discord for a new one.`, 'link');
      return;
    }
    if (outcome.status === 'expired') {
      await chat.reply(`@${name} that link code has expired. Run /link start in Discord for a new one.`, 'link');
      return;
    }
    const { record } = outcome;
    const { linked, message } = await linkOrAsk(ctx, { discordUserId: record.discordUserId, kickUserId: chat.sender.userId, kickUsername: name, method: 'code' });
    await editLinkReply(ctx, { applicationId: record.applicationId, interactionToken: interactionTokenOf(ctx, record), discordUserId: record.discordUserId }, message);
    await chat.reply(linked ? `@${name} ✅ your Kick account is now linked to your Discord account.` : `@${name} almost done — confirm the link in Discord.`, 'link');
  },
};
