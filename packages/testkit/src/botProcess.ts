/**
 * The real bot in a child process, so a test can SIGKILL it mid-burst and start another one — a crash
 * that no in-process `close()` can imitate (no graceful worker shutdown, locks left to expire).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BotEnv, BotRole } from '@kickcord/bot';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = join(HERE, '..', '..', '..');
/** The entry script {@link startBotProcess} forks. */
export const BOT_CHILD_ENTRY = join(HERE, 'botChild.ts');

/** What a bot child reports once it is serving. */
export interface BotProcessInfo {
  role: BotRole;
  /** The shards it holds (`gateway`, `all`); null for a worker. */
  shards: { shardCount: number; shardIds: number[] } | null;
}

/** A bot running in a child process. */
export interface BotProcess {
  readonly pid: number;
  readonly child: ChildProcess;
  /** Resolves once the bot is serving (gateway: shards ready and guilds synced; worker: queues connected); rejects if it exits first. */
  ready: Promise<BotProcessInfo>;
  /** Resolves when the process has exited (with its code or signal). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends `signal` (default SIGKILL: a crash) and waits for the process to be gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Graceful stop (finishes jobs in hand); SIGKILL after `timeoutMs`. */
  close(timeoutMs?: number): Promise<void>;
  /** What the child wrote to stdout and stderr so far (only with `captureOutput`). */
  output(): { stdout: string; stderr: string };
  /** The child's stdout parsed as pino JSON lines (only with `captureOutput`; other lines are skipped). */
  logs(): Record<string, unknown>[];
}

/** Options of {@link startBotProcess}. */
export interface BotProcessOptions {
  /** Create the BullMQ job schedulers (default false, like the in-process test stack). */
  schedule?: boolean;
  /** Register slash commands at start (default true). */
  registerCommands?: boolean;
  /** Give up waiting for `ready` after this long (default 60 s). */
  readyTimeoutMs?: number;
  /** Show the child's stdout (logs); default: discarded. stderr is always shown (unless captured). */
  showLogs?: boolean;
  /** Keep stdout and stderr for {@link BotProcess.output} and {@link BotProcess.logs} instead of showing them. */
  captureOutput?: boolean;
  /** BOT_ROLE: `all` (default), `gateway` or `worker`. */
  role?: BotRole;
  /** DISCORD_SHARD_COUNT: `auto` or a number. */
  shardCount?: number | 'auto';
  /** DISCORD_SHARD_IDS: the shards this process holds, e.g. `[1]` or `'0-3'`. */
  shardIds?: readonly number[] | string;
  /** DISCORD_REST_PROXY_URL: send Discord REST through this proxy (`http://host:port/api`). */
  restProxyUrl?: string;
}

/** The bot environment as strings (what a child process reads), from a parsed {@link BotEnv}. */
export function botEnvStrings(env: BotEnv, overrides: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined && value !== null) out[key] = String(value);
  return { ...out, ...overrides };
}

/** Forks the bot (`startBot` in {@link BOT_CHILD_ENTRY}) with `env` (strings, as in `process.env`). */
export function startBotProcess(env: Record<string, string>, options: BotProcessOptions = {}): BotProcess {
  const settings: Record<string, string> = {};
  if (options.role) settings.BOT_ROLE = options.role;
  if (options.shardCount !== undefined) settings.DISCORD_SHARD_COUNT = String(options.shardCount);
  if (options.shardIds !== undefined) settings.DISCORD_SHARD_IDS = typeof options.shardIds === 'string' ? options.shardIds : options.shardIds.join(',');
  if (options.restProxyUrl) settings.DISCORD_REST_PROXY_URL = options.restProxyUrl;
  const capture = options.captureOutput ?? false;
  const child = fork(BOT_CHILD_ENTRY, [], {
    execArgv: ['--import', 'tsx'],
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      ...env,
      ...settings,
      KICKCORD_BOT_SCHEDULE: options.schedule ? '1' : '0',
      KICKCORD_BOT_REGISTER_COMMANDS: options.registerCommands === false ? '0' : '1',
    },
    stdio: ['ignore', capture ? 'pipe' : options.showLogs ? 'inherit' : 'ignore', capture ? 'pipe' : 'inherit', 'ipc'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => stdout.push(chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const ready = new Promise<BotProcessInfo>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bot child ${child.pid} not ready after ${options.readyTimeoutMs ?? 60_000} ms`)), options.readyTimeoutMs ?? 60_000);
    child.on('message', (m) => {
      const message = m as { type?: string } & Partial<BotProcessInfo>;
      if (message.type === 'ready') {
        clearTimeout(timer);
        resolve({ role: message.role ?? 'all', shards: message.shards ?? null });
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      // With captured output, the reason is in the child's stderr: put its end in the error.
      const said = capture ? stderr.join('').trim().slice(-2_000) : '';
      reject(new Error(`bot child exited before it was ready (${signal ?? `code ${code}`})${said ? `:\n${said}` : ''}`));
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
    output() {
      return { stdout: stdout.join(''), stderr: stderr.join('') };
    },
    logs() {
      const lines: Record<string, unknown>[] = [];
      for (const line of stdout.join('').split('\n')) {
        if (!line.startsWith('{')) continue;
        try {
          lines.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          // a line still being written, or not pino's
        }
      }
      return lines;
    },
  };
}
