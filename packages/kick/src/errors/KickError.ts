/**
 * Base class of every error thrown by `@kickcord/kick`. Subclasses fix `name` so callers can
 * branch on `error.name` even across realm/bundle boundaries.
 */
export class KickError extends Error {
  override name = 'KickError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
