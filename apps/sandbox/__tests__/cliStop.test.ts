/**
 * Ctrl-C on `pnpm start`: a terminal sends SIGINT to the whole foreground process group (pnpm, its shell, tsx and the
 * sandbox), and pnpm and tsx pass it on again. The sandbox stops cleanly and everything exits with code 0 — no
 * `ELIFECYCLE Command failed`, no "forced exit", no stack trace.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { testServerUrl } from '@kickcord/db/testing';
import { waitFor } from '@kickcord/queue';
import { afterAll, describe, expect, it } from 'vitest';
import { dropSandboxDatabase, resetSandboxQueues, sandboxQueuePrefix } from '../src/services.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const databases: string[] = [];

afterAll(async () => {
  for (const url of databases) {
    await dropSandboxDatabase(url).catch(() => undefined);
    await resetSandboxQueues(REDIS_URL, sandboxQueuePrefix(url)).catch(() => undefined);
  }
}, 60_000);

/** Starts `pnpm start` in a process group of its own (as a terminal does), signals the group once the console is up. */
async function startAndSignal(signal: 'SIGINT' | 'SIGTERM'): Promise<{ code: number | null; exitSignal: NodeJS.Signals | null; output: string }> {
  const url = new URL(testServerUrl());
  url.pathname = `/kickcord_sbx_stop_${randomBytes(4).toString('hex')}`;
  databases.push(url.toString());
  const child = spawn('pnpm', ['start'], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NO_COLOR: '1',
      SANDBOX_DATABASE_URL: url.toString(),
      REDIS_URL,
      SANDBOX_PORT: '0',
      // '' counts as unset and keeps a developer's .env from turning this into a real start.
      DISCORD_TOKEN: '',
      DISCORD_CLIENT_ID: '',
      KICK_CLIENT_ID: '',
      KICK_CLIENT_SECRET: '',
    },
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
  const exited = new Promise<{ code: number | null; exitSignal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, exitSignal) => resolve({ code, exitSignal })));
  try {
    await waitFor(() => output.includes('Sandbox console:'), { timeoutMs: 90_000, intervalMs: 200, description: "the sandbox console to start" });
  } catch (error) {
    if (child.pid) process.kill(-child.pid, 'SIGKILL');
    throw error;
  }
  process.kill(-(child.pid as number), signal);
  const result = await exited;
  return { ...result, output };
}

describe('pnpm start stops cleanly', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('exits 0 on %s to its process group, without ELIFECYCLE or a stack trace', async (signal) => {
    const { code, exitSignal, output } = await startAndSignal(signal);
    expect(output).toContain('stopping the sandbox');
    expect(output).not.toContain('ELIFECYCLE');
    expect(output).not.toContain('Command failed');
    expect(output).not.toContain('forced exit');
    expect(output).not.toMatch(/^\s+at .+:\d+:\d+\)?$/mu);
    expect({ code, exitSignal }).toEqual({ code: 0, exitSignal: null });
  }, 150_000);
});
