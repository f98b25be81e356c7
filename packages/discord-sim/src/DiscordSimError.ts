/** Thrown by the simulator's test-side helpers (invoke, waitFor*, …) when they are misused or time out. */
export class DiscordSimError extends Error {
  override readonly name = 'DiscordSimError';
}
