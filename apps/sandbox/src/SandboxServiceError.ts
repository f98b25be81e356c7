/** PostgreSQL or Redis is missing or unusable for the sandbox; the message says which and how to start it. */
export class SandboxServiceError extends Error {
  override name = 'SandboxServiceError';
}
