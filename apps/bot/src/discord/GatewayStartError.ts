/**
 * The Discord gateway could not start with this configuration (shards Discord refuses, sharding required,
 * a token it rejects). The message names the environment variable to change; `closeCode` is Discord's
 * gateway close code when Discord closed the connection.
 */
export class GatewayStartError extends Error {
  override readonly name = 'GatewayStartError';
  constructor(
    message: string,
    readonly closeCode?: number,
  ) {
    super(message);
  }
}
