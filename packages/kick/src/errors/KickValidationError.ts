import { KickError } from './KickError.ts';

/** Thrown before any request is made when arguments can never be accepted by Kick (e.g. chat content over 500 chars). */
export class KickValidationError extends KickError {
  override name = 'KickValidationError' as const;

  /** The argument that failed validation, e.g. `content`. */
  readonly field: string;

  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}
