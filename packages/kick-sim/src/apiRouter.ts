import express, { type Router } from 'express';
import { registerCategoryRoutes } from './api/categoryRoutes.ts';
import { registerChannelRoutes } from './api/channelRoutes.ts';
import { registerChatRoutes } from './api/chatRoutes.ts';
import { registerKicksRoutes } from './api/kicksRoutes.ts';
import { registerModerationRoutes } from './api/moderationRoutes.ts';
import { registerRewardRoutes } from './api/rewardRoutes.ts';
import { createGuard } from './api/routeHelpers.ts';
import { registerSubscriptionRoutes } from './api/subscriptionRoutes.ts';
import { registerUserRoutes } from './api/userRoutes.ts';
import type { SimContext } from './context.ts';
import { sendError, sendOk } from './http.ts';

/** api.kick.com: every /public/v1 and /public/v2 endpoint kickcord uses, as Kick documents them, one file per resource under api/. */
export function createApiRouter(ctx: SimContext): Router {
  const router = express.Router();
  const guard = createGuard(ctx.state);
  router.use(express.json({ limit: '1mb' }));
  router.get('/public/v1/public-key', (_req, res) => sendOk(res, { public_key: ctx.publicKeyPem }));
  registerUserRoutes(router, ctx, guard);
  registerRewardRoutes(router, ctx, guard);
  registerChannelRoutes(router, ctx, guard);
  registerCategoryRoutes(router, ctx, guard);
  registerChatRoutes(router, ctx, guard);
  registerModerationRoutes(router, ctx, guard);
  registerSubscriptionRoutes(router, ctx, guard);
  registerKicksRoutes(router, ctx, guard);
  router.use('/public', (_req, res) => sendError(res, 404, 'Not found'));
  return router;
}
