// Public API of @kickcord/connections: what apps/web and apps/bot share about Kick connections,
// subscriptions, token refresh, connect links and the OAuth callback's save, guild ↔ broadcaster links, delivery records
// and Discord ↔ Kick account links.

export { CONNECT_LINK_TTL_MS, issueConnectLink, verifyConnectToken } from './connectLink.ts';
export type { ConnectTokenVerification, IssueConnectLinkInput } from './connectLink.ts';
export { completeKickConnect } from './completeKickConnect.ts';
export type { CompleteKickConnectInput, CompleteKickConnectResult } from './completeKickConnect.ts';

export { ACCESS_TOKEN_REFRESH_WINDOW_MS, KickConnectionStore, grantExpiresAt, KICK_GRANT_LIFETIME_MS } from './KickConnectionStore.ts';
export type { DecryptedConnection, KickConnectionStoreOptions, RefreshOutcome, SaveConnectionInput } from './KickConnectionStore.ts';

export {
  isSubscriptionLimitReached,
  SUBSCRIPTION_LIMIT_AUDIT_PREFIX,
  SUBSCRIPTION_LIMIT_BACKOFF,
  SUBSCRIPTION_LIMIT_REASON,
  SUBSCRIPTION_LOCK_NAMESPACE,
  SubscriptionService,
} from './SubscriptionService.ts';
export type { EnsureResult, ReconcileSummary, SubscriptionChange, SubscriptionLimitState, SubscriptionServiceOptions } from './SubscriptionService.ts';
export { eventsFor, eventsForKinds, OWNER_EVENTS, SUBSCRIPTION_EVENT_VERSION, WATCH_EVENTS } from './subscriptionEvents.ts';

export { TokenRefresher } from './TokenRefresher.ts';
export type { RefreshCounts } from './TokenRefresher.ts';
export { processReconcileSubscriptions, processRefreshTokens, REFRESH_AHEAD_MS } from './processors.ts';

export { guildsForBroadcaster, linkWatch, unlinkWatch } from './guildLinks.ts';
export { GuildFanOutCache } from './GuildFanOutCache.ts';
export type { GuildFanOutCacheOptions } from './GuildFanOutCache.ts';
export type { GuildFanOut, KickChannelInfo, LinkWatchInput } from './guildLinks.ts';

export { chatReplyCounts, gatherGuildStatus, missingRequestedScopes } from './guildStatus.ts';
export type { ChatReplyCounts, GuildStatus } from './guildStatus.ts';

export { flushLastHeard, LAST_DELIVERY_RESOLUTION_SECONDS, lastHeardKey, markHeard, recordDelivery } from './recordDelivery.ts';

export { checkTokenEncryptionKey } from './tokenKeyCheck.ts';
export type { TokenKeyCheckOutcome } from './tokenKeyCheck.ts';
export { TokenKeyMismatchError } from './TokenKeyMismatchError.ts';

export { ConnectionsError } from './ConnectionsError.ts';
export { ReauthRequiredError } from './ReauthRequiredError.ts';
export { silentLogger } from './logger.ts';
export type { ConnectionsLogger } from './logger.ts';

export { findLinkByDiscord, findLinkByKick, findLinkByKickUsername, linkAccounts, linkedDiscordIds, unlinkAccount } from './accountLinks.ts';
export type { LinkAccountsInput, LinkAccountsResult } from './accountLinks.ts';
export { ACCOUNT_LINK_PATH, ACCOUNT_LINK_URL_TTL_MS, issueAccountLinkUrl, verifyAccountLinkToken } from './accountLinkUrl.ts';
export type { AccountLinkTokenVerification } from './accountLinkUrl.ts';

export { DiscordUserApi } from './linkedRoles/DiscordUserApi.ts';
export type { DiscordCurrentUser, DiscordGuildChannel, DiscordGuildMember, DiscordGuildRole, DiscordUserApiOptions, DiscordUserGuild } from './linkedRoles/DiscordUserApi.ts';
export { DiscordUserApiError } from './linkedRoles/DiscordUserApiError.ts';
export type { DiscordUserCall } from './linkedRoles/DiscordUserApiError.ts';
export { DiscordUserOAuth, LINKED_ROLES_SCOPES } from './linkedRoles/DiscordUserOAuth.ts';
export type { DiscordTokenSet, DiscordUserOAuthOptions } from './linkedRoles/DiscordUserOAuth.ts';
export { LINKED_ROLES_METADATA, ROLE_CONNECTION_PLATFORM_NAME, RoleConnectionMetadataType, roleConnectionBody, sameRoleConnection } from './linkedRoles/metadata.ts';
export type { LinkedRoleValues, RoleConnectionBody, RoleConnectionMetadataRecord } from './linkedRoles/metadata.ts';
export { DISCORD_TOKEN_REFRESH_MARGIN_MS, RoleConnectionService, STATS_REWRITE_INTERVAL_MS, SUBSCRIBER_GRACE_MS } from './linkedRoles/RoleConnectionService.ts';
export type { RoleConnectionOutcome, RoleConnectionServiceOptions } from './linkedRoles/RoleConnectionService.ts';
