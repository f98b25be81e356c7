#!/usr/bin/env node
// kick-sim CLI: `pnpm kick serve | trigger | stream | keys`. See usage() below.
import { parseArgs } from 'node:util';
import { SIM_EVENT_TYPES } from './constants.ts';
import { defaultKeyFilePath, loadOrCreateKeyFile } from './keyfile.ts';
import { KickSimError } from './KickSimError.ts';
import type { KickSim } from './kickSim.ts';
import { parseFieldValue, setPath, type JsonObject } from './payloads.ts';
import { runStreamScenario } from './scenario.ts';
import { startKickSim } from './startKickSim.ts';
import type { DeliveryRecord } from './types.ts';

const DEMO_CLIENT_ID = 'kickcord-demo';
const DEMO_CLIENT_SECRET = 'kickcord-demo-secret';
const DEMO_REDIRECT_URI = 'http://localhost:3000/auth/kick/callback';
const DEFAULT_BROADCASTER_ID = 123456;

function usage(): string {
  return `Usage: pnpm kick <command> [options]

Commands:
  serve   [--port N] [--host H] [--auto-approve] [--webhook URL] [--redirect-uri URI ...] [--key PATH]
          Run a local Kick (OAuth + REST + webhooks) with a demo app and demo users.
  trigger <event-type> --to URL [--broadcaster ID] [--count N] [--timestamp ISO] [--duplicate]
          [--field path=value ...] [--retries N] [--key PATH]
          Sign and POST one event (or N) straight to URL. --field uses dot paths (follower.username=alice);
          values are JSON when they parse (numbers, true, null), else strings.
  stream  --to URL --viewers N --minutes M [--speed X] [--seed S] [--broadcaster ID] [--key PATH]
          Simulate a whole stream (online, chat, follows, subs, gifts, kicks, offline) delivered to URL.
  keys    [--key PATH]
          Print the simulator's public key PEM (what receivers must verify with).

The signing key lives in ${defaultKeyFilePath()} (override with --key or KICK_SIM_KEY_FILE),
so keys/serve/trigger/stream agree across runs.
Event types: ${SIM_EVENT_TYPES.join(', ')}`;
}

class UsageError extends KickSimError {}

function intOption(value: string | undefined, name: string, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer ≥ ${min}, got "${value}".`);
  return n;
}

function urlOption(value: string | undefined, name: string): string {
  if (!value) throw new UsageError(`--${name} <url> is required.`);
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
    return url.toString();
  } catch {
    throw new UsageError(`--${name} must be an http(s) URL, got "${value}".`);
  }
}

function keyPath(value: string | undefined): string {
  return value ?? (process.env['KICK_SIM_KEY_FILE'] || defaultKeyFilePath());
}

function describe(record: DeliveryRecord): string {
  const statuses = record.attempts.map((a) => (a.status === 0 ? `error (${a.error ?? 'network'})` : String(a.status))).join(' → ');
  const copy = record.copy > 0 ? ` [duplicate #${record.copy}]` : '';
  return `${record.delivered ? 'delivered' : 'FAILED   '} ${record.type} ${record.messageId}${copy} → ${record.url}: ${statuses || 'not sent'}`;
}

async function withSim<T>(key: string | undefined, retries: number, fn: (sim: KickSim) => Promise<T>): Promise<T> {
  const { privateKeyPem } = loadOrCreateKeyFile(keyPath(key));
  const sim = await startKickSim({ privateKeyPem, webhookRetries: retries, webhookRetryBaseMs: 500 });
  try {
    return await fn(sim);
  } finally {
    await sim.close();
  }
}

function ensureBroadcaster(sim: KickSim, id: number): void {
  if (!sim.getUser(id)) sim.createUser({ username: `streamer_${id}`, userId: id });
}

async function trigger(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      to: { type: 'string' },
      broadcaster: { type: 'string' },
      count: { type: 'string' },
      timestamp: { type: 'string' },
      duplicate: { type: 'boolean', default: false },
      field: { type: 'string', multiple: true },
      retries: { type: 'string' },
      key: { type: 'string' },
    },
  });
  const type = positionals[0];
  if (!type) throw new UsageError('trigger needs an event type, e.g. `pnpm kick trigger channel.followed --to http://localhost:3000/webhooks/kick`.');
  if (positionals.length > 1) throw new UsageError(`Unexpected argument "${positionals[1]}".`);
  if (!(SIM_EVENT_TYPES as readonly string[]).includes(type)) throw new UsageError(`Unknown event type "${type}". Known: ${SIM_EVENT_TYPES.join(', ')}.`);
  const to = urlOption(values.to, 'to');
  const broadcaster = intOption(values.broadcaster, 'broadcaster', DEFAULT_BROADCASTER_ID, 1);
  const count = intOption(values.count, 'count', 1, 1);
  const retries = intOption(values.retries, 'retries', 3, 1);
  if (values.timestamp !== undefined && Number.isNaN(Date.parse(values.timestamp))) throw new UsageError(`--timestamp must be an ISO/RFC 3339 time, got "${values.timestamp}".`);
  const overrides: JsonObject = {};
  for (const field of values.field ?? []) {
    const eq = field.indexOf('=');
    if (eq <= 0) throw new UsageError(`--field expects path=value (e.g. follower.username=alice), got "${field}".`);
    setPath(overrides, field.slice(0, eq), parseFieldValue(field.slice(eq + 1)));
  }
  return withSim(values.key, retries, async (sim) => {
    ensureBroadcaster(sim, broadcaster);
    let failed = 0;
    for (let i = 0; i < count; i++) {
      const records = await sim.deliverTo(to, type, overrides, {
        broadcasterUserId: broadcaster,
        duplicate: values.duplicate ? 1 : 0,
        ...(values.timestamp !== undefined ? { timestamp: values.timestamp } : {}),
      });
      for (const record of records) {
        console.log(describe(record));
        if (!record.delivered) failed++;
      }
    }
    return failed === 0 ? 0 : 1;
  });
}

async function stream(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      to: { type: 'string' },
      viewers: { type: 'string' },
      minutes: { type: 'string' },
      speed: { type: 'string' },
      seed: { type: 'string' },
      broadcaster: { type: 'string' },
      key: { type: 'string' },
    },
  });
  if (positionals.length > 0) throw new UsageError(`Unexpected argument "${positionals[0]}".`);
  const to = urlOption(values.to, 'to');
  if (values.viewers === undefined || values.minutes === undefined) throw new UsageError('stream needs --viewers N and --minutes M.');
  const viewers = intOption(values.viewers, 'viewers', 0, 0);
  const minutes = intOption(values.minutes, 'minutes', 1, 1);
  const speed = values.speed === undefined ? 60 : Number(values.speed);
  if (!(speed > 0)) throw new UsageError(`--speed must be a positive number of simulated minutes per second, got "${values.speed}".`);
  const seed = intOption(values.seed, 'seed', 1, 0);
  const broadcaster = intOption(values.broadcaster, 'broadcaster', DEFAULT_BROADCASTER_ID, 1);
  return withSim(values.key, 3, async (sim) => {
    ensureBroadcaster(sim, broadcaster);
    sim.registerApp({ clientId: DEMO_CLIENT_ID, clientSecret: DEMO_CLIENT_SECRET, redirectUris: [DEMO_REDIRECT_URI], webhookUrl: to });
    for (const event of SIM_EVENT_TYPES) sim.addSubscription({ clientId: DEMO_CLIENT_ID, broadcasterUserId: broadcaster, event });
    console.log(`Streaming ${minutes} simulated minutes with ${viewers} viewers to ${to} (speed ${speed} min/s, seed ${seed})…`);
    const summary = await runStreamScenario(sim, { broadcasterUserId: broadcaster, viewers, minutes, speed, seed });
    for (const v of summary.viewers) {
      console.log(`  ${v.username.padEnd(16)} ${v.silent ? 'silent' : `${v.messages} msgs, active minutes: ${v.activeMinutes.length}`}${v.subscriber ? ' (sub)' : ''}`);
    }
    console.log(`${summary.events} events, ${summary.delivered}/${summary.deliveries} deliveries succeeded.`);
    return summary.delivered === summary.deliveries ? 0 : 1;
  });
}

async function serve(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'auto-approve': { type: 'boolean', default: false },
      webhook: { type: 'string' },
      'redirect-uri': { type: 'string', multiple: true },
      key: { type: 'string' },
    },
  });
  if (positionals.length > 0) throw new UsageError(`Unexpected argument "${positionals[0]}".`);
  const port = intOption(values.port, 'port', 3900, 0);
  const path = keyPath(values.key);
  const { privateKeyPem, created } = loadOrCreateKeyFile(path);
  const sim = await startKickSim({ port, host: values.host ?? '127.0.0.1', autoApprove: values['auto-approve'], privateKeyPem });
  const redirectUris = values['redirect-uri'] ?? [DEMO_REDIRECT_URI];
  const webhookUrl = values.webhook === undefined ? undefined : urlOption(values.webhook, 'webhook');
  sim.registerApp({ clientId: DEMO_CLIENT_ID, clientSecret: DEMO_CLIENT_SECRET, redirectUris, name: 'kickcord', ...(webhookUrl ? { webhookUrl } : {}) });
  const streamer = sim.createUser({ username: 'demo_streamer', userId: DEFAULT_BROADCASTER_ID });
  for (const name of ['alice', 'bob', 'carol']) sim.createUser({ username: name });
  sim.setAuthorizingUser(streamer.userId);
  console.log(`kick-sim listening on ${sim.url} (OAuth host and API host)`);
  console.log(`  KICK_AUTH_URL=${sim.authUrl}  KICK_API_URL=${sim.apiUrl}`);
  console.log(`  demo app: client id ${DEMO_CLIENT_ID}, client secret ${DEMO_CLIENT_SECRET} (simulator-only credentials)`);
  console.log(`  redirect URIs: ${redirectUris.join(', ')}; webhook: ${webhookUrl ?? '(none; pass --webhook URL)'}`);
  console.log(`  authorizing user: ${streamer.username} (#${streamer.userId}); others: alice, bob, carol (?sim_user=<name>)`);
  console.log(`  consent: ${values['auto-approve'] ? 'auto-approve' : 'Approve/Deny page'}`);
  console.log(`  signing key: ${path}${created ? ' (created)' : ''} — public key: \`pnpm kick keys\` or GET ${sim.apiUrl}/public/v1/public-key`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await sim.close();
  return 0;
}

function keys(args: string[]): number {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { key: { type: 'string' } } });
  if (positionals.length > 0) throw new UsageError(`Unexpected argument "${positionals[0]}".`);
  const path = keyPath(values.key);
  const { publicKeyPem, created } = loadOrCreateKeyFile(path);
  if (created) console.error(`Created a new signing key at ${path}.`);
  process.stdout.write(publicKeyPem);
  return 0;
}

/** Runs the CLI; resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve':
        return await serve(rest);
      case 'trigger':
        return await trigger(rest);
      case 'stream':
        return await stream(rest);
      case 'keys':
        return keys(rest);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        console.log(usage());
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`Unknown command "${command}".`);
    }
  } catch (error) {
    const isUsage = error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'));
    if (isUsage) {
      console.error(`kick-sim: ${error.message}\n\n${usage()}`);
      return 2;
    }
    console.error(`kick-sim: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

process.exit(await main(process.argv.slice(2)));
