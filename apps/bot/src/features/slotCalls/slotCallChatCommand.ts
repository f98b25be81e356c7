import { formatPointsAmount } from '@kickcord/core';
import { formatPoints } from '../../formatPoints.ts';
import type { ChatCommand } from '../../kickChat/ChatCommand.ts';
import { callSlot } from './slotCallService.ts';

/**
 * `!call <slot name>`: queues a viewer's slot call. Replies name the call by viewer and queue number and never
 * repeat the viewer's text, so links or spam typed after `!call` are not posted in the streamer's name.
 */
export const slotCallChatCommand: ChatCommand = {
  name: 'slot-call',
  matches: (chat) => chat.command?.name === 'call',
  async handle(chat, ctx) {
    const result = await callSlot(ctx, {
      guildId: chat.guildId,
      messageId: chat.messageId,
      userId: chat.sender.userId,
      username: chat.sender.username,
      text: chat.command?.rawArgs ?? '',
      at: new Date(chat.payload.created_at),
    });
    const at = `@${chat.sender.username}`;
    switch (result.outcome) {
      case 'queued':
        await chat.reply(`${at} your slot call is #${result.position} in the queue${result.merged > 0 ? ` (${result.merged + 1} callers)` : ''}.`, 'call');
        break;
      case 'closed':
        await chat.reply(`${at} slot calls are closed right now.`, 'call');
        break;
      case 'invalid':
        await chat.reply(`${at} ${result.reason}`, 'call');
        break;
      case 'already':
        await chat.reply(`${at} you already have a call in the queue — wait until it is picked.`, 'call');
        break;
      case 'insufficient':
        await chat.reply(`${at} a slot call costs ${formatPointsAmount(result.cost)} — you have ${formatPoints(result.balance)}.`, 'call');
        break;
      case 'duplicate':
        break;
    }
  },
};
