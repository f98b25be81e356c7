import { readdirSync, readFileSync } from 'node:fs';

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
  process.on('message', (raw) => {
    const m = raw as { type: string };
    if (m.type === 'resetPeak') {
      peak = process.memoryUsage.rss();
      cpuStart = process.cpuUsage();
      ticksStart = threadTicks();
      process.send?.({ type: 'peakReset' });
    } else if (m.type === 'memory') {
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
