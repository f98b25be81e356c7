import { ConnectionsError } from './ConnectionsError.ts';

/**
 * TOKEN_ENCRYPTION_KEY is a valid key but not the one the stored tokens were encrypted with: nothing
 * stored could be decrypted, so web and bot refuse to start. The message never carries a key.
 */
export class TokenKeyMismatchError extends ConnectionsError {
  override name = 'TokenKeyMismatchError' as const;

  constructor(readonly fingerprint: string) {
    super(
      'TOKEN_ENCRYPTION_KEY does not match the key the stored tokens were encrypted with: restore the original key, ' +
        'or — to start over with this key — delete the stored Kick connections and the key check ' +
        '(DELETE FROM "KickConnection"; DELETE FROM "TokenKeyCheck";) and have every streamer run /kick connect again ' +
        `(configured key fingerprint ${fingerprint})`,
    );
  }
}
