import type { InteractionResponses } from '../../interactions/InteractionResponses.ts';
import type { Route } from '../reply.ts';

/** Interaction callbacks and the interaction webhook (follow-ups, `@original`); authenticated by the token in the path. */
export function interactionRoutes(responses: InteractionResponses): Route[] {
  return [
    ['POST', /^\/interactions\/(\d+)\/([^/]+)\/callback$/, (m, ctx) => responses.callback(m[1] as string, m[2] as string, ctx), false],
    ['POST', /^\/webhooks\/(\d+)\/([^/]+)$/, (m, ctx) => responses.followUp(m[1] as string, m[2] as string, ctx), false],
    ['GET', /^\/webhooks\/(\d+)\/([^/]+)\/messages\/(@original|\d+)$/, (m) => responses.webhookMessage('GET', m, { json: {}, files: [] }), false],
    ['PATCH', /^\/webhooks\/(\d+)\/([^/]+)\/messages\/(@original|\d+)$/, (m, ctx) => responses.webhookMessage('PATCH', m, ctx), false],
    ['DELETE', /^\/webhooks\/(\d+)\/([^/]+)\/messages\/(@original|\d+)$/, (m) => responses.webhookMessage('DELETE', m, { json: {}, files: [] }), false],
  ];
}
