/**
 * @kickcord/kick — Kick.com for kickcord: event schemas and parsing, a typed event dispatcher, webhook
 * verification, OAuth and the REST client. This index is the package's public face; the package's own
 * tests import internals (the schema compiler, wire types, retry policy) by path.
 */

// Events: types, parsing, schemas, sample payloads
export { KICK_EVENT_TYPES } from './events/eventTypes.ts';
export type { KickEventType } from './events/eventTypes.ts';
export { parseKickEvent } from './events/parseKickEvent.ts';
export { checkKickEvent, compileSchemaCheck } from './events/schemaCheck.ts';
export { compileSchemaNormalize, parseKickEventFast } from './events/schemaNormalize.ts';
export { eventBroadcasterId } from './events/kickEvent.ts';
export type { KickEvent, KickEventMap, KickEventOf } from './events/kickEvent.ts';
export { kickEventSchemas, kickUserSchema, kickKnownUserSchema } from './events/schemas.ts';
export type { KickUser, ChatMessageSentPayload } from './events/schemas.ts';
export { samplePayloads } from './events/samplePayloads.ts';

// Typed event dispatcher (on / once / off / onAny); see README.md
export { KickEventDispatcher } from './KickEventDispatcher.ts';
export type { KickEventHandler, KickAnyEventHandler, DispatchReport, KickEventDispatcherOptions } from './KickEventDispatcher.ts';

// Webhooks: signature verification and Kick's public key
export { KICK_PUBLIC_KEY_PEM } from './webhooks/kickPublicKey.ts';
export { verifyKickWebhook } from './webhooks/verifyKickWebhook.ts';
export type { WebhookVerification } from './webhooks/verifyKickWebhook.ts';
export { KickWebhookVerifier } from './webhooks/KickWebhookVerifier.ts';
export { WebhookKeyProvider } from './webhooks/WebhookKeyProvider.ts';
export { signKickWebhook } from './webhooks/signKickWebhook.ts';

// OAuth
export { KickOAuth } from './oauth/KickOAuth.ts';
export type { KickTokenSet } from './oauth/KickOAuth.ts';
export { KICKCORD_SCOPES } from './oauth/scopes.ts';
export type { KickScope, KickcordScope } from './oauth/scopes.ts';

// REST
export { KickApiClient, KICK_CHAT_MAX_LENGTH, KICK_CHANNELS_MAX_LOOKUP, KICK_REDEMPTION_DECISION_MAX } from './api/KickApiClient.ts';
export type {
  KickCategory,
  KickChannel,
  KickEventSubscription,
  KickLivestream,
  KickLivestreamsPage,
  KickLivestreamStats,
  KickRedemption,
  KickRedemptionFailure,
  KickRedemptionsPage,
  KickRedemptionStatus,
  KickReward,
  KickRewardChanges,
  KickRewardInput,
} from './api/types.ts';

// Errors (every error the package throws extends KickError)
export { KickError } from './errors/KickError.ts';
export { KickApiError } from './errors/KickApiError.ts';
export { KickOAuthError } from './errors/KickOAuthError.ts';
export { KickTimeoutError } from './errors/KickTimeoutError.ts';
export { KickValidationError } from './errors/KickValidationError.ts';
