// Public API of @kickcord/kick: Kick.com events, webhook verification, OAuth and REST.

// Events
export { KICK_EVENT_TYPES, isKickEventType } from './events/eventTypes.ts';
export type { KickEventType } from './events/eventTypes.ts';
export {
  kickEventSchemas,
  kickUserSchema,
  kickKnownUserSchema,
  kickIdentitySchema,
  kickBadgeSchema,
  chatMessageSentSchema,
  channelFollowedSchema,
  subscriptionNewSchema,
  subscriptionRenewalSchema,
  subscriptionGiftsSchema,
  rewardRedemptionUpdatedSchema,
  livestreamStatusUpdatedSchema,
  livestreamMetadataUpdatedSchema,
  moderationBannedSchema,
  kicksGiftedSchema,
} from './events/schemas.ts';
export type {
  KickBadge,
  KickIdentity,
  KickUser,
  KickKnownUser,
  ChatMessageSentPayload,
  ChannelFollowedPayload,
  SubscriptionNewPayload,
  SubscriptionRenewalPayload,
  SubscriptionGiftsPayload,
  RewardRedemptionUpdatedPayload,
  LivestreamStatusUpdatedPayload,
  LivestreamMetadataUpdatedPayload,
  ModerationBannedPayload,
  KicksGiftedPayload,
} from './events/schemas.ts';
export { eventBroadcasterId } from './events/kickEvent.ts';
export type { KickEvent, KickEventMap, KickEventOf } from './events/kickEvent.ts';
export { parseKickEvent } from './events/parseKickEvent.ts';
export { checkKickEvent, compileSchemaCheck, compileSchemaChecks, KICK_EVENT_CHECKS_SOURCE, UnsupportedSchemaError } from './events/schemaCheck.ts';
export type { KickEventParseResult, KickEventParseFailure, KickEventIssue } from './events/parseKickEvent.ts';
export { samplePayloads, sampleKickEvent } from './events/samplePayloads.ts';

// Webhooks
export { KICK_PUBLIC_KEY_PEM } from './webhooks/kickPublicKey.ts';
export { KICK_WEBHOOK_HEADERS } from './webhooks/headers.ts';
export { verifyKickWebhook, verifyKickWebhookAsync } from './webhooks/verifyKickWebhook.ts';
export { KickWebhookVerifier } from './webhooks/KickWebhookVerifier.ts';
export type { KickWebhookVerifierOptions } from './webhooks/KickWebhookVerifier.ts';
export type { VerifyKickWebhookInput, WebhookVerification, WebhookRejectReason } from './webhooks/verifyKickWebhook.ts';
export { signKickWebhook } from './webhooks/signKickWebhook.ts';
export { WebhookKeyProvider, KEY_REFRESH_INTERVAL_MS, KEY_FETCH_RETRY_MS } from './webhooks/WebhookKeyProvider.ts';
export type { WebhookKeyProviderOptions } from './webhooks/WebhookKeyProvider.ts';

// OAuth
export { KickOAuth, APP_TOKEN_EXPIRY_MARGIN_MS } from './oauth/KickOAuth.ts';
export type { KickOAuthOptions, KickTokenSet, KickTokenIntrospection } from './oauth/KickOAuth.ts';
export { KICKCORD_SCOPES, SCOPE_REASONS } from './oauth/scopes.ts';
export type { KickScope, KickcordScope } from './oauth/scopes.ts';
export { pkceChallenge } from './oauth/pkce.ts';

// REST
export { KickApiClient, KICK_CHAT_MAX_LENGTH, KICK_CHANNELS_MAX_LOOKUP, KICK_SUBSCRIPTION_DELETE_CHUNK } from './api/KickApiClient.ts';
export type { KickApiClientOptions, KickRetryInfo } from './api/KickApiClient.ts';
export type { RetryMode } from './api/retryPolicy.ts';
export type {
  KickApiUser,
  KickCategory,
  KickChannel,
  KickChannelStream,
  KickChatSendResult,
  KickEventSubscription,
  KickEventSubscriptionResult,
  KickLivestream,
  KickLivestreamsPage,
  KickLeaderboard,
  KickLeaderboardEntry,
} from './api/types.ts';
export type * as KickWire from './api/wire.ts';

// Dispatcher
export { KickEventDispatcher } from './KickEventDispatcher.ts';
export type { KickEventHandler, KickAnyEventHandler, DispatchReport, KickEventDispatcherOptions } from './KickEventDispatcher.ts';

// Errors
export { KickError } from './errors/KickError.ts';
export { KickApiError } from './errors/KickApiError.ts';
export { KickTimeoutError } from './errors/KickTimeoutError.ts';
export { KickValidationError } from './errors/KickValidationError.ts';
export { KickOAuthError } from './errors/KickOAuthError.ts';
export type { KickOAuthGrant } from './errors/KickOAuthError.ts';
