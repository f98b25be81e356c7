/**
 * Security headers (helmet) on every Express answer — pages, JSON, 404s, errors, Bull Board — with a
 * Content-Security-Policy the pages actually satisfy; none of it on the bare webhook route.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, rawRequest, uniqueGuildId, type Harness, type RawResponse, type WebUnderTest } from './harness.ts';

const PASSWORD = 'correct horse battery staple';
const auth = { authorization: `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`, 'x-forwarded-for': '192.0.2.10' };
let h: Harness;
let app: WebUnderTest;
let guildId: string;

beforeAll(async () => {
  h = await createHarness();
  app = await h.start({ ADMIN_PASSWORD: PASSWORD });
  guildId = uniqueGuildId();
  await h.db.prisma.guild.create({ data: { id: guildId, name: 'Headers Guild' } });
  await h.db.prisma.viewerStats.create({ data: { guildId, kickUserId: 1, username: 'viewer', points: 5, activeMinutes: 1 } });
});

afterAll(async () => {
  await h?.close();
});

function csp(res: RawResponse): Map<string, string[]> {
  const value = String(res.headers['content-security-policy'] ?? '');
  return new Map(
    value
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

function expectSecurityHeaders(res: RawResponse, what: string): void {
  expect(res.headers['content-security-policy'], what).toBeTruthy();
  expect(res.headers['x-content-type-options'], what).toBe('nosniff');
  expect(res.headers['x-frame-options'], what).toBe('DENY');
  expect(res.headers['referrer-policy'], what).toBe('no-referrer');
  expect(res.headers['strict-transport-security'], what).toMatch(/^max-age=\d+$/);
  expect(res.headers['cross-origin-opener-policy'], what).toBe('same-origin');
  expect(res.headers['x-powered-by'], what).toBeUndefined();
}

/** A server-rendered page satisfies the pages' CSP: no scripts, no style attributes, its one style block allowed by hash. */
function expectPageSatisfiesCsp(res: RawResponse, what: string): void {
  const policy = csp(res);
  expect(policy.get('default-src'), what).toEqual(["'none'"]);
  expect(policy.get('frame-ancestors'), what).toEqual(["'none'"]);
  expect(res.body, what).not.toMatch(/<script/i);
  expect(res.body, what).not.toMatch(/\sstyle=/i);
  expect(res.body, what).not.toMatch(/<(img|link|iframe|object|embed|form)\b/i);
  const styles = [...res.body.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!);
  expect(styles, what).toHaveLength(1);
  const hash = `'sha256-${createHash('sha256').update(styles[0]!).digest('base64')}'`;
  expect(policy.get('style-src'), what).toEqual([hash]);
}

describe('security headers on every Express answer', () => {
  it('pages: connect result, leaderboard, HTML 404 — with a CSP they satisfy', async () => {
    const pages = {
      'leaderboard': await rawRequest(`${app.url}/leaderboard/${guildId}`),
      'leaderboard 404': await rawRequest(`${app.url}/leaderboard/${uniqueGuildId()}`),
      'connect link invalid': await rawRequest(`${app.url}/connect/kick?t=forged`),
      'callback without state': await rawRequest(`${app.url}/oauth/kick/callback`),
      'HTML 404': await rawRequest(`${app.url}/connect/nowhere`),
    };
    expect(pages.leaderboard.status).toBe(200);
    expect(pages['leaderboard 404'].status).toBe(404);
    expect(pages['connect link invalid'].status).toBe(400);
    expect(pages['HTML 404'].status).toBe(404);
    for (const [what, res] of Object.entries(pages)) {
      expect(res.headers['content-type'], what).toMatch(/html/);
      expectSecurityHeaders(res, what);
      expectPageSatisfiesCsp(res, what);
    }
  });

  it('JSON answers, 404s, health and metrics', async () => {
    for (const path of ['/healthz', '/readyz', '/metrics', '/nope', '/webhooks/kick']) {
      const res = await rawRequest(`${app.url}${path}`);
      expectSecurityHeaders(res, path);
    }
  });

  it('the error page (a failing database)', async () => {
    const broken = await h.start({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:9/nothing' });
    try {
      const res = await rawRequest(`${broken.url}/leaderboard/${guildId}`);
      expect(res.status).toBe(500);
      expect(res.body).toContain('Something went wrong');
      expectSecurityHeaders(res, 'error page');
      expectPageSatisfiesCsp(res, 'error page');
    } finally {
      await broken.close();
    }
  });

  it('Bull Board, with a CSP of its own that allows its same-origin scripts and styles', async () => {
    const unauthorized = await rawRequest(`${app.url}/admin/queues`, { headers: { 'x-forwarded-for': '192.0.2.11' } });
    expect(unauthorized.status).toBe(401);
    expectSecurityHeaders(unauthorized, 'admin 401');
    const board = await rawRequest(`${app.url}/admin/queues`, { headers: auth });
    expect(board.status).toBe(200);
    expectSecurityHeaders(board, 'admin page');
    const policy = csp(board);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    // What the page loads is allowed: scripts only from its own static files (the inline one is JSON data).
    const scripts = [...board.body.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(1);
    for (const attrs of scripts) expect(attrs).toMatch(/src="static\/|type="application\/json"/);
    for (const [, href] of board.body.matchAll(/<link[^>]+href="([^"]+)"[^>]*rel="stylesheet"/g)) {
      expect(href!.startsWith('static/') || href!.startsWith('https://fonts.googleapis.com/')).toBe(true);
    }
    expect(policy.get('style-src')).toEqual(expect.arrayContaining(["'self'", 'https://fonts.googleapis.com']));
    const script = /src="(static\/js\/[^"]+)"/.exec(board.body)![1]!;
    const asset = await rawRequest(`${app.url}/admin/queues/${script}`, { headers: auth });
    expect(asset.status).toBe(200);
    expectSecurityHeaders(asset, 'admin asset');
  });

  it('none on the webhook route, which Express does not serve', async () => {
    const res = await rawRequest(`${app.url}/webhooks/kick`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' });
    expect(res.status).toBe(415);
    expect(res.headers['content-security-policy']).toBeUndefined();
    expect(res.headers['x-frame-options']).toBeUndefined();
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});
