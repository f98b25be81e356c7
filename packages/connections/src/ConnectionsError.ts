/** Base error of @kickcord/connections; messages say how to fix the problem and never carry secrets. */
export class ConnectionsError extends Error {
  override name = 'ConnectionsError';
}
