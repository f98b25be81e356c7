/**
 * Node/V8 flags the web process runs with (`pnpm start:web`; apps/web/package.json's `start` script
 * must list the same — a test checks it — and the ingest bench starts its web process with them).
 *
 * `--max-semi-space-size=8` (MB; V8's default on 64-bit is 16): the webhook route allocates a lot
 * of short-lived garbage per delivery, and 16 MB semi-spaces let the young generation alone grow by
 * ~50 MB under load. Measured (docs/performance.md, A/B in one run): peak RSS under load 272 → 254 MB
 * with no loss of throughput or CPU per delivery; 4 MB saved ~37 MB more but cost ~6% CPU, 2 and 1 MB more.
 */
export const WEB_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8'];
