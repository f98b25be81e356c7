/**
 * The public pages' privacy switches (guild settings `publicLeaderboard`, `publicLeaderboardPoints`,
 * `publicLeaderboardWatchtime`, `publicCommandList`, and `ChatCommand.publicListed`): each one off hides exactly
 * what it names — a private page answers 404 saying it is not public, a hidden column is not in the HTML at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, rawRequest, uniqueGuildId, type Harness, type WebUnderTest } from './harness.ts';

let h: Harness;
let app: WebUnderTest;
let nextUserId = 8_200_000 + Math.floor(Math.random() * 100_000);

beforeAll(async () => {
  h = await createHarness();
  app = await h.start();
});
afterAll(async () => h?.close());

type Switches = Partial<Record<'publicLeaderboard' | 'publicLeaderboardPoints' | 'publicLeaderboardWatchtime' | 'publicCommandList', boolean>>;

/** An active guild with two ranked viewers (points 987,654 and 123,456; active minutes 4,321 and 8,765). */
async function leaderboardGuild(settings: Switches | null): Promise<string> {
  const guildId = uniqueGuildId();
  await h.db.prisma.guild.create({ data: { id: guildId, name: 'Privacy Club', ...(settings ? { settings: { create: settings } } : {}) } });
  await h.db.prisma.viewerStats.createMany({
    data: [
      { guildId, kickUserId: nextUserId++, username: 'top_viewer', points: 987_654, activeMinutes: 4_321 },
      { guildId, kickUserId: nextUserId++, username: 'second_viewer', points: 123_456, activeMinutes: 8_765 },
    ],
  });
  return guildId;
}

/** A guild owning the Kick channel `slug`, with a listed and an unlisted custom command. */
async function commandGuild(slug: string, settings: Switches): Promise<string> {
  const guildId = uniqueGuildId();
  const broadcasterUserId = nextUserId++;
  await h.db.prisma.guild.create({ data: { id: guildId, name: 'Cmds', settings: { create: settings } } });
  await h.db.prisma.kickChannel.create({ data: { broadcasterUserId, slug, displayName: slug } });
  await h.db.prisma.guildChannelLink.create({ data: { guildId, broadcasterUserId, kind: 'owner', createdByDiscordId: '1' } });
  await h.db.prisma.chatCommand.createMany({
    data: [
      { guildId, name: 'listedone', response: 'x', createdByDiscordId: '1' },
      { guildId, name: 'secretone', response: 'x', publicListed: false, createdByDiscordId: '1' },
    ],
  });
  return guildId;
}

/** Header cells of the leaderboard table. */
function headers(body: string): string[] {
  return [...body.matchAll(/<th(?:\s[^>]*)?>(.*?)<\/th>/g)].map((m) => m[1] ?? '');
}

/** Cells of each body row. */
function rows(body: string): string[][] {
  return [...body.matchAll(/<tr>(<td.*?)<\/tr>/g)].map((m) => [...(m[1] ?? '').matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((c) => c[1] ?? ''));
}

describe('public leaderboard privacy', () => {
  it('shows ranks, names, points and active minutes by default (also for a guild without a settings row)', async () => {
    for (const settings of [null, {}]) {
      const res = await rawRequest(`${app.url}/leaderboard/${await leaderboardGuild(settings)}`);
      expect(res.status).toBe(200);
      expect(headers(res.body)).toEqual(['#', 'Viewer', 'Points', 'Active minutes']);
      expect(rows(res.body)).toEqual([
        ['1', 'top_viewer', '987,654', '4,321'],
        ['2', 'second_viewer', '123,456', '8,765'],
      ]);
    }
  });

  it('leaderboard off: 404 saying it is not public, with no viewer on the page', async () => {
    const res = await rawRequest(`${app.url}/leaderboard/${await leaderboardGuild({ publicLeaderboard: false })}`);
    expect(res.status).toBe(404);
    expect(res.body).toContain('This leaderboard is not public');
    expect(res.headers['cache-control']).toBe('no-store');
    for (const hidden of ['top_viewer', 'second_viewer', '987,654', '4,321', 'Privacy Club']) expect(res.body).not.toContain(hidden);
  });

  it('points off: the points column is not in the HTML; ranks (still by points) and active minutes are', async () => {
    const res = await rawRequest(`${app.url}/leaderboard/${await leaderboardGuild({ publicLeaderboardPoints: false })}`);
    expect(res.status).toBe(200);
    expect(headers(res.body)).toEqual(['#', 'Viewer', 'Active minutes']);
    expect(rows(res.body)).toEqual([
      ['1', 'top_viewer', '4,321'],
      ['2', 'second_viewer', '8,765'],
    ]);
    for (const hidden of ['987,654', '987654', '123,456', '123456', '>Points<']) expect(res.body).not.toContain(hidden);
    expect(res.body).toContain('Ranked by points.');
  });

  it('watch time off: the active minutes column and its explanation are not in the HTML; points are', async () => {
    const res = await rawRequest(`${app.url}/leaderboard/${await leaderboardGuild({ publicLeaderboardWatchtime: false })}`);
    expect(res.status).toBe(200);
    expect(headers(res.body)).toEqual(['#', 'Viewer', 'Points']);
    expect(rows(res.body)).toEqual([
      ['1', 'top_viewer', '987,654'],
      ['2', 'second_viewer', '123,456'],
    ]);
    for (const hidden of ['4,321', '4321', '8,765', '8765', 'Active minutes', 'active minutes']) expect(res.body).not.toContain(hidden);
  });

  it('both columns off: ranks and names only', async () => {
    const res = await rawRequest(`${app.url}/leaderboard/${await leaderboardGuild({ publicLeaderboardPoints: false, publicLeaderboardWatchtime: false })}`);
    expect(res.status).toBe(200);
    expect(headers(res.body)).toEqual(['#', 'Viewer']);
    expect(rows(res.body)).toEqual([
      ['1', 'top_viewer'],
      ['2', 'second_viewer'],
    ]);
    for (const hidden of ['987,654', '123,456', '4,321', '8,765']) expect(res.body).not.toContain(hidden);
  });

  it('the command list switch does not touch the leaderboard', async () => {
    const res = await rawRequest(`${app.url}/leaderboard/${await leaderboardGuild({ publicCommandList: false })}`);
    expect(res.status).toBe(200);
    expect(headers(res.body)).toEqual(['#', 'Viewer', 'Points', 'Active minutes']);
  });
});

describe('public command list privacy', () => {
  it('lists the publicly listed custom commands and leaves out the unlisted ones', async () => {
    await commandGuild('listing_on', {});
    const res = await rawRequest(`${app.url}/c/listing_on/commands`);
    expect(res.status).toBe(200);
    expect(res.body).toContain('<code>!listedone</code>');
    expect(res.body).not.toContain('secretone');
    // Built-ins are listed as before.
    expect(res.body).toContain('<code>!commands</code>');
  });

  it('command list off: 404 saying it is not public, with no command on the page', async () => {
    await commandGuild('listing_off', { publicCommandList: false });
    const res = await rawRequest(`${app.url}/c/listing_off/commands`);
    expect(res.status).toBe(404);
    expect(res.body).toContain('This command list is not public');
    expect(res.headers['cache-control']).toBe('no-store');
    for (const hidden of ['listedone', 'secretone', '!commands', '!points']) expect(res.body).not.toContain(hidden);
  });

  it('the leaderboard switches do not touch the command list', async () => {
    await commandGuild('listing_lb_off', { publicLeaderboard: false, publicLeaderboardPoints: false, publicLeaderboardWatchtime: false });
    const res = await rawRequest(`${app.url}/c/listing_lb_off/commands`);
    expect(res.status).toBe(200);
    expect(res.body).toContain('<code>!listedone</code>');
  });
});
