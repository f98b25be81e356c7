import { BUILTIN_USER_COOLDOWN_SEC, builtinCommandUses, formatPointsAmount, resolveBuiltinCommands, type UserLevel } from '@kickcord/core';
import { Router } from 'express';
import type { WebDeps } from '../deps.ts';
import { html, page } from '../pages/html.ts';

/** What a Kick channel slug may look like in the page's address. */
const SLUG_PATTERN = /^[a-z0-9_-]{1,25}$/;
/** The built-in counter (its chat command is the built-in !deaths, listed with the built-ins). */
const DEATHS_COUNTER = 'deaths';

const LEVEL_WORDS: Record<UserLevel, string> = { everyone: 'everyone', subscriber: 'subscribers', vip: 'VIPs', moderator: 'moderators', broadcaster: 'broadcaster' };

/** One row of the command list. */
interface CommandRow {
  usage: string;
  level: UserLevel;
  cooldown: string;
  cost: number;
  description: string;
}

function cooldownText(globalSec: number, userSec: number): string {
  const parts = [globalSec > 0 ? `${globalSec}s for everyone` : '', userSec > 0 ? `${userSec}s per viewer` : ''].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

/**
 * `GET /c/:slug/commands`: the public list of a connected Kick channel's chat commands — the built-ins the
 * guild has on (under the names it gave them), its counters and its enabled custom commands that are listed
 * publicly (`publicListed`) — with who may use each, the cooldown and the cost. Server-rendered, every value
 * escaped; no response texts or ids. A guild that made the list private (dashboard → Public pages) gets a 404
 * saying it is not public.
 */
export function commandListRoutes(deps: Pick<WebDeps, 'prisma'>): Router {
  const router = Router();
  router.get('/c/:slug/commands', async (req, res) => {
    const slug = req.params.slug.toLowerCase();
    const link = SLUG_PATTERN.test(slug)
      ? await deps.prisma.guildChannelLink.findFirst({
          where: { kind: 'owner', guild: { active: true }, channel: { slug } },
          select: { guildId: true, channel: { select: { displayName: true } } },
        })
      : null;
    if (!link) {
      res.status(404).type('html').send(page({ title: 'Channel not found', tone: 'bad', body: html`<h1>Channel not found</h1><p>No Kick channel with this name is connected to kickcord.</p>` }));
      return;
    }
    const { guildId } = link;
    const [settings, custom, counters] = await Promise.all([
      deps.prisma.guildSettings.findUnique({ where: { guildId }, select: { commandPrefix: true, builtinCommands: true, quoteAddLevel: true, publicCommandList: true } }),
      deps.prisma.chatCommand.findMany({ where: { guildId, enabled: true, publicListed: true }, orderBy: { name: 'asc' }, select: { name: true, aliases: true, minLevel: true, globalCooldownSec: true, userCooldownSec: true, cost: true, liveOnly: true } }),
      deps.prisma.chatCounter.findMany({ where: { guildId, name: { not: DEATHS_COUNTER } }, orderBy: { name: 'asc' }, select: { name: true } }),
    ]);
    if (settings && !settings.publicCommandList) {
      res
        .status(404)
        .set('cache-control', 'no-store')
        .type('html')
        .send(page({ title: 'Command list not public', tone: 'bad', body: html`<h1>This command list is not public</h1><p>The channel's moderators have chosen not to show their chat commands on the web.</p>` }));
      return;
    }
    const prefix = settings?.commandPrefix ?? '!';
    const quoteAddLevel = settings?.quoteAddLevel ?? 'moderator';
    const builtinCooldown = cooldownText(0, BUILTIN_USER_COOLDOWN_SEC);
    const rows: CommandRow[] = [];
    for (const b of resolveBuiltinCommands(settings?.builtinCommands ?? {})) {
      if (!b.enabled) continue;
      for (const use of builtinCommandUses(b.builtin, { quoteAddLevel })) {
        rows.push({ usage: `${prefix}${b.name}${use.args ? ` ${use.args}` : ''}`, level: use.level, cooldown: builtinCooldown, cost: 0, description: use.description });
      }
    }
    for (const c of counters) {
      rows.push({ usage: `${prefix}${c.name}`, level: 'everyone', cooldown: builtinCooldown, cost: 0, description: 'a counter' });
      rows.push({ usage: `${prefix}${c.name} + | -`, level: 'moderator', cooldown: builtinCooldown, cost: 0, description: 'counts one up or down' });
    }
    for (const c of custom) {
      const aliases = c.aliases.length > 0 ? `also ${c.aliases.map((a) => `${prefix}${a}`).join(', ')}` : '';
      rows.push({ usage: `${prefix}${c.name}`, level: c.minLevel, cooldown: cooldownText(c.globalCooldownSec, c.userCooldownSec), cost: c.cost, description: [aliases, c.liveOnly ? 'only while live' : ''].filter(Boolean).join('; ') });
    }
    const title = `${link.channel.displayName} — chat commands`;
    const table = html`<table><thead><tr><th>Command</th><th>Who</th><th>Cooldown</th><th class="n">Cost</th></tr></thead><tbody>${rows.map(
      (r) =>
        html`<tr><td><code>${r.usage}</code>${r.description ? html`<br>${r.description}` : html``}</td><td>${LEVEL_WORDS[r.level]}</td><td>${r.cooldown}</td><td class="n">${r.cost > 0 ? formatPointsAmount(r.cost) : 'free'}</td></tr>`,
    )}</tbody></table>`;
    res
      .set('cache-control', 'public, max-age=30')
      .type('html')
      .send(
        page({
          title,
          tone: 'plain',
          body: html`<h1>${title}</h1>${rows.length > 0 ? table : html`<p>No chat commands are on.</p>`}<p class="small">Moderators and the broadcaster skip cooldowns. Type the commands in Kick chat.</p>`,
        }),
      );
  });
  return router;
}
