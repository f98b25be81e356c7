/**
 * Node/V8 flags the web process runs with (`pnpm start:web`; apps/web/package.json's `start` script
 * must list the same — a test checks it, and that this Node accepts them — and the ingest bench starts
 * its web process with them). Both bound the V8 heap under webhook load; measured in alternating runs
 * against the defaults (docs/performance.md):
 *
 * - `--max-semi-space-size=4` (MB; V8's default on 64-bit is 16): each young-generation half. The route
 *   allocates ~15 KB of short-lived garbage per delivery; 16 MB semi-spaces let the young generation
 *   alone take ~50 MB.
 * - `--heap-growing-percent=50`: after a full GC V8 lets the old generation grow to ~4× what survived
 *   when GC is cheap (it is here: little survives), i.e. ~140 MB for a ~35 MB live heap; 50% caps it at
 *   1.5×.
 *
 * Together, measured 2026-11-23 on a 2-vCPU AMD EPYC VM: peak RSS −15 to −20 MB, deliveries/s and CPU
 * per delivery unchanged within noise (3 pairs of 10 s runs). On a 2-vCPU Intel Xeon VM (2026-11-22)
 * 4 MB semi-spaces cost ~6% more CPU while zod built its output objects for every delivery; the
 * compiled payload checks no longer make that garbage.
 */
export const WEB_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4', '--heap-growing-percent=50'];
