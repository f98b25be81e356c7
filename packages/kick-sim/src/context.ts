import type { ChannelRewards } from './ChannelRewards.ts';
import type { SimState, TokenRecord } from './SimState.ts';
import type { ChatLogEntry, SimBadge, SimRedemption } from './types.ts';

/** A scripted API failure (e.g. a 429 with Retry-After) served before routing. */
export interface InjectedFailure {
  method?: string;
  /** Exact path or a RegExp tested against the path (no query string). */
  path?: string | RegExp;
  status: number;
  remaining: number;
  retryAfterSec?: number;
  body?: unknown;
}

/** What the HTTP routers need from the simulator (kept narrow so routers stay testable and acyclic). */
export interface SimContext {
  state: SimState;
  publicKeyPem: string;
  autoApprove: boolean;
  accessTokenTtlSec: number;
  refreshTokenTtlSec: number;
  subscriptionCap: number;
  failures: InjectedFailure[];
  /** Webhook side effects of API calls (fire and forget; errors are recorded, never thrown). */
  announceChat(entry: ChatLogEntry, badges: SimBadge[]): void;
  announceBan(input: { broadcasterUserId: number; moderatorUserId: number; bannedUserId: number; reason: string; createdAt: Date; expiresAt: Date | null }): void;
  announceMetadata(broadcasterUserId: number): void;
  /** Every channel's rewards and redemptions. */
  rewards: ChannelRewards;
  /** Delivers a redemption's new status (`channel.reward.redemption.updated`) after an accept or reject. */
  announceRedemption(redemption: SimRedemption): void;
}

/** Per-request data the routers leave for the API call log. */
export interface CallLocals {
  token?: TokenRecord;
}
