import type { RestDeps } from '../RestDeps.ts';
import { ok, type Route } from '../reply.ts';

/** `GET /gateway` and `GET /gateway/bot`. */
export function gatewayRoutes(deps: RestDeps): Route[] {
  return [
    ['GET', /^\/gateway$/, () => ok({ url: deps.gatewayUrl() }), false],
    ['GET', /^\/gateway\/bot$/, () => ok({ url: deps.gatewayUrl(), shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 } }), true],
  ];
}
