import { Router } from 'express';
import type { WebDeps } from '../deps.ts';
import { html, page } from '../pages/html.ts';
import { leaderboardRows } from './leaderboardRows.ts';

/** Rows on the public leaderboard. */
export const LEADERBOARD_SIZE = 50;

/**
 * `GET /leaderboard/:guildId`: top viewers by points for an active guild (public, HTML), as the guild's privacy
 * settings allow (dashboard → Public pages): a guild that made it private gets a 404 saying it is not public, and a
 * hidden column (points, watch time) is left out of the page entirely — not hidden by style.
 */
export function leaderboardRoutes(deps: Pick<WebDeps, 'prisma'>): Router {
  const router = Router();
  router.get('/leaderboard/:guildId', async (req, res) => {
    const guildId = req.params.guildId;
    const guild = /^\d{1,25}$/.test(guildId)
      ? await deps.prisma.guild.findUnique({
          where: { id: guildId },
          select: {
            name: true,
            active: true,
            connection: { select: { kickUsername: true } },
            settings: { select: { publicLeaderboard: true, publicLeaderboardPoints: true, publicLeaderboardWatchtime: true } },
          },
        })
      : null;
    if (!guild || !guild.active) {
      res.status(404).type('html').send(page({ title: 'Leaderboard not found', tone: 'bad', body: html`<h1>Leaderboard not found</h1><p>No active server with this id.</p>` }));
      return;
    }
    // A guild without a settings row has the defaults: everything public.
    const privacy = { shown: guild.settings?.publicLeaderboard ?? true, points: guild.settings?.publicLeaderboardPoints ?? true, watchtime: guild.settings?.publicLeaderboardWatchtime ?? true };
    if (!privacy.shown) {
      res
        .status(404)
        .set('cache-control', 'no-store')
        .type('html')
        .send(page({ title: 'Leaderboard not public', tone: 'bad', body: html`<h1>This leaderboard is not public</h1><p>The server's moderators have chosen not to show their leaderboard on the web.</p>` }));
      return;
    }
    const rows = await leaderboardRows(deps.prisma, guildId, LEADERBOARD_SIZE);
    const title = `${guild.name} — leaderboard`;
    const body = rows.length
      ? html`<table><thead><tr><th class="n">#</th><th>Viewer</th>${privacy.points ? html`<th class="n">Points</th>` : ''}${privacy.watchtime ? html`<th class="n">Active minutes</th>` : ''}</tr></thead><tbody>${rows.map(
          (r) =>
            html`<tr><td class="n">${r.rank}</td><td>${r.username}</td>${privacy.points ? html`<td class="n">${r.points.toLocaleString('en-US')}</td>` : ''}${
              privacy.watchtime ? html`<td class="n">${r.activeMinutes.toLocaleString('en-US')}</td>` : ''
            }</tr>`,
        )}</tbody></table>`
      : html`<p>No points earned yet.</p>`;
    const channel = guild.connection ? html`<p class="small">Kick channel: ${guild.connection.kickUsername}</p>` : html``;
    const notes = [
      privacy.points ? html`` : html`<p class="small">Ranked by points.</p>`,
      privacy.watchtime ? html`<p class="small">Active minutes count minutes in which a viewer chatted while the stream was live (Kick publishes no viewer list).</p>` : html``,
    ];
    res
      .set('cache-control', 'public, max-age=30')
      .type('html')
      .send(page({ title, tone: 'plain', body: html`<h1>${title}</h1>${channel}${body}${notes}` }));
  });
  return router;
}
