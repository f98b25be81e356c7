/**
 * @kickcord/sandbox — the local sandbox that `pnpm start` runs without Discord/Kick credentials: kick-sim,
 * discord-sim, apps/web and apps/bot on local PostgreSQL and Redis, a demo guild connected through the real
 * OAuth flow, a demo stream, and a console page to watch and drive it. `src/cli.ts` is the `pnpm start` entry.
 */
export { SANDBOX_PORTS, startSandbox } from './startSandbox.ts';
export type { Sandbox, SandboxOptions } from './startSandbox.ts';
export type { DemoUser } from './demoStream.ts';
export { DEFAULT_SANDBOX_DATABASE_URL, DEFAULT_SANDBOX_REDIS_URL, sandboxDatabaseUrl } from './services.ts';
export { loadEnvFile } from './envFile.ts';
export { SandboxServiceError } from './SandboxServiceError.ts';
