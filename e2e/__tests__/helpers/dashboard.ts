/**
 * Drives the web dashboard of a test stack (started with `dashboard: true`): as HTTP (log in through discord-sim's
 * OAuth with `sim_user_id`, read pages, submit forms with their CSRF token and a one-time request id) and in
 * headless Chromium (Debian's `/usr/bin/chromium` through playwright-core).
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { TestStack } from './harness.ts';

export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** An HTTP answer. */
export interface DashboardResponse {
  status: number;
  location: string | null;
  body: string;
}

/** A logged-in dashboard user over HTTP. */
export interface DashboardClient {
  /** The session cookie (`kc_dashboard=…`). */
  cookie: string;
  get(path: string): Promise<DashboardResponse>;
  /** POSTs form fields with the session's CSRF token (read from `csrfFrom`, default the guild overview) and a fresh `_request` id. */
  post(path: string, fields: Record<string, string | string[]>, opts?: { csrfFrom?: string; requestId?: string }): Promise<DashboardResponse>;
  /** The CSRF token the session's pages carry. */
  csrf(fromPath?: string): Promise<string>;
}

async function request(url: string, init: { method?: string; cookie?: string; body?: URLSearchParams } = {}): Promise<DashboardResponse & { setCookie: string[] }> {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    redirect: 'manual',
    headers: { ...(init.cookie ? { cookie: init.cookie } : {}), ...(init.body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    ...(init.body ? { body: init.body.toString() } : {}),
  });
  return { status: res.status, location: res.headers.get('location'), body: await res.text(), setCookie: res.headers.getSetCookie() };
}

function sessionCookie(setCookie: string[]): string | undefined {
  return setCookie.find((c) => c.startsWith('kc_dashboard='))?.split(';')[0];
}

/** Logs `userId` in (default the moderator, who owns the demo guild) and returns an HTTP client with their session. */
export async function loginDashboard(stack: TestStack, userId: string = stack.moderatorId): Promise<DashboardClient> {
  const base = stack.web.url;
  const start = await request(`${base}/dashboard/login`);
  if (start.status !== 302 || !start.location) throw new Error(`dashboard login did not redirect to Discord (${start.status}): ${start.body.slice(0, 200)}`);
  const before = sessionCookie(start.setCookie);
  const authorize = new URL(start.location);
  authorize.searchParams.set('sim_user_id', userId);
  const consent = await request(authorize.toString());
  if (!consent.location) throw new Error(`discord-sim did not redirect back (${consent.status}): ${consent.body.slice(0, 200)}`);
  const back = new URL(consent.location);
  const done = await request(`${base}${back.pathname}${back.search}`, before ? { cookie: before } : {});
  const cookie = sessionCookie(done.setCookie);
  if (done.status !== 303 || !cookie) throw new Error(`dashboard callback failed (${done.status}): ${done.body.slice(0, 200)}`);
  const client: DashboardClient = {
    cookie,
    get: (path) => request(`${base}${path}`, { cookie }),
    async csrf(fromPath = `/dashboard/${stack.guild.id}`) {
      const page = await client.get(fromPath);
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
      if (!token) throw new Error(`no CSRF token on ${fromPath} (${page.status})`);
      return token.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));
    },
    async post(path, fields, opts = {}) {
      const body = new URLSearchParams();
      body.set('_csrf', await client.csrf(opts.csrfFrom));
      body.set('_request', opts.requestId ?? randomBytes(18).toString('base64url'));
      for (const [key, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
      return request(`${base}${path}`, { method: 'POST', cookie, body });
    },
  };
  return client;
}

/** Launches Debian's Chromium headless (fails with the install command when it is missing). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get update && apt-get install -y chromium`);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30_000 });
}

/** A new browser page logged in to the dashboard as `username` through discord-sim's consent page. */
export async function browserLogin(browser: Browser, stack: TestStack, username = 'mod', viewport = { width: 1200, height: 900 }): Promise<Page> {
  const page = await browser.newPage({ viewport });
  page.setDefaultTimeout(20_000);
  await page.goto(`${stack.web.url}/dashboard/login`);
  await page.getByRole('link', { name: `Authorize as ${username}` }).click();
  await page.getByText('Logged in as').waitFor();
  return page;
}
