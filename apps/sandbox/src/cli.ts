/**
 * `pnpm start`: with Discord and Kick credentials (in the environment or the repository's `.env`), checks the whole
 * environment (every problem at once, exit 78), migrates the database and runs apps/web and apps/bot for real as
 * child processes; without them, runs the local sandbox
 * (kick-sim, discord-sim, web and bot, a demo guild connected through the real OAuth flow, a demo stream and
 * the sandbox console).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadEnvFile } from './envFile.ts';

/** The repository root (with a trailing slash): where `.env` lives and the root scripts run. */
const root = fileURLToPath(new URL('../../../', import.meta.url));
const env = process.env;
loadEnvFile(`${root}.env`, env);

const set = (key: string): boolean => (env[key] ?? '').trim() !== '';
const DISCORD_KEYS = ['DISCORD_TOKEN', 'DISCORD_CLIENT_ID'];
const KICK_KEYS = ['KICK_CLIENT_ID', 'KICK_CLIENT_SECRET'];
const useColor = process.stdout.isTTY && !env.NO_COLOR;
const paint = (code: string, text: string): string => (useColor ? `\x1b[${code}m${text}\x1b[0m` : text);

/**
 * Signals closer together than this are one Ctrl-C: a terminal signals the whole process group (pnpm, tsx and this
 * process) and pnpm and tsx pass theirs on, so one key press arrives two or three times within milliseconds. Only a
 * press after this long counts as "again" (and forces the exit).
 */
const REPEATED_SIGNAL_MS = 1_000;

/** Calls `onFirst` for the first SIGINT/SIGTERM and `onAgain` for one that comes {@link REPEATED_SIGNAL_MS} or more later. */
function onStopSignals(onFirst: (signal: NodeJS.Signals) => void, onAgain: (signal: NodeJS.Signals) => void): void {
  let firstAt: number | undefined;
  const handle = (signal: NodeJS.Signals): void => {
    const now = Date.now();
    if (firstAt === undefined) {
      firstAt = now;
      onFirst(signal);
    } else if (now - firstAt >= REPEATED_SIGNAL_MS) {
      onAgain(signal);
    }
  };
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);
}

function elapsed(): string {
  return `${process.uptime().toFixed(1)}s`;
}

/** Pipes a child's output line by line with a prefix. */
function prefixLines(stream: NodeJS.ReadableStream | null, prefix: string, out: NodeJS.WriteStream): void {
  if (!stream) return;
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) out.write(`${prefix} ${line}\n`);
  });
  stream.on('end', () => {
    if (buffered) out.write(`${prefix} ${buffered}\n`);
  });
}

function run(command: string, args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', env });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.on('error', () => resolve(1));
  });
}

async function runForReal(): Promise<void> {
  console.log(paint('1', 'kickcord: Discord and Kick credentials found — running web and bot for real.'));
  // Every problem of web's and bot's environment at once, before the database is touched.
  const { environmentProblems } = await import('./environmentProblems.ts');
  const problems = environmentProblems(env);
  if (problems.length > 0) {
    console.error(`The environment is not ready (put these in .env — see .env.example); nothing was migrated or started:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    process.exit(78);
  }
  console.log('migrating the database (pnpm db:migrate)…');
  const migrated = await run('pnpm', ['-s', 'db:migrate']);
  if (migrated !== 0) {
    console.error('Migrations failed (see above); web and bot were not started.');
    process.exit(migrated);
  }

  const children: { name: string; child: ChildProcess }[] = [];
  const closed = new Set<string>();
  let stopping = false;
  const signalAll = (signal: NodeJS.Signals): void => {
    for (const { child } of children) {
      if (child.exitCode !== null || child.signalCode !== null || !child.pid) continue;
      try {
        process.kill(-child.pid, signal); // the whole process group: pnpm → tsx → node
      } catch {
        child.kill(signal);
      }
    }
  };
  const stop = (signal: NodeJS.Signals, exitCode: number): void => {
    if (stopping) {
      signalAll('SIGKILL');
      process.exit(exitCode);
    }
    stopping = true;
    process.exitCode = exitCode;
    signalAll(signal);
    // Web and bot finish in-flight work on SIGTERM; don't hang forever if one does not.
    setTimeout(() => {
      signalAll('SIGKILL');
      process.exit(exitCode);
    }, 30_000).unref();
  };
  for (const [name, script, color] of [
    ['web', 'start:web', '36'],
    ['bot', 'start:bot', '35'],
  ] as const) {
    const child = spawn('pnpm', ['-s', script], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const prefix = paint(color, `[${name}]`);
    prefixLines(child.stdout, prefix, process.stdout);
    prefixLines(child.stderr, prefix, process.stderr);
    // 'close' fires once the process has exited AND its output pipes are closed, i.e. after pnpm's own children
    // (tsx → node) are gone too — so a graceful shutdown is waited for and its last log lines are printed.
    child.on('close', (code, signal) => {
      closed.add(name);
      if (!stopping) {
        console.error(`${prefix} exited (${signal ?? `code ${code}`}); stopping the other process.`);
        stop('SIGTERM', code === 0 || code === null ? 1 : code);
      }
      if (closed.size === children.length) process.exit(process.exitCode ?? 0);
    });
    children.push({ name, child });
  }
  onStopSignals(
    () => stop('SIGTERM', 0),
    () => stop('SIGTERM', 0),
  );
}

async function runSandbox(): Promise<void> {
  const partial = [...DISCORD_KEYS, ...KICK_KEYS].filter(set);
  console.log(paint('1', 'kickcord sandbox') + ' — no Discord/Kick credentials, so everything runs locally against simulators.');
  if (partial.length) {
    const missing = [...DISCORD_KEYS, ...KICK_KEYS].filter((k) => !set(k));
    console.log(paint('33', `  (${partial.join(', ')} set but ${missing.join(', ')} missing: set all of them in .env to run for real)`));
  }
  // Loaded only here: running for real never loads the simulators.
  const { startSandbox } = await import('./startSandbox.ts');
  const { sandboxDatabaseUrl } = await import('./services.ts');
  const { SandboxServiceError } = await import('./SandboxServiceError.ts');
  const databaseUrl = sandboxDatabaseUrl(env);
  const consolePort = Number(env.SANDBOX_PORT ?? '') || undefined;
  const redisUrl = set('REDIS_URL') ? env.REDIS_URL : undefined;

  let sandbox: Awaited<ReturnType<typeof startSandbox>> | undefined;
  let stopping = false;
  const shutdown = (): void => {
    stopping = true;
    console.log('\nstopping the sandbox… (Ctrl-C again to force)');
    void (sandbox?.close() ?? Promise.resolve()).then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('shutdown failed:', error instanceof Error ? error.message : error);
        process.exit(1);
      },
    );
  };
  onStopSignals(shutdown, () => {
    console.log('forced exit');
    process.exit(130);
  });

  try {
    sandbox = await startSandbox({
      databaseUrl,
      explicitDatabase: set('SANDBOX_DATABASE_URL') || set('DATABASE_URL'),
      ...(redisUrl === undefined ? {} : { redisUrl }),
      ...(consolePort ? { ports: { console: consolePort } } : {}),
      logLevel: env.SANDBOX_LOG_LEVEL || 'warn',
      log: (line) => console.log(`${paint('2', `[${elapsed()}]`)} ${line}`),
    });
  } catch (error) {
    if (error instanceof SandboxServiceError) {
      console.error(`\n${error.message}`);
    } else {
      console.error(`\nThe sandbox failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
    process.exit(1);
  }
  if (stopping) return;
  const url = new URL(sandbox.databaseUrl);
  const line = '─'.repeat(64);
  console.log(`\n${line}`);
  console.log(`  ${paint('1;32', 'Sandbox console:')}  ${paint('1;4', sandbox.consoleUrl)}   (ready in ${elapsed()})`);
  console.log(line);
  console.log(`  web (apps/web)   ${sandbox.webUrl}   Bull Board: ${sandbox.admin.url} (${sandbox.admin.user} / ${sandbox.admin.password})`);
  console.log(`  Linked Roles     ${sandbox.webUrl}/linked-roles   (Discord's verification URL; pick a user on discord-sim's consent page)`);
  console.log(`  kick-sim         ${sandbox.kickUrl}`);
  console.log(`  discord-sim      ${sandbox.discordUrl}`);
  console.log(`  database         ${url.host}${url.pathname} (reset on every start)   queue prefix "${sandbox.queuePrefix}"`);
  console.log(`  demo             Kick channel ${sandbox.streamer.username}; viewers ${sandbox.viewers.map((v) => v.username).join(', ')}`);
  console.log(`  rewards          @Subscriber for Kick subs (/role-rewards), the shop item hydrate queued in #redemptions; Discord members mod_mia (moderator), member_max, nova_member`);
  console.log(`${line}\n  Open the console, chat as a viewer (try !points) or run a slash command (try /kick status, or /link start as member_max). Ctrl-C stops.\n`);
}

const real = [...DISCORD_KEYS, ...KICK_KEYS].every(set);
await (real ? runForReal() : runSandbox());
