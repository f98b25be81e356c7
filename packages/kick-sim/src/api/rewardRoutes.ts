/**
 * Channel Rewards: `GET`/`POST /public/v1/channels/rewards`, `PATCH`/`DELETE /public/v1/channels/rewards/{id}`,
 * `GET /public/v1/channels/rewards/redemptions` and `POST …/redemptions/accept|reject` — all on the token user's
 * own channel. A decision is delivered as `channel.reward.redemption.updated`.
 */
import type { Router } from 'express';
import { z } from 'zod';
import { RewardValidationError } from '../ChannelRewards.ts';
import type { RewardChanges, SimReward } from '../types.ts';
import { REDEMPTION_DECISION_MAX_IDS } from '../constants.ts';
import type { SimContext } from '../context.ts';
import { queryString, sendError, sendOk } from '../http.ts';
import { type Guard, pageParams, parseBody, sendPage, tokenOf } from './routeHelpers.ts';

function rewardJson(reward: SimReward): Record<string, unknown> {
  return {
    id: reward.id,
    title: reward.title,
    cost: reward.cost,
    description: reward.description,
    background_color: reward.backgroundColor,
    is_enabled: reward.isEnabled,
    is_paused: reward.isPaused,
    is_user_input_required: reward.isUserInputRequired,
    should_redemptions_skip_request_queue: reward.shouldRedemptionsSkipRequestQueue,
  };
}

const rewardFieldsSchema = {
  description: z.string().optional(),
  background_color: z.string().optional(),
  is_enabled: z.boolean().optional(),
  is_user_input_required: z.boolean().optional(),
  should_redemptions_skip_request_queue: z.boolean().optional(),
};
const createSchema = z.object({ title: z.string(), cost: z.number(), ...rewardFieldsSchema });
const patchSchema = z.object({ title: z.string().optional(), cost: z.number().optional(), is_paused: z.boolean().optional(), ...rewardFieldsSchema });
const decisionSchema = z.object({ ids: z.array(z.string().min(1)).min(1).max(REDEMPTION_DECISION_MAX_IDS) });

function fieldsOf(body: z.infer<typeof patchSchema>): RewardChanges {
  return {
    title: body.title,
    cost: body.cost,
    description: body.description,
    backgroundColor: body.background_color,
    isEnabled: body.is_enabled,
    isPaused: body.is_paused,
    isUserInputRequired: body.is_user_input_required,
    shouldRedemptionsSkipRequestQueue: body.should_redemptions_skip_request_queue,
  };
}

/** Adds these endpoints to the API router (each behind its auth guard; user tokens only: they act on the token user's channel). */
export function registerRewardRoutes(router: Router, ctx: SimContext, guard: Guard): void {
  const { rewards } = ctx;
  const ownChannel = (res: Parameters<typeof tokenOf>[0]): number => tokenOf(res).userId as number;

  router.get('/public/v1/channels/rewards', guard('GET /public/v1/channels/rewards', { userOnly: true }), (_req, res) => {
    sendOk(res, rewards.list(ownChannel(res)).map(rewardJson));
  });

  router.post('/public/v1/channels/rewards', guard('POST /public/v1/channels/rewards', { userOnly: true }), (req, res) => {
    const body = parseBody(createSchema, req, res);
    if (!body) return;
    const fields = fieldsOf(body);
    try {
      const reward = rewards.create(ownChannel(res), tokenOf(res).clientId, { ...fields, title: body.title, cost: body.cost });
      sendOk(res, rewardJson(reward));
    } catch (error) {
      if (error instanceof RewardValidationError) return sendError(res, 400, error.message);
      throw error;
    }
  });

  // Listed before `/:id` routes for readability; the methods differ, so Express would not confuse them anyway.
  router.get('/public/v1/channels/rewards/redemptions', guard('GET /public/v1/channels/rewards/redemptions', { userOnly: true }), (req, res) => {
    const page = pageParams(req, res);
    if (!page) return;
    const status = queryString(req, 'status');
    if (status !== undefined && status !== 'pending' && status !== 'accepted' && status !== 'rejected') {
      return sendError(res, 400, 'status must be pending, accepted or rejected');
    }
    const rewardId = queryString(req, 'reward_id');
    const items = rewards.listRedemptions(ownChannel(res), { ...(status ? { status } : {}), ...(rewardId ? { rewardId } : {}) });
    // ⚠ Listed with the fields of the `channel.reward.redemption.updated` event, without `broadcaster`.
    sendPage(res, items.map((r) => rewards.payload(r)), page);
  });

  for (const [action, status] of [
    ['accept', 'accepted'],
    ['reject', 'rejected'],
  ] as const) {
    const key = `POST /public/v1/channels/rewards/redemptions/${action}`;
    router.post(`/public/v1/channels/rewards/redemptions/${action}`, guard(key, { userOnly: true }), (req, res) => {
      const body = parseBody(decisionSchema, req, res);
      if (!body) return;
      const token = tokenOf(res);
      const { failed, decided } = rewards.decide(ownChannel(res), token.clientId, [...new Set(body.ids)], status);
      for (const redemption of decided) ctx.announceRedemption(redemption);
      sendOk(res, failed);
    });
  }

  router.patch('/public/v1/channels/rewards/:id', guard('PATCH /public/v1/channels/rewards/:id', { userOnly: true }), (req, res) => {
    const reward = rewards.find(ownChannel(res), String(req.params['id']));
    if (!reward) return sendError(res, 404, 'Reward not found');
    const body = parseBody(patchSchema, req, res);
    if (!body) return;
    try {
      sendOk(res, rewardJson(rewards.update(reward, fieldsOf(body))));
    } catch (error) {
      if (error instanceof RewardValidationError) return sendError(res, 400, error.message);
      throw error;
    }
  });

  router.delete('/public/v1/channels/rewards/:id', guard('DELETE /public/v1/channels/rewards/:id', { userOnly: true }), (req, res) => {
    const reward = rewards.find(ownChannel(res), String(req.params['id']));
    if (!reward) return sendError(res, 404, 'Reward not found');
    rewards.delete(reward);
    res.status(204).end();
  });
}
