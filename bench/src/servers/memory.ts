import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { CACHE_DIR } from '../pool.ts';

/** CPU ticks (user + system, 1/100 s) per thread name, from /proc/self/task (Linux; empty elsewhere). */
function threadTicks(): Map<string, number> {
  const out = new Map<string, number>();
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      try {
        const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
        const close = stat.lastIndexOf(')');
        const name = `${stat.slice(stat.indexOf('(') + 1, close)}${tid === String(process.pid) ? ' (main)' : ''}`;
        const fields = stat.slice(close + 2).split(' ');
        const ticks = Number(fields[11]) + Number(fields[12]);
        out.set(name, (out.get(name) ?? 0) + ticks);
      } catch {
        // thread ended
      }
    }
  } catch {
    // not Linux
  }
  return out;
}

/**
 * `BENCH_HEAP_PROFILE=survivors|all`: V8's sampling heap profiler over each measured run, written to
 * bench/.cache/profiles/*.heapprofile (open in Chrome DevTools → Memory). `survivors` keeps only
 * allocations that outlived every young-generation GC — what fills the old generation and so drives
 * peak RSS; `all` every allocation (what makes the GC work).
 */
function heapSampler(): { start(): Promise<void>; stop(): Promise<void> } | undefined {
  const mode = process.env.BENCH_HEAP_PROFILE;
  if (mode !== 'survivors' && mode !== 'all') return undefined;
  const session = new Session();
  session.connect();
  let runs = 0;
  return {
    async start() {
      await session.post('HeapProfiler.enable');
      await session.post('HeapProfiler.startSampling', {
        samplingInterval: 4096,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: mode === 'all',
      } as never);
    },
    async stop() {
      const { profile } = (await session.post('HeapProfiler.stopSampling')) as { profile: unknown };
      const dir = join(CACHE_DIR, 'profiles');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `heap-${mode}-${process.pid}-${++runs}.heapprofile`), JSON.stringify(profile));
    },
  };
}

/** Server-side half of the bench IPC: RSS sampling (peak since the last reset), CPU time since the reset, and stop. */
export function serveBenchIpc(onStop: () => Promise<void>): void {
  let peak = process.memoryUsage.rss();
  let cpuStart = process.cpuUsage();
  let ticksStart = threadTicks();
  const timer = setInterval(() => {
    const rss = process.memoryUsage.rss();
    if (rss > peak) peak = rss;
  }, 25);
  timer.unref();
  const sampler = heapSampler();
  let sampling = false;
  process.on('message', async (raw) => {
    const m = raw as { type: string };
    if (m.type === 'resetPeak') {
      if (sampler && !sampling) {
        await sampler.start();
        sampling = true;
      }
      peak = process.memoryUsage.rss();
      cpuStart = process.cpuUsage();
      ticksStart = threadTicks();
      process.send?.({ type: 'peakReset' });
    } else if (m.type === 'memory') {
      if (sampler && sampling) {
        sampling = false;
        await sampler.stop();
      }
      const rss = process.memoryUsage.rss();
      if (rss > peak) peak = rss;
      const cpu = process.cpuUsage(cpuStart);
      const threads: Record<string, number> = {};
      for (const [name, ticks] of threadTicks()) {
        const delta = ticks - (ticksStart.get(name) ?? 0);
        if (delta > 0) threads[name] = delta * 10_000; // µs
      }
      process.send?.({ type: 'memory', rss, peak, heapUsed: process.memoryUsage().heapUsed, cpuMicros: cpu.user + cpu.system, threads });
    } else if (m.type === 'stop') {
      void onStop().finally(() => process.exit(0));
    }
  });
  process.on('disconnect', () => void onStop().finally(() => process.exit(0)));
}
