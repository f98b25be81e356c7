import { waitFor } from '@kickcord/queue';
import { Redis } from 'ioredis';

/**
 * A connection in MONITOR mode from its start, resolved once it monitors. (`new Redis().monitor()` sends MONITOR on
 * a connection that is already up: on a busy Redis a command line can arrive with MONITOR's OK and reads as a reply
 * to nothing, which fails the call. Before the OK such a line is harmless here and ignored.)
 */
export async function openMonitor(url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'): Promise<Redis> {
  const monitor = new Redis(url, { monitor: true });
  let monitoring = false;
  monitor.once('monitoring', () => (monitoring = true));
  monitor.on('error', () => undefined);
  await waitFor(() => monitoring, { description: 'the MONITOR connection to monitor' });
  return monitor;
}
