import type { RestDeps } from '../RestDeps.ts';
import { ok, type Route } from '../reply.ts';

/**
 * `GET /gateway` and `GET /gateway/bot`: the gateway URL, the recommended shard count
 * (max(1, ceil(guilds / guildsPerShard))) and the live session-start budget.
 */
export function gatewayRoutes({ state, gateway, gatewayUrl, guildsPerShard }: RestDeps): Route[] {
  return [
    ['GET', /^\/gateway$/, () => ok({ url: gatewayUrl() }), false],
    ['GET', /^\/gateway\/bot$/, () => ok({
      url: gatewayUrl(),
      shards: Math.max(1, Math.ceil(state.liveGuilds().length / guildsPerShard)),
      session_start_limit: gateway.sessionStartLimit(),
    }), true],
  ];
}
