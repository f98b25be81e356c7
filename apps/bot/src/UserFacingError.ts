/**
 * An error whose message is meant for the person who ran a command (shown ephemerally).
 * Anything else is logged and answered with a generic message and a reference id.
 */
export class UserFacingError extends Error {
  override readonly name = 'UserFacingError';
}
