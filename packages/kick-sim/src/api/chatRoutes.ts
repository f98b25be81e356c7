/** Chat: `POST /public/v1/chat`, `DELETE /public/v1/chat/:messageId`. */
import { randomUUID } from 'node:crypto';
import type { Router } from 'express';
import { z } from 'zod';
import { CHAT_MAX_LENGTH } from '../constants.ts';
import type { SimContext } from '../context.ts';
import { sendError, sendOk } from '../http.ts';
import type { ChatLogEntry, SimBadge, SimUser } from '../types.ts';
import { type Guard, idSchema, parseBody, tokenOf } from './routeHelpers.ts';

const chatSchema = z.object({
  type: z.enum(['user', 'bot']),
  content: z.string(),
  broadcaster_user_id: idSchema.optional(),
  reply_to_message_id: z.string().min(1).optional(),
});
/** Adds these endpoints to the API router (each behind its auth guard). */
export function registerChatRoutes(router: Router, ctx: SimContext, guard: Guard): void {
  const { state } = ctx;
  router.post('/public/v1/chat', guard('POST /public/v1/chat', { userOnly: true }), (req, res) => {
    const token = tokenOf(res);
    const body = parseBody(chatSchema, req, res);
    if (!body) return;
    if (body.content.trim().length === 0) return sendError(res, 400, 'content is required');
    if ([...body.content].length > CHAT_MAX_LENGTH) return sendError(res, 400, `content must not exceed ${CHAT_MAX_LENGTH} characters`);
    const owner = state.requireUser(token.userId as number);
    const app = state.requireApp(token.clientId);
    let broadcaster: SimUser;
    let sender: SimUser;
    let badges: SimBadge[] = [];
    if (body.type === 'bot') {
      // Kick answers 500 (not a 4xx) when the app's bot is not enabled in its settings.
      if (!app.botEnabled) return sendError(res, 500, 'Server Error');
      broadcaster = owner;
      sender = app.botUser;
    } else {
      if (body.broadcaster_user_id === undefined) return sendError(res, 400, 'broadcaster_user_id is required for type "user"');
      const target = state.users.get(body.broadcaster_user_id);
      if (!target) return sendError(res, 400, 'Channel not found');
      broadcaster = target;
      sender = owner;
      if (state.activeBan(broadcaster.userId, sender.userId)) return sendError(res, 400, 'You are banned from this channel');
      if (sender.userId === broadcaster.userId) badges = [{ text: 'Broadcaster', type: 'broadcaster' }];
    }
    const entry: ChatLogEntry = {
      messageId: randomUUID(),
      broadcasterUserId: broadcaster.userId,
      senderUserId: sender.userId,
      senderUsername: sender.username,
      content: body.content,
      type: body.type,
      replyToMessageId: body.reply_to_message_id ?? null,
      createdAt: state.clock.now(),
      deletedAt: null,
      clientId: token.clientId,
    };
    state.chat.push(entry);
    ctx.announceChat(entry, badges);
    sendOk(res, { is_sent: true, message_id: entry.messageId });
  });

  router.delete('/public/v1/chat/:messageId', guard('DELETE /public/v1/chat/:messageId', { userOnly: true }), (req, res) => {
    const token = tokenOf(res);
    const entry = state.chat.find((m) => m.messageId === req.params['messageId']);
    if (!entry) return sendError(res, 404, 'Message not found');
    if (entry.broadcasterUserId !== token.userId) return sendError(res, 403, 'You cannot moderate this channel');
    entry.deletedAt ??= state.clock.now();
    res.status(204).end();
  });
}
