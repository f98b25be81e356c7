/**
 * Node/V8 flags the web process runs with (`pnpm start:web`; apps/web/package.json's `start` script
 * must list the same — a test checks it — and the ingest bench starts its web process with them).
 *
 * `--max-semi-space-size=4` (MB; V8's default on 64-bit is 16): the webhook route allocates a lot
 * of short-lived garbage per delivery, and with 16 MB semi-spaces the young generation alone grows
 * by ~50 MB under load. Measured in docs/performance.md: peak RSS under load 275 → 194 MB with no
 * measurable change in CPU per delivery (2 MB and 1 MB saved a little more memory but cost CPU).
 */
export const WEB_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];
