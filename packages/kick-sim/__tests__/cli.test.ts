import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createVerify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { KICK_PUBLIC_KEY_PEM } from '@kickcord/kick';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicKeyFromPrivate } from '@kickcord/kick-sim';
import { header, type Received, type Receiver, startReceiver } from './receiver.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const CLI = join(ROOT, 'packages/kick-sim/src/cli.ts');

function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const env = { ...process.env };
    delete env['KICK_SIM_KEY_FILE'];
    execFile(TSX, [CLI, ...args], { cwd: ROOT, timeout: 60_000, env }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

function verifies(publicKeyPem: string, r: Received): boolean {
  const verifier = createVerify('RSA-SHA256');
  verifier.update(`${header(r, 'kick-event-message-id')}.${header(r, 'kick-event-message-timestamp')}.${r.body}`);
  return verifier.verify(publicKeyPem, header(r, 'kick-event-signature'), 'base64');
}

// Each case spawns tsx (~1 s, more on a loaded machine): give the file generous timeouts.
describe('kick-sim CLI', { timeout: 90_000 }, () => {
  let dir: string;
  let keyFile: string;
  let receiver: Receiver;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kick-sim-cli-'));
    keyFile = join(dir, 'nested', 'key.pem');
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keys creates the key file once and prints the same public key every run', async () => {
    const first = await runCli(['keys', '--key', keyFile]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(first.stdout).toBe(publicKeyFromPrivate(readFileSync(keyFile, 'utf8')));
    const second = await runCli(['keys', '--key', keyFile]);
    expect(second.stdout).toBe(first.stdout);
  });

  it('trigger channel.followed --to <url>: signed with the sim key, rejected by Kick’s real key, fields applied', async () => {
    receiver.received.length = 0;
    const res = await runCli(['trigger', 'channel.followed', '--to', receiver.url, '--key', keyFile, '--broadcaster', '777', '--field', 'follower.username=alice', '--field', 'follower.user_id=42', '--count', '2', '--duplicate', '--timestamp', '2026-02-01T10:00:00Z']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout.trim().split('\n')).toHaveLength(4);
    expect(res.stdout).toMatch(/delivered channel\.followed [0-9A-Z]{26} → http:\/\/127\.0\.0\.1:\d+\/kick\/webhook: 200/);

    expect(receiver.received).toHaveLength(4);
    const ids = receiver.received.map((r) => header(r, 'kick-event-message-id'));
    expect(new Set(ids).size).toBe(2); // 2 events, each sent twice with the same id
    const simKey = publicKeyFromPrivate(readFileSync(keyFile, 'utf8'));
    for (const r of receiver.received) {
      expect(header(r, 'kick-event-type')).toBe('channel.followed');
      expect(header(r, 'kick-event-message-timestamp')).toBe('2026-02-01T10:00:00Z');
      expect(verifies(simKey, r)).toBe(true);
      expect(verifies(KICK_PUBLIC_KEY_PEM, r)).toBe(false);
      expect(JSON.parse(r.body)).toMatchObject({ broadcaster: { user_id: 777 }, follower: { username: 'alice', user_id: 42 } });
    }
  });

  it('trigger reports failures with a non-zero exit code', async () => {
    receiver.statuses.push(500);
    const res = await runCli(['trigger', 'kicks.gifted', '--to', receiver.url, '--key', keyFile, '--retries', '1']);
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/FAILED\s+kicks\.gifted .*: 500/);
  });

  it('prints clear usage errors', async () => {
    const cases: [string[], RegExp][] = [
      [['trigger', 'channel.followed'], /--to <url> is required/],
      [['trigger', 'no.such.event', '--to', 'http://localhost:1/x'], /Unknown event type "no\.such\.event"/],
      [['trigger', 'channel.followed', '--to', 'http://localhost:1/x', '--field', 'oops'], /--field expects path=value/],
      [['trigger', 'channel.followed', '--to', 'http://localhost:1/x', '--bogus'], /Unknown option '--bogus'/],
      [['stream', '--to', 'http://localhost:1/x'], /--viewers N and --minutes M/],
      [['frobnicate'], /Unknown command "frobnicate"/],
    ];
    const results = await Promise.all(cases.map(([args]) => runCli([...args, '--key', keyFile])));
    for (const [i, [args, message]] of cases.entries()) {
      const res = results[i] as Awaited<ReturnType<typeof runCli>>;
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.stderr, args.join(' ')).toMatch(message);
      expect(res.stderr).toContain('Usage: pnpm kick');
    }
  });

  it('stream delivers a whole simulated stream', async () => {
    receiver.received.length = 0;
    const res = await runCli(['stream', '--to', receiver.url, '--viewers', '4', '--minutes', '3', '--speed', '1000', '--seed', '9', '--key', keyFile]);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/(\d+)\/\1 deliveries succeeded/);
    const types = receiver.received.map((r) => header(r, 'kick-event-type'));
    expect(types[0]).toBe('livestream.status.updated');
    expect(types).toContain('chat.message.sent');
    expect(types.at(-1)).toBe('livestream.status.updated');
  });

  it('serve prints the URL and demo credentials and serves the key file’s public key', async () => {
    const child: ChildProcess = spawn(TSX, [CLI, 'serve', '--port', '0', '--auto-approve', '--key', keyFile], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolveUrl, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`serve did not start in time; output so far: ${out}`)), 20_000);
        child.stdout?.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /listening on (http:\/\/\S+)/.exec(out);
          if (match && out.includes('signing key')) {
            clearTimeout(timer);
            expect(out).toContain('client id kickcord-demo');
            expect(out).toContain(keyFile);
            resolveUrl(match[1] as string);
          }
        });
        child.once('exit', (code) => reject(new Error(`serve exited early with ${code}: ${out}`)));
      });
      const res = await fetch(`${url}/public/v1/public-key`);
      expect(((await res.json()) as { data: { public_key: string } }).data.public_key).toBe(publicKeyFromPrivate(readFileSync(keyFile, 'utf8')));
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  });
});
