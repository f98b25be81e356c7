/** One viewer whose balance an append would carry past the limit. */
export interface BalanceOverLimit {
  guildId: string;
  kickUserId: number;
  username: string;
  /** The balance before the append. */
  balance: number;
  /** The points the refused entries would add. */
  adding: number;
}

/**
 * Thrown by `appendLedgerEntries(…, { overLimit: 'refuse' })` when an entry would carry a balance past the
 * largest balance (`MAX_BALANCE`, 2,147,483,647). Nothing of the append was written.
 */
export class BalanceLimitError extends Error {
  override readonly name = 'BalanceLimitError';

  constructor(
    readonly viewers: readonly BalanceOverLimit[],
    readonly limit: number,
  ) {
    const first = viewers[0];
    const who = first ? `${first.username} has ${first.balance.toLocaleString('en-US')} points; adding ${first.adding.toLocaleString('en-US')}` : 'an entry';
    const more = viewers.length > 1 ? ` (and ${viewers.length - 1} more viewers)` : '';
    super(`${who} would pass the maximum balance of ${limit.toLocaleString('en-US')}${more} — nothing was written. Give at most the difference.`);
  }
}
