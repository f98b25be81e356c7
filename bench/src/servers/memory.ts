/** Server-side half of the bench IPC: RSS sampling (peak since the last reset), CPU time since the reset, and stop. */
export function serveBenchIpc(onStop: () => Promise<void>): void {
  let peak = process.memoryUsage.rss();
  let cpuStart = process.cpuUsage();
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
      process.send?.({ type: 'peakReset' });
    } else if (m.type === 'memory') {
      const rss = process.memoryUsage.rss();
      if (rss > peak) peak = rss;
      const cpu = process.cpuUsage(cpuStart);
      process.send?.({ type: 'memory', rss, peak, heapUsed: process.memoryUsage().heapUsed, cpuMicros: cpu.user + cpu.system });
    } else if (m.type === 'stop') {
      void onStop().finally(() => process.exit(0));
    }
  });
  process.on('disconnect', () => void onStop().finally(() => process.exit(0)));
}
