/** Thrown inside a transaction to roll it back; carries the outcome to report. */
export class TransactionRollback<T extends string = string> extends Error {
  override readonly name = 'TransactionRollback';
  constructor(readonly outcome: T) {
    super(`rolled back: ${outcome}`);
  }
}
