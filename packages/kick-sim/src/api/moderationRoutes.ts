/** Moderation: `POST`/`DELETE /public/v1/moderation/bans`. */
import type { Router } from 'express';
import { z } from 'zod';
import { BAN_MAX_MINUTES, BAN_MIN_MINUTES } from '../constants.ts';
import type { SimContext } from '../context.ts';
import { sendError, sendOk } from '../http.ts';
import { type Guard, idSchema, parseBody, tokenOf } from './routeHelpers.ts';

const banSchema = z.object({
  broadcaster_user_id: idSchema,
  user_id: idSchema,
  duration: z.number().int().optional(),
  reason: z.string().max(100).optional(),
});
const unbanSchema = z.object({ broadcaster_user_id: idSchema, user_id: idSchema });
/** Adds these endpoints to the API router (each behind its auth guard). */
export function registerModerationRoutes(router: Router, ctx: SimContext, guard: Guard): void {
  const { state } = ctx;
  router.post('/public/v1/moderation/bans', guard('POST /public/v1/moderation/bans', { userOnly: true }), (req, res) => {
    const token = tokenOf(res);
    const body = parseBody(banSchema, req, res);
    if (!body) return;
    if (body.broadcaster_user_id !== token.userId) return sendError(res, 403, 'You cannot moderate this channel');
    if (!state.users.has(body.user_id)) return sendError(res, 400, 'User not found');
    if (body.user_id === body.broadcaster_user_id) return sendError(res, 400, 'You cannot ban the broadcaster');
    if (body.duration !== undefined && (body.duration < BAN_MIN_MINUTES || body.duration > BAN_MAX_MINUTES)) {
      return sendError(res, 400, `duration must be between ${BAN_MIN_MINUTES} and ${BAN_MAX_MINUTES} minutes`);
    }
    const createdAt = state.clock.now();
    const expiresAt = body.duration === undefined ? null : new Date(createdAt.getTime() + body.duration * 60_000);
    const reason = body.reason ?? '';
    state.unban(body.broadcaster_user_id, body.user_id);
    state.bans.push({ broadcasterUserId: body.broadcaster_user_id, userId: body.user_id, reason, createdAt, expiresAt });
    ctx.announceBan({ broadcasterUserId: body.broadcaster_user_id, moderatorUserId: token.userId as number, bannedUserId: body.user_id, reason, createdAt, expiresAt });
    sendOk(res, {});
  });

  router.delete('/public/v1/moderation/bans', guard('DELETE /public/v1/moderation/bans', { userOnly: true }), (req, res) => {
    const token = tokenOf(res);
    const body = parseBody(unbanSchema, req, res);
    if (!body) return;
    if (body.broadcaster_user_id !== token.userId) return sendError(res, 403, 'You cannot moderate this channel');
    state.unban(body.broadcaster_user_id, body.user_id);
    sendOk(res, {});
  });
}
