import type { ReconcileSummary, SubscriptionService } from './SubscriptionService.ts';
import type { RefreshCounts, TokenRefresher } from './TokenRefresher.ts';

/** How far ahead the scheduled refresher looks (it runs more often than this). */
export const REFRESH_AHEAD_MS = 30 * 60 * 1000;

/** Processor of the `reconcile-subscriptions` maintenance job. Its return value becomes the job's result. */
export function processReconcileSubscriptions(deps: { subscriptions: SubscriptionService }): Promise<ReconcileSummary> {
  return deps.subscriptions.reconcile();
}

/** Processor of the `refresh-tokens` maintenance job: refreshes connections expiring within `withinMs` (default 30 min). */
export function processRefreshTokens(deps: { refresher: TokenRefresher; now?: () => Date; withinMs?: number }): Promise<RefreshCounts> {
  return deps.refresher.refreshExpiring(deps.now?.() ?? new Date(), deps.withinMs ?? REFRESH_AHEAD_MS);
}
