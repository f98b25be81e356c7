import type { GuildActionResult } from '@kickcord/queue';
import { html, raw, type SafeHtml } from '../../pages/html.ts';
import { csrfField, dashboardPage, flashNotice, requestField, type GuildNav, type Viewer } from '../dashboardPages.ts';
import { discordText } from '../discordText.ts';
import type { GuildPage } from '../guildPageKit.ts';

/** The switches the form sends, named as the bot's `public.settings` action names them. */
const SWITCHES = ['leaderboard', 'leaderboardPoints', 'leaderboardWatchtime', 'commandList'] as const;
type PublicSwitch = (typeof SWITCHES)[number];

/** What the form shows for each switch: the stored state, or what was just submitted when it was refused. */
type SwitchValues = Record<PublicSwitch, boolean>;

/** The public addresses of the guild's pages (the command list only once a Kick channel is connected). */
interface PublicUrls {
  leaderboard: string;
  commandList: string | null;
}

/**
 * A checkbox's value as the action's input: ticked (`on`) is true, absent is false; anything else is passed on
 * as it came, so the bot refuses it with its own words rather than the page guessing.
 */
function switchInput(body: unknown, name: PublicSwitch): boolean | string {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  if (value === undefined || value === '') return false;
  if (value === 'on') return true;
  return typeof value === 'string' ? value : String(value);
}

function checkbox(name: PublicSwitch, checked: boolean, label: string, describedBy?: string): SafeHtml {
  const id = `pub-${name}`;
  return html`<div class="switch"><input type="checkbox" id="${id}" name="${name}" value="on"${checked ? raw(' checked') : ''}${describedBy ? html` aria-describedby="${describedBy}"` : ''}> <label for="${id}">${label}</label></div>`;
}

function publicPagesPage(input: { viewer: Viewer; guild: GuildNav; values: SwitchValues; urls: PublicUrls; unlisted: string[]; prefix: string; requestId: string; notice: { ok: boolean; text: SafeHtml } | null }): string {
  const { values, urls, guild } = input;
  const state = (on: boolean) => (on ? html`<span class="ok">public</span>` : html`<span class="muted">not public — the address answers "not public"</span>`);
  const commandListAddress = urls.commandList
    ? html`<p class="small" id="pub-commandList-url">Address: <a class="mono" href="${urls.commandList}">${urls.commandList}</a> · now ${state(values.commandList)}. <code>!commands</code> in Kick chat links to it while it is public.</p>`
    : html`<p class="small" id="pub-commandList-url">The command list lives at <code>/c/&lt;your Kick channel&gt;/commands</code> once a Kick channel is connected (see the Overview tab).</p>`;
  const unlisted = input.unlisted.length
    ? html`<p class="small">Left off the list (they still work in chat): ${input.unlisted.map((n, i) => html`${i ? ', ' : ''}<code>${input.prefix}${n}</code>`)}. Choose which custom commands are listed on the <a href="/dashboard/${guild.id}/commands">Commands &amp; timers</a> tab.</p>`
    : html`<p class="small">Every enabled custom command is listed. Leave one off on the <a href="/dashboard/${guild.id}/commands">Commands &amp; timers</a> tab.</p>`;
  return dashboardPage({
    title: `${guild.name} · Public pages`,
    viewer: input.viewer,
    guild,
    body: html`<h1>Public pages</h1>${input.notice ? flashNotice(input.notice) : ''}
<p>kickcord shows two pages to anyone on the web, without a login: the leaderboard and the list of chat commands. Choose what they show. A hidden column is left out of the page entirely. Browsers may keep showing a page they opened for up to 30 seconds after a change.</p>
<form method="post" action="/dashboard/${guild.id}/public">${csrfField(input.viewer.csrfToken)}${requestField(input.requestId)}
<section class="card" aria-labelledby="pub-lb-h"><h2 id="pub-lb-h">Leaderboard</h2>
${checkbox('leaderboard', values.leaderboard, 'Show the leaderboard on the web', 'pub-leaderboard-url')}
<p class="small" id="pub-leaderboard-url">Address: <a class="mono" href="${urls.leaderboard}">${urls.leaderboard}</a> · now ${state(values.leaderboard)}.</p>
<fieldset><legend>Columns it shows (ranks and names are always shown)</legend>
${checkbox('leaderboardPoints', values.leaderboardPoints, 'Points')}
${checkbox('leaderboardWatchtime', values.leaderboardWatchtime, 'Watch time (active minutes)')}
</fieldset></section>
<section class="card" aria-labelledby="pub-cl-h"><h2 id="pub-cl-h">Command list</h2>
${checkbox('commandList', values.commandList, 'Show the command list on the web', 'pub-commandList-url')}
${commandListAddress}${unlisted}</section>
<div class="actions"><button type="submit" class="primary">Save public pages</button></div>
</form>`,
  });
}

/** Public pages: whether the leaderboard (and which of its columns) and the command list are shown on the web. */
export const publicPagesGuildPage: GuildPage = {
  key: 'public',
  label: 'Public pages',
  path: 'public',
  register(kit) {
    const { prisma, config } = kit.ctx;
    const base = config.publicUrl.replace(/\/+$/, '');
    const load = async (guildId: string) => {
      const [settings, owner, unlisted] = await Promise.all([
        prisma.guildSettings.findUnique({ where: { guildId }, select: { commandPrefix: true, publicLeaderboard: true, publicLeaderboardPoints: true, publicLeaderboardWatchtime: true, publicCommandList: true } }),
        prisma.guildChannelLink.findFirst({ where: { guildId, kind: 'owner' }, select: { channel: { select: { slug: true } } } }),
        prisma.chatCommand.findMany({ where: { guildId, publicListed: false, enabled: true }, orderBy: { name: 'asc' }, select: { name: true } }),
      ]);
      // No settings row yet: the defaults, everything public.
      const values: SwitchValues = {
        leaderboard: settings?.publicLeaderboard ?? true,
        leaderboardPoints: settings?.publicLeaderboardPoints ?? true,
        leaderboardWatchtime: settings?.publicLeaderboardWatchtime ?? true,
        commandList: settings?.publicCommandList ?? true,
      };
      const urls: PublicUrls = {
        leaderboard: `${base}/leaderboard/${guildId}`,
        commandList: owner ? `${base}/c/${encodeURIComponent(owner.channel.slug.toLowerCase())}/commands` : null,
      };
      return { values, urls, unlisted: unlisted.map((c) => c.name), prefix: settings?.commandPrefix ?? '!' };
    };

    kit.router.get('/:guildId/public', kit.forGuild({}, async (req, res, access, v) => {
      const [data, flash] = await Promise.all([load(access.guild.id), kit.takeFlash(req)]);
      const notice = flash ? { ok: flash.ok, text: discordText(flash.text) } : null;
      kit.send(res, publicPagesPage({ viewer: v, guild: kit.nav(access, 'public'), ...data, requestId: kit.newRequestId(), notice }));
    }));

    kit.router.post('/:guildId/public', kit.forGuild({}, async (req, res, access, v) => {
      const guildId = access.guild.id;
      const input = Object.fromEntries(SWITCHES.map((name) => [name, switchInput(req.body, name)])) as Record<PublicSwitch, boolean | string>;
      const result: GuildActionResult = await kit.runAction(req, access, 'public.settings', input);
      if (result.ok) {
        await kit.flash(req, { ok: true, text: result.message });
        return void res.set('cache-control', 'no-store').redirect(303, `/dashboard/${guildId}/public`);
      }
      // Refused: the same page, with what was ticked kept and the bot's reason above it.
      const data = await load(guildId);
      const values = Object.fromEntries(SWITCHES.map((name) => [name, input[name] === true])) as SwitchValues;
      kit.send(res, publicPagesPage({ viewer: v, guild: kit.nav(access, 'public'), ...data, values, requestId: kit.newRequestId(), notice: { ok: false, text: discordText(result.error) } }), 400);
    }));
  },
};
