/** Event subscriptions: `GET`/`POST`/`DELETE /public/v1/events/subscriptions`. */
import type { Router } from 'express';
import { z } from 'zod';
import { SIM_EVENT_TYPES } from '../constants.ts';
import type { SimContext } from '../context.ts';
import { parseId, queryList, queryString, sendError, sendOk } from '../http.ts';
import type { TokenRecord } from '../SimState.ts';
import type { SimSubscription } from '../types.ts';
import { type Guard, idSchema, parseBody, tokenOf } from './routeHelpers.ts';

function subscriptionJson(sub: SimSubscription): Record<string, unknown> {
  return {
    id: sub.id,
    app_id: sub.clientId,
    broadcaster_user_id: sub.broadcasterUserId,
    event: sub.event,
    version: sub.version,
    method: sub.method,
    created_at: sub.createdAt.toISOString(),
    updated_at: sub.updatedAt.toISOString(),
  };
}

const subscribeSchema = z.object({
  events: z.array(z.object({ name: z.string().min(1), version: z.number().int() })).min(1),
  method: z.literal('webhook').default('webhook'),
  broadcaster_user_id: idSchema.optional(),
});

/** Adds these endpoints to the API router (each behind its auth guard). */
export function registerSubscriptionRoutes(router: Router, ctx: SimContext, guard: Guard): void {
  const { state } = ctx;
  const visibleSubscriptions = (token: TokenRecord): SimSubscription[] =>
    [...state.subscriptions.values()].filter((s) => s.clientId === token.clientId && (token.tokenType === 'app' || s.broadcasterUserId === token.userId));

  router.get('/public/v1/events/subscriptions', guard('GET /public/v1/events/subscriptions'), (req, res) => {
    const token = tokenOf(res);
    const filter = queryString(req, 'broadcaster_user_id');
    const filterId = filter === undefined ? null : parseId(filter);
    if (filter !== undefined && filterId === null) return sendError(res, 400, 'broadcaster_user_id must be a positive integer');
    const subs = visibleSubscriptions(token).filter((s) => filterId === null || s.broadcasterUserId === filterId);
    sendOk(res, subs.map(subscriptionJson));
  });

  router.post('/public/v1/events/subscriptions', guard('POST /public/v1/events/subscriptions'), (req, res) => {
    const token = tokenOf(res);
    const body = parseBody(subscribeSchema, req, res);
    if (!body) return;
    const app = state.requireApp(token.clientId);
    let broadcasterId: number;
    if (token.tokenType === 'user') {
      broadcasterId = token.userId as number; // a user token subscribes for its own channel
    } else {
      if (body.broadcaster_user_id === undefined) return sendError(res, 400, 'broadcaster_user_id is required when using an app access token');
      broadcasterId = body.broadcaster_user_id;
    }
    if (!state.users.has(broadcasterId)) return sendError(res, 400, 'Channel not found');
    if (!app.webhookEnabled) return sendError(res, 400, 'webhooks are disabled for this app');
    if (state.subscriptionCount(app.clientId) + body.events.length > ctx.subscriptionCap) return sendError(res, 400, 'event subscription limit reached');
    const results = body.events.map((e) => {
      if (!(SIM_EVENT_TYPES as readonly string[]).includes(e.name)) return { name: e.name, version: e.version, subscription_id: null, error: 'event not found' };
      if (e.version !== 1) return { name: e.name, version: e.version, subscription_id: null, error: 'event version not found' };
      // Kick quirk: identical subscriptions are accepted (new id) and each is delivered separately.
      const sub = state.newSubscription(app.clientId, broadcasterId, e.name, e.version);
      return { name: e.name, version: e.version, subscription_id: sub.id, error: null };
    });
    sendOk(res, results);
  });

  router.delete('/public/v1/events/subscriptions', guard('DELETE /public/v1/events/subscriptions'), (req, res) => {
    const token = tokenOf(res);
    const ids = queryList(req, 'id');
    if (ids.length === 0) return sendError(res, 400, 'id is required');
    const visible = new Set(visibleSubscriptions(token).map((s) => s.id));
    for (const id of ids) if (visible.has(id)) state.subscriptions.delete(id);
    res.status(204).end();
  });
}
