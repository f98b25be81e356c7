/** Forks bench child processes (TypeScript through tsx) and talks to them over IPC. */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BENCH_DIR } from './pool.ts';

/** A forked child with a tiny request/reply protocol (`{ type }` messages). */
export interface BenchChild {
  proc: ChildProcess;
  pid: number;
  send(message: object): void;
  /** Resolves with the next message of `type` (rejects when the child exits first). */
  next<T>(type: string): Promise<T>;
  request<T>(message: object, replyType: string): Promise<T>;
  /** VmHWM (peak resident set over the process's life) from /proc, bytes. */
  vmHwm(): number | undefined;
  stop(): Promise<void>;
}

/** Forks `bench/src/<script>` with `env` added to this process's environment. */
export function startChild(script: string, env: Record<string, string> = {}, options: { quiet?: boolean; execArgv?: string[] } = {}): BenchChild {
  const proc = fork(resolve(BENCH_DIR, 'src', script), [], {
    execArgv: ['--import', 'tsx', ...(options.execArgv ?? [])],
    cwd: join(BENCH_DIR, '..'),
    env: { ...process.env, ...env },
    stdio: ['ignore', options.quiet === false ? 'inherit' : 'ignore', 'inherit', 'ipc'],
  });
  const waiting = new Map<string, { resolve: (m: unknown) => void; reject: (e: Error) => void }[]>();
  const buffered: { type: string }[] = [];
  let exited: Error | undefined;
  proc.on('message', (raw) => {
    const m = raw as { type: string };
    const list = waiting.get(m.type);
    const w = list?.shift();
    if (w) w.resolve(m);
    else buffered.push(m);
  });
  proc.on('exit', (code, signal) => {
    exited = new Error(`${script} exited (${signal ?? code})`);
    for (const list of waiting.values()) for (const w of list) w.reject(exited);
    waiting.clear();
  });
  const child: BenchChild = {
    proc,
    pid: proc.pid ?? 0,
    send: (message) => proc.send(message),
    next<T>(type: string) {
      const i = buffered.findIndex((m) => m.type === type);
      if (i !== -1) return Promise.resolve(buffered.splice(i, 1)[0] as T);
      if (exited) return Promise.reject(exited);
      return new Promise<T>((resolve, reject) => {
        const list = waiting.get(type) ?? [];
        list.push({ resolve: resolve as (m: unknown) => void, reject });
        waiting.set(type, list);
      });
    },
    request<T>(message: object, replyType: string) {
      const reply = child.next<T>(replyType);
      proc.send(message);
      return reply;
    },
    vmHwm() {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${proc.pid}/status`, 'utf8'));
        return m ? Number(m[1]) * 1024 : undefined;
      } catch {
        return undefined;
      }
    },
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const gone = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      try {
        proc.send({ type: 'stop' });
      } catch {
        // already disconnected
      }
      const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
      await gone;
      clearTimeout(timer);
    },
  };
  return child;
}
