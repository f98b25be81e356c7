/** Thrown by the simulator's test-side API (helpers, waitFor*, CLI) when misused or when a wait times out. */
export class KickSimError extends Error {
  override readonly name = 'KickSimError';
}
