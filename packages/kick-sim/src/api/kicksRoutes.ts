/** Kicks: `GET /public/v1/kicks/leaderboard`. */
import type { Router } from 'express';
import type { SimContext } from '../context.ts';
import { queryString, sendError, sendOk } from '../http.ts';
import { type Guard, tokenOf } from './routeHelpers.ts';

/** Adds these endpoints to the API router (each behind its auth guard). */
export function registerKicksRoutes(router: Router, ctx: SimContext, guard: Guard): void {
  const { state } = ctx;
  router.get('/public/v1/kicks/leaderboard', guard('GET /public/v1/kicks/leaderboard', { userOnly: true }), (req, res) => {
    const token = tokenOf(res);
    const rawTop = queryString(req, 'top');
    const top = rawTop === undefined ? 10 : Number(rawTop);
    if (!Number.isInteger(top) || top < 1 || top > 100) return sendError(res, 400, 'top must be an integer between 1 and 100');
    const now = state.nowMs();
    const board = (sinceMs: number): Record<string, unknown>[] => {
      const totals = new Map<number, number>();
      for (const k of state.kicks) {
        if (k.broadcasterUserId === token.userId && k.at.getTime() >= sinceMs) totals.set(k.senderUserId, (totals.get(k.senderUserId) ?? 0) + k.amount);
      }
      return [...totals.entries()]
        .sort((a, b) => b[1] - a[1] || a[0] - b[0])
        .slice(0, top)
        .map(([userId, amount], i) => ({ gifted_amount: amount, rank: i + 1, user_id: userId, username: state.users.get(userId)?.username ?? '' }));
    };
    sendOk(res, { lifetime: board(0), month: board(now - 30 * 86_400_000), week: board(now - 7 * 86_400_000) });
  });
}
