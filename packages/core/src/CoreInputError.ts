/**
 * Thrown by core rules when a caller passes arguments that break a documented precondition
 * (a programming error, not bad user input — user input is answered with `{ ok: false, … }` results).
 * The message says which argument was wrong and what is accepted.
 */
export class CoreInputError extends Error {
  override readonly name = 'CoreInputError';

  constructor(message: string) {
    super(message);
  }
}
