import { fileURLToPath } from 'node:url';
import { loadEnvOrExit } from '@kickcord/config';
import { checkTokenEncryptionKey, TokenKeyMismatchError } from '@kickcord/connections';
import { closeWebDeps, createWebDeps, type CreateWebDepsOptions } from './deps.ts';
import { processEnv, webEnvSchema, parseWebEnv } from './env.ts';
import { createWebServer } from './server.ts';

export { CONNECTIONS_CHECK_INTERVAL_MS, createWebApp, createWebServer, REQUEST_TIMEOUT_MS, SHUTDOWN_GRACE_MS, WEBHOOK_PATH } from './server.ts';
export type { WebServer } from './server.ts';
export { closeWebDeps, createWebDeps } from './deps.ts';
export type { CreateWebDepsOptions, WebConfig, WebDeps } from './deps.ts';
export {
  DEFAULT_ADMIN_AUTH_MAX_FAILURES,
  DEFAULT_ADMIN_AUTH_WINDOW_SECONDS,
  DEFAULT_HTTP_HEADERS_TIMEOUT_MS,
  DEFAULT_WEBHOOK_BODY_TIMEOUT_MS,
  DEFAULT_WEBHOOK_MAX_AGE_SECONDS,
  DEFAULT_WEBHOOK_MAX_BODY_BYTES,
  DEFAULT_WEBHOOK_MAX_PENDING_BODIES,
  DEFAULT_WEBHOOK_PENDING_BODY_BYTES,
  parseWebEnv,
  webEnvSchema,
} from './env.ts';
export type { WebEnv } from './env.ts';
export { WebMetrics } from './metrics.ts';
export { WEB_NODE_FLAGS } from './nodeFlags.ts';
export { createWebhookHandler, DEDUPE_TTL_MARGIN_MS, ENQUEUE_TIMEOUT_MS, WEBHOOK_MAX_FUTURE_SKEW_MS } from './webhooks/createWebhookHandler.ts';
export type { WebhookHandler, WebhookHandlerDeps } from './webhooks/createWebhookHandler.ts';
export { checkDeliveryHeaders, isKickMessageId } from './webhooks/checkDeliveryHeaders.ts';
export type { DeliveryHeaderLimits, HeaderRefusal, HeaderRefusalReason } from './webhooks/checkDeliveryHeaders.ts';
export { redactUrl, SECRET_QUERY_PARAMS } from './logger.ts';
export { OAUTH_CALLBACK_PATH, OAUTH_STATE_TTL_MS } from './routes/connectRoutes.ts';
export { ADMIN_LOGIN_FAILURES_KEY, ADMIN_QUEUES_PATH, ADMIN_USER } from './routes/adminRoutes.ts';

/**
 * Refuses to start when TOKEN_ENCRYPTION_KEY is not the key the stored tokens were encrypted with
 * (`TokenKeyMismatchError`, whose message says what to do); closes the dependencies before throwing.
 * A database that cannot be reached yet does not stop the start: `/readyz` reports it, and checks the key
 * once the database answers.
 */
async function refuseWrongTokenKey(deps: ReturnType<typeof createWebDeps>): Promise<void> {
  try {
    await checkTokenEncryptionKey(deps.prisma, deps.cipher);
  } catch (error) {
    if (!(error instanceof TokenKeyMismatchError)) {
      deps.logger.warn({ err: { message: error instanceof Error ? error.message : String(error) } }, 'token key check skipped at start: database not reachable; /readyz checks it');
      return;
    }
    await closeWebDeps(deps);
    throw error;
  }
}

/** A running web app started by {@link startWeb}. */
export interface WebHandle {
  url: string;
  port: number;
  /** Graceful stop: stop accepting, finish in-flight requests, close queue, Redis and Prisma. */
  close(): Promise<void>;
}

/**
 * Loads the environment (`process.env` merged with `envOverrides`), builds the dependencies and
 * listens on PORT (host `0.0.0.0`; pass `options.host` to narrow). Throws `EnvError` on bad config.
 */
export async function startWeb(
  envOverrides: Record<string, string | undefined> = {},
  options: CreateWebDepsOptions & { host?: string } = {},
): Promise<WebHandle> {
  const env = parseWebEnv({ ...processEnv(), ...envOverrides });
  const deps = createWebDeps(env, options);
  await refuseWrongTokenKey(deps);
  const web = createWebServer(deps);
  const { url, port } = await web.listen(env.PORT, options.host);
  deps.logger.info({ url, publicUrl: deps.config.publicUrl }, 'kickcord web listening');
  let closed: Promise<void> | undefined;
  return {
    url,
    port,
    close() {
      closed ??= (async () => {
        await web.close();
        await closeWebDeps(deps);
      })();
      return closed;
    },
  };
}

async function main(): Promise<void> {
  const env = loadEnvOrExit(webEnvSchema, processEnv());
  const deps = createWebDeps(env);
  await refuseWrongTokenKey(deps);
  const web = createWebServer(deps);
  const { url } = await web.listen(env.PORT);
  deps.logger.info({ url, publicUrl: deps.config.publicUrl, webhook: `${deps.config.publicUrl}/webhooks/kick` }, 'kickcord web listening');
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    deps.logger.info({ signal }, 'shutting down: no new connections, finishing in-flight requests');
    await web.close();
    await closeWebDeps(deps);
    deps.logger.info('shutdown complete');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    console.error('kickcord web failed to start:', error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
