/** Users: `GET /public/v1/users`. */
import type { Router } from 'express';
import { MAX_LOOKUP_IDS } from '../constants.ts';
import type { SimContext } from '../context.ts';
import { parseId, queryList, sendError, sendOk } from '../http.ts';
import type { SimUser } from '../types.ts';
import { type Guard, tokenOf } from './routeHelpers.ts';

/** Adds these endpoints to the API router (each behind its auth guard). */
export function registerUserRoutes(router: Router, ctx: SimContext, guard: Guard): void {
  const { state } = ctx;
  router.get('/public/v1/users', guard('GET /public/v1/users'), (req, res) => {
    const token = tokenOf(res);
    const raw = queryList(req, 'id');
    if (raw.length > MAX_LOOKUP_IDS) return sendError(res, 400, `at most ${MAX_LOOKUP_IDS} ids per request`);
    const ids = raw.map(parseId);
    if (ids.some((id) => id === null)) return sendError(res, 400, 'id must be a positive integer');
    let lookup = ids as number[];
    if (lookup.length === 0) {
      if (token.userId === null) return sendError(res, 400, 'id is required when using an app access token');
      lookup = [token.userId];
    }
    const users = [...new Set(lookup)].map((id) => state.users.get(id)).filter((u): u is SimUser => u !== undefined);
    sendOk(
      res,
      users.map((u) => ({ user_id: u.userId, name: u.username, email: u.userId === token.userId ? u.email : '', profile_picture: u.profilePicture })),
    );
  });
}
