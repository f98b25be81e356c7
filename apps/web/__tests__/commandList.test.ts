/**
 * The public command list page (`GET /c/<slug>/commands`), linked from `!commands` in Kick chat: built-ins the
 * guild has on under their names, counters and enabled custom commands, with level, cooldown and cost, escaped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, rawRequest, uniqueGuildId, type Harness, type WebUnderTest } from './harness.ts';

let h: Harness;
let app: WebUnderTest;
let nextUserId = 7_100_000 + Math.floor(Math.random() * 100_000);

beforeAll(async () => {
  h = await createHarness();
  app = await h.start();
});
afterAll(async () => h?.close());

/** A guild owning a Kick channel (`slug`), with settings. */
async function ownerGuild(slug: string, settings: Record<string, unknown> = {}, active = true): Promise<string> {
  const guildId = uniqueGuildId();
  const broadcasterUserId = nextUserId++;
  await h.db.prisma.guild.create({ data: { id: guildId, name: 'Cozy', active, settings: { create: settings } } });
  await h.db.prisma.kickChannel.create({ data: { broadcasterUserId, slug, displayName: slug === 'cozy_corner' ? 'Cozy_Corner' : slug } });
  await h.db.prisma.guildChannelLink.create({ data: { guildId, broadcasterUserId, kind: 'owner', createdByDiscordId: '1' } });
  return guildId;
}

/** The page's table rows as [command, who, cooldown, cost] (tags stripped). */
function rowsOf(body: string): string[][] {
  return [...body.matchAll(/<tr><td>(.*?)<\/td><td>(.*?)<\/td><td>(.*?)<\/td><td class="n">(.*?)<\/td><\/tr>/g)].map((m) => m.slice(1, 5).map((c) => c.replace(/<br>.*$/, '').replace(/<[^>]+>/g, '')));
}

describe('the public command list', () => {
  it('lists the built-ins that are on (renamed ones by their new name), counters and enabled custom commands', async () => {
    const guildId = await ownerGuild('cozy_corner', { builtinCommands: { so: { name: 'shoutout' }, deaths: { enabled: false } }, quoteAddLevel: 'vip' });
    await h.db.prisma.chatCommand.createMany({
      data: [
        { guildId, name: 'discord', response: 'secret-response-text', aliases: ['dc'], globalCooldownSec: 30, userCooldownSec: 10, cost: 25, createdByDiscordId: '1' },
        { guildId, name: 'hidden', response: 'x', enabled: false, createdByDiscordId: '1' },
        { guildId, name: 'modsonly', response: 'x', minLevel: 'moderator', cost: 1, createdByDiscordId: '1' },
      ],
    });
    await h.db.prisma.chatCounter.createMany({ data: [{ guildId, name: 'wins', value: 3 }, { guildId, name: 'deaths', value: 9 }] });

    const res = await rawRequest(`${app.url}/c/Cozy_Corner/commands`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/html/);
    const rows = rowsOf(res.body);
    const plain = rows.map((r) => r.map((c) => c.replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n)))));
    const table = new Map(plain.map((r) => [r[0], r.slice(1)]));
    expect(table.get('!shoutout <user>')).toEqual(['moderators', '5s per viewer', 'free']);
    expect(table.has('!so <user>')).toBe(false);
    expect([...table.keys()].some((k) => k?.startsWith('!deaths') ?? false)).toBe(false);
    expect(table.get('!quote add <text>')).toEqual(['VIPs', '5s per viewer', 'free']);
    expect(table.get('!title <text>')).toEqual(['moderators', '5s per viewer', 'free']);
    expect(table.get('!title')).toEqual(['everyone', '5s per viewer', 'free']);
    expect(table.get('!commands')).toEqual(['everyone', '5s per viewer', 'free']);
    expect(table.get('!wins')).toEqual(['everyone', '5s per viewer', 'free']);
    expect(table.get('!wins + | -')).toEqual(['moderators', '5s per viewer', 'free']);
    expect(table.get('!discord')).toEqual(['everyone', '30s for everyone, 10s per viewer', '25 points']);
    expect(table.get('!modsonly')).toEqual(['moderators', 'none', '1 point']);
    expect(table.has('!hidden')).toBe(false);
    expect(plain.map((r) => r[0])).toEqual([
      '!points [@viewer]',
      '!watchtime [@viewer]',
      '!top [points|watchtime]',
      '!commands',
      '!uptime',
      '!title',
      '!title <text>',
      '!game',
      '!game <name>',
      '!shoutout <user>',
      '!followage [@viewer]',
      '!quote [number]',
      '!quote add <text>',
      '!wins',
      '!wins + | -',
      '!discord',
      '!modsonly',
    ]);
    // Aliases are shown; response texts never are.
    expect(res.body).toContain('also !dc');
    expect(res.body).not.toContain('secret-response-text');
    expect(res.body).toContain('Cozy_Corner — chat commands');
  });

  it('escapes what moderators and viewers chose (prefix, names) and uses the guild prefix', async () => {
    await ownerGuild('prefixed', { commandPrefix: '<>' });
    const res = await rawRequest(`${app.url}/c/prefixed/commands`);
    expect(res.status).toBe(200);
    expect(res.body).not.toContain('<code><>');
    expect(res.body).toContain('<code>&#60;&#62;points');
  });

  it('answers 404 for an unknown channel, a malformed slug and a guild the bot left', async () => {
    await ownerGuild('gone_guild', {}, false);
    for (const path of ['/c/nobody_here/commands', '/c/gone_guild/commands', `/c/${'x'.repeat(40)}/commands`, '/c/%3Cscript%3E/commands']) {
      const res = await rawRequest(`${app.url}${path}`);
      expect(res.status, path).toBe(404);
      expect(res.body, path).toContain('Channel not found');
      expect(res.body, path).not.toContain('<script>');
    }
  });
});
