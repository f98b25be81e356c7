import { Router } from 'express';
import type { WebDeps } from '../deps.ts';
import { html, page } from '../pages/html.ts';

/** Rows on the public leaderboard. */
export const LEADERBOARD_SIZE = 50;

/** `GET /leaderboard/:guildId`: top viewers by points for an active guild (public, HTML). */
export function leaderboardRoutes(deps: Pick<WebDeps, 'prisma'>): Router {
  const router = Router();
  router.get('/leaderboard/:guildId', async (req, res) => {
    const guildId = req.params.guildId;
    const guild = /^\d{1,25}$/.test(guildId)
      ? await deps.prisma.guild.findUnique({ where: { id: guildId }, select: { name: true, active: true, connection: { select: { kickUsername: true } } } })
      : null;
    if (!guild || !guild.active) {
      res.status(404).type('html').send(page({ title: 'Leaderboard not found', tone: 'bad', body: html`<h1>Leaderboard not found</h1><p>No active server with this id.</p>` }));
      return;
    }
    // The guild's leaderboard exclude list (moderators' entries, Kick bans, unexpired timeouts) is left out.
    const excluded = await deps.prisma.leaderboardExclusion.findMany({ where: { guildId, OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }] }, select: { kickUserId: true } });
    const rows = await deps.prisma.viewerStats.findMany({
      where: { guildId, OR: [{ points: { gt: 0 } }, { activeMinutes: { gt: 0 } }], kickUserId: { notIn: excluded.map((e) => e.kickUserId) } },
      orderBy: [{ points: 'desc' }, { activeMinutes: 'desc' }, { kickUserId: 'asc' }],
      take: LEADERBOARD_SIZE,
      select: { username: true, points: true, activeMinutes: true },
    });
    const title = `${guild.name} — leaderboard`;
    const body = rows.length
      ? html`<table><thead><tr><th class="n">#</th><th>Viewer</th><th class="n">Points</th><th class="n">Active minutes</th></tr></thead><tbody>${rows.map(
          (r, i) => html`<tr><td class="n">${i + 1}</td><td>${r.username}</td><td class="n">${r.points.toLocaleString('en-US')}</td><td class="n">${r.activeMinutes.toLocaleString('en-US')}</td></tr>`,
        )}</tbody></table>`
      : html`<p>No points earned yet.</p>`;
    const channel = guild.connection ? html`<p class="small">Kick channel: ${guild.connection.kickUsername}</p>` : html``;
    res
      .set('cache-control', 'public, max-age=30')
      .type('html')
      .send(
        page({
          title,
          tone: 'plain',
          body: html`<h1>${title}</h1>${channel}${body}<p class="small">Active minutes count minutes in which a viewer chatted while the stream was live (Kick publishes no viewer list).</p>`,
        }),
      );
  });
  return router;
}
