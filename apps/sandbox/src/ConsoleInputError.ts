/** A request the sandbox console cannot run (unknown viewer, malformed slash command…); answered 400 with the message. */
export class ConsoleInputError extends Error {
  override name = 'ConsoleInputError';
}
