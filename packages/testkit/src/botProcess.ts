/**
 * The real bot in a child process, so a test can SIGKILL it mid-burst and start another one — a crash
 * that no in-process `close()` can imitate (no graceful worker shutdown, locks left to expire).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BotEnv } from '@kickcord/bot';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = join(HERE, '..', '..', '..');
/** The entry script {@link startBotProcess} forks. */
export const BOT_CHILD_ENTRY = join(HERE, 'botChild.ts');

/** A bot running in a child process. */
export interface BotProcess {
  readonly pid: number;
  readonly child: ChildProcess;
  /** Resolves once the bot is connected to Discord and has synced guilds; rejects if it exits first. */
  ready: Promise<void>;
  /** Resolves when the process has exited (with its code or signal). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends `signal` (default SIGKILL: a crash) and waits for the process to be gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Graceful stop (finishes jobs in hand); SIGKILL after `timeoutMs`. */
  close(timeoutMs?: number): Promise<void>;
}

/** Options of {@link startBotProcess}. */
export interface BotProcessOptions {
  /** Create the BullMQ job schedulers (default false, like the in-process test stack). */
  schedule?: boolean;
  /** Register slash commands at start (default true). */
  registerCommands?: boolean;
  /** Give up waiting for `ready` after this long (default 60 s). */
  readyTimeoutMs?: number;
  /** Show the child's stdout (logs); default: discarded. stderr is always shown. */
  showLogs?: boolean;
}

/** The bot environment as strings (what a child process reads), from a parsed {@link BotEnv}. */
export function botEnvStrings(env: BotEnv, overrides: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined && value !== null) out[key] = String(value);
  return { ...out, ...overrides };
}

/** Forks the bot (`startBot` in {@link BOT_CHILD_ENTRY}) with `env` (strings, as in `process.env`). */
export function startBotProcess(env: Record<string, string>, options: BotProcessOptions = {}): BotProcess {
  const child = fork(BOT_CHILD_ENTRY, [], {
    execArgv: ['--import', 'tsx'],
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      ...env,
      KICKCORD_BOT_SCHEDULE: options.schedule ? '1' : '0',
      KICKCORD_BOT_REGISTER_COMMANDS: options.registerCommands === false ? '0' : '1',
    },
    stdio: ['ignore', options.showLogs ? 'inherit' : 'ignore', 'inherit', 'ipc'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bot child ${child.pid} not ready after ${options.readyTimeoutMs ?? 60_000} ms`)), options.readyTimeoutMs ?? 60_000);
    child.on('message', (m) => {
      if ((m as { type?: string }).type === 'ready') {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`bot child exited before it was ready (${signal ?? `code ${code}`})`));
    });
  });
  ready.catch(() => undefined);
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  return {
    pid: child.pid ?? 0,
    child,
    ready,
    exited,
    async kill(signal = 'SIGKILL') {
      if (!gone()) child.kill(signal);
      await exited;
    },
    async close(timeoutMs = 15_000) {
      if (gone()) return;
      if (child.connected) child.send({ type: 'close' });
      else child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
