import type { GuildActionResult } from '@kickcord/queue';
import type { Request, Response } from 'express';
import { html, raw, type SafeHtml } from '../../pages/html.ts';
import type { GuildAccess } from '../access.ts';
import { csrfField, dashboardPage, flashNotice, requestField, when, type GuildNav, type Viewer } from '../dashboardPages.ts';
import { discordText, type DiscordNames } from '../discordText.ts';
import type { GuildPage } from '../guildPageKit.ts';
import { formField } from '../formValues.ts';

/** Kick chat badges a role can be given for (the bot's list, `/role-rewards badge`). */
export const REWARD_BADGES = ['vip', 'moderator', 'og', 'founder', 'sub_gifter', 'verified'] as const;

/** The page's parts a notice can belong to (each is a section with this id). */
const SECTIONS = ['status', 'subscriber', 'tiers', 'badges', 'modlog'] as const;
type Section = (typeof SECTIONS)[number];

type TierKind = 'watchtime' | 'points';

interface Tier {
  kind: TierKind;
  /** Active minutes (watchtime) or points, as stored. */
  threshold: number;
  roleId: string;
}

interface RoleRewardsData {
  subscriberRoleId: string | null;
  tierMode: 'highest' | 'stack';
  modLogChannelId: string | null;
  /** The server's own mod-log channel, used when role rewards have none of their own. */
  serverModLogChannelId: string | null;
  tiers: Tier[];
  badges: Map<string, string>;
  roles: { id: string; name: string }[];
  channels: { id: string; name: string }[];
}

/** What the bot found (`roleRewards.status`): problems, the last problem at use, how many viewers hold a reward role. */
interface Status {
  ok: boolean;
  error?: string;
  problems: string[];
  problemRoleIds: Set<string>;
  lastProblem: { at: string; text: string } | null;
  members: number;
}

/** A notice inside one section, and for a refusal the form's fields as typed. */
interface SectionNotice {
  section: Section;
  ok: boolean;
  text: SafeHtml;
  /** Which form was refused (`tier-add`, `badge:vip`, …) and what was typed into it. */
  form?: string;
  typed?: Record<string, string>;
}

function isSection(value: unknown): value is Section {
  return typeof value === 'string' && (SECTIONS as readonly string[]).includes(value);
}

/** A threshold as moderators set it: hours for watchtime, points for points (the bot's words). */
export function describeTier(tier: Pick<Tier, 'kind' | 'threshold'>): string {
  if (tier.kind === 'points') return `${tier.threshold.toLocaleString('en-US')} points`;
  const hours = tier.threshold / 60;
  return `${Number.isInteger(hours) ? hours : hours.toFixed(1)} h watchtime`;
}

/** A stored tier's threshold as typed into `/role-rewards tier-add` (hours, or points). */
function typedThreshold(tier: Tier): number {
  return tier.kind === 'watchtime' ? tier.threshold / 60 : tier.threshold;
}

/** A number typed into a form; anything not a number is sent as typed, for the bot to explain. */
function numberInput(value: string): number | string | null {
  const t = value.trim();
  if (t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
}

function option(value: string, label: string, selected: boolean): SafeHtml {
  return html`<option value="${value}"${selected ? raw(' selected') : raw('')}>${label}</option>`;
}

function roleName(names: DiscordNames, roleId: string): string {
  return `@${names.roles?.get(roleId) ?? roleId}`;
}

/** A role as the page shows it, marked when kickcord cannot give it. */
function roleBadge(names: DiscordNames, status: Status, roleId: string): SafeHtml {
  return html`<span class="mention">${roleName(names, roleId)}</span>${status.problemRoleIds.has(roleId) ? html` <span class="warn">⚠️ cannot be given yet</span>` : ''}`;
}

function roleOptions(roles: { id: string; name: string }[], selected: string, none: string): SafeHtml[] {
  return [option('', none, !selected), ...roles.map((r) => option(r.id, `@${r.name}`, r.id === selected))];
}

interface Ctx {
  guildId: string;
  viewer: Viewer;
  data: RoleRewardsData;
  status: Status;
  names: DiscordNames;
  newRequestId: () => string;
  notice: SectionNotice | null;
}

function noticeFor(c: Ctx, section: Section): SafeHtml {
  return c.notice?.section === section ? flashNotice(c.notice) : html``;
}

/** What was typed into `form` when the bot refused it, else undefined. */
function typedFor(c: Ctx, form: string): Record<string, string> | undefined {
  return c.notice && !c.notice.ok && c.notice.form === form ? c.notice.typed : undefined;
}

function formStart(c: Ctx, path: string): SafeHtml {
  return html`<form method="post" action="/dashboard/${c.guildId}/role-rewards/${path}">${csrfField(c.viewer.csrfToken)}${requestField(c.newRequestId())}`;
}

function statusSection(c: Ctx): SafeHtml {
  const s = c.status;
  const problems = !s.ok
    ? html`<p class="notice bad" role="status">The bot could not check the roles just now: ${discordText(s.error ?? '', c.names)}</p>`
    : s.problems.length
      ? html`<ul>${s.problems.map((p) => html`<li class="warn">${discordText(p, c.names)}</li>`)}</ul>`
      : html`<p class="ok">✅ kickcord can give every reward role.</p>`;
  const last = s.lastProblem ? html`<p>Last problem met while giving roles (${when(new Date(s.lastProblem.at))}): ${discordText(s.lastProblem.text, c.names)}</p>` : html``;
  return html`<section class="card" id="status" aria-labelledby="status-h"><h2 id="status-h">Problems the bot found</h2>${noticeFor(c, 'status')}${problems}${last}
<p class="muted small">${s.ok ? `${s.members} linked ${s.members === 1 ? 'viewer holds' : 'viewers hold'} a reward role. ` : ''}kickcord checks roles every 15 seconds and repairs them daily; Sync now compares every linked viewer's Discord roles with what they earned at once.</p>
${formStart(c, 'sync')}<button type="submit">Sync now</button></form></section>`;
}

function subscriberSection(c: Ctx): SafeHtml {
  const typed = typedFor(c, 'subscriber');
  const selected = typed ? (typed.roleId ?? '') : (c.data.subscriberRoleId ?? '');
  const current = c.data.subscriberRoleId ? html`Linked viewers with an active Kick subscription get ${roleBadge(c.names, c.status, c.data.subscriberRoleId)}; it goes when a subscription ends without renewal.` : html`Off: no role for subscribers.`;
  return html`<section class="card" id="subscriber" aria-labelledby="subscriber-h"><h2 id="subscriber-h">Subscriber role</h2>${noticeFor(c, 'subscriber')}<p>${current}</p>
${formStart(c, 'subscriber')}<label for="subscriber-role">Role for Kick subscribers</label><select id="subscriber-role" name="roleId">${roleOptions(c.data.roles, selected, 'Off (no role)')}</select>
<div class="actions"><button type="submit" class="primary">Save subscriber role</button></div></form></section>`;
}

function tiersSection(c: Ctx): SafeHtml {
  const { tiers, tierMode } = c.data;
  const list = tiers.length
    ? html`<table class="stack"><caption class="muted small">${tierMode === 'stack' ? 'Tiers stack: viewers keep every tier they reached.' : 'Only the highest tier of each ladder is kept.'}</caption><thead><tr><th scope="col">Counts</th><th scope="col">Threshold</th><th scope="col">Role</th><th scope="col">Change</th></tr></thead><tbody>${tiers.map((t) => {
        const id = `tier-${t.kind}-${t.threshold}`;
        return html`<tr id="${id}"><td data-label="Counts">${t.kind === 'watchtime' ? 'Watchtime' : 'Points'}</td><td data-label="Threshold"><strong id="${id}-label">${describeTier(t)}</strong></td><td data-label="Role">${roleBadge(c.names, c.status, t.roleId)}</td><td data-label="Change">${formStart(c, 'tiers/remove')}<input type="hidden" name="kind" value="${t.kind}"><input type="hidden" name="threshold" value="${typedThreshold(t)}"><button type="submit" aria-describedby="${id}-label" data-confirm="Remove the tier at ${describeTier(t)}? kickcord takes its role back.">Remove</button></form></td></tr>`;
      })}</tbody></table>`
    : html`<p class="muted">No tiers yet.</p>`;
  const typed = typedFor(c, 'tier-add') ?? {};
  const kind = typed.kind === 'points' ? 'points' : 'watchtime';
  const modeTyped = typedFor(c, 'mode')?.mode;
  const mode = modeTyped === 'stack' || modeTyped === 'highest' ? modeTyped : tierMode;
  return html`<section class="card" id="tiers" aria-labelledby="tiers-h"><h2 id="tiers-h">Watchtime and points tiers</h2>${noticeFor(c, 'tiers')}${list}
${formStart(c, 'tiers')}<fieldset><legend>Add a tier</legend><div class="grid2"><div><label for="tier-kind">Counts</label><select id="tier-kind" name="kind">${option('watchtime', 'Watchtime (hours)', kind === 'watchtime')}${option('points', 'Points', kind === 'points')}</select></div>
<div><label for="tier-threshold">Threshold</label><input type="number" id="tier-threshold" name="threshold" min="1" step="1" inputmode="numeric" required value="${typed.threshold ?? ''}" aria-describedby="tier-threshold-hint"><span class="muted small" id="tier-threshold-hint">Hours of watchtime, or points.</span></div>
<div><label for="tier-role">Role given</label><select id="tier-role" name="roleId">${roleOptions(c.data.roles, typed.roleId ?? '', 'Choose a role…')}</select></div></div>
<div class="actions"><button type="submit" class="primary">Add tier</button></div></fieldset></form>
${formStart(c, 'mode')}<fieldset><legend>When a viewer reaches several tiers of a ladder</legend>
<div><input type="radio" id="mode-highest" name="mode" value="highest"${mode === 'highest' ? raw(' checked') : raw('')}> <label for="mode-highest">Keep only the highest tier</label></div>
<div><input type="radio" id="mode-stack" name="mode" value="stack"${mode === 'stack' ? raw(' checked') : raw('')}> <label for="mode-stack">Keep every tier reached (stacking)</label></div>
<div class="actions"><button type="submit">Save tier mode</button></div></fieldset></form></section>`;
}

function badgesSection(c: Ctx): SafeHtml {
  const rows = REWARD_BADGES.map((badge) => {
    const typed = typedFor(c, `badge:${badge}`);
    const current = c.data.badges.get(badge) ?? '';
    const selected = typed ? (typed.roleId ?? '') : current;
    return html`<div id="badge-${badge}">${formStart(c, `badges/${badge}`)}<label for="badge-${badge}-role">Role for the <strong>${badge}</strong> badge</label><select id="badge-${badge}-role" name="roleId">${roleOptions(c.data.roles, selected, 'No role')}</select>${current && c.status.problemRoleIds.has(current) ? html` <span class="warn">⚠️ cannot be given yet</span>` : ''}<div class="actions"><button type="submit">Save ${badge} role</button></div></form></div>`;
  });
  return html`<section class="card" id="badges" aria-labelledby="badges-h"><h2 id="badges-h">Kick chat badge roles</h2>${noticeFor(c, 'badges')}<p class="muted small">Linked viewers whose Kick chat messages carry a badge get its role (checked on each message; it goes when the badge does).</p><div class="grid2">${rows}</div></section>`;
}

function modLogSection(c: Ctx): SafeHtml {
  const typed = typedFor(c, 'modlog');
  const selected = typed ? (typed.channelId ?? '') : (c.data.modLogChannelId ?? '');
  const fallback = c.data.serverModLogChannelId ? `The server's mod-log (#${c.names.channels?.get(c.data.serverModLogChannelId) ?? c.data.serverModLogChannelId})` : 'None';
  return html`<section class="card" id="modlog" aria-labelledby="modlog-h"><h2 id="modlog-h">Mod-log</h2>${noticeFor(c, 'modlog')}<p class="muted small">Where each role given or taken is logged, with any problem.</p>
${formStart(c, 'modlog')}<label for="modlog-channel">Channel</label><select id="modlog-channel" name="channelId">${[option('', fallback, !selected), ...c.data.channels.map((ch) => option(ch.id, `#${ch.name}`, ch.id === selected))]}</select>
<div class="actions"><button type="submit">Save mod-log</button></div></form></section>`;
}

function roleRewardsPage(input: { viewer: Viewer; guild: GuildNav } & Omit<Ctx, 'guildId' | 'viewer'>): string {
  const c: Ctx = { ...input, guildId: input.guild.id };
  return dashboardPage({
    title: `${input.guild.name} · Role rewards`,
    viewer: input.viewer,
    guild: input.guild,
    body: html`<h1>Role rewards</h1><p>Discord roles kickcord gives linked Kick viewers: subscribers, watchtime and points tiers, and Kick chat badges. The same settings as <code>/role-rewards</code>.</p>
${statusSection(c)}${subscriberSection(c)}${tiersSection(c)}${badgesSection(c)}${modLogSection(c)}`,
  });
}

/** Reads the status the bot reports (nothing is changed). */
function readStatus(result: GuildActionResult): Status {
  if (!result.ok) return { ok: false, error: result.error, problems: [], problemRoleIds: new Set(), lastProblem: null, members: 0 };
  const d = result.data && typeof result.data === 'object' && !Array.isArray(result.data) ? (result.data as Record<string, unknown>) : {};
  const problems = Array.isArray(d.problems) ? d.problems.filter((p): p is string => typeof p === 'string') : [];
  const roles = Array.isArray(d.problemRoles) ? d.problemRoles.flatMap((r) => (r && typeof r === 'object' && typeof (r as { roleId?: unknown }).roleId === 'string' ? [(r as { roleId: string }).roleId] : [])) : [];
  const last = d.lastProblem && typeof d.lastProblem === 'object' ? (d.lastProblem as { at?: unknown; text?: unknown }) : null;
  return {
    ok: true,
    problems,
    problemRoleIds: new Set(roles),
    lastProblem: last && typeof last.at === 'string' && typeof last.text === 'string' ? { at: last.at, text: last.text } : null,
    members: typeof d.members === 'number' ? d.members : 0,
  };
}

/** Role rewards: subscriber role, tiers (and how they add up), badge roles, the mod-log, "Sync now", and what stops the bot from giving a role. */
export const roleRewardsGuildPage: GuildPage = {
  key: 'role-rewards',
  label: 'Role rewards',
  path: 'role-rewards',
  register(kit) {
    const { prisma } = kit.ctx;
    const base = (guildId: string) => `/dashboard/${guildId}/role-rewards`;

    const load = async (req: Request, access: GuildAccess) => {
      const guildId = access.guild.id;
      const [settings, server, tiers, badges, roles, channels, names, status] = await Promise.all([
        prisma.roleRewardSettings.findUnique({ where: { guildId } }),
        prisma.guildSettings.findUnique({ where: { guildId }, select: { modLogChannelId: true } }),
        prisma.roleRewardTier.findMany({ where: { guildId }, orderBy: [{ kind: 'asc' }, { threshold: 'asc' }] }),
        prisma.roleRewardBadge.findMany({ where: { guildId } }),
        kit.roles(guildId),
        kit.textChannels(guildId),
        kit.names(guildId),
        // A read, never deduplicated with the form's change: the request without the form's one-time id.
        kit.runAction(Object.create(req, { body: { value: {} } }) as Request, access, 'roleRewards.status', {}),
      ]);
      const data: RoleRewardsData = {
        subscriberRoleId: settings?.subscriberRoleId ?? null,
        tierMode: settings?.tierMode ?? 'highest',
        modLogChannelId: settings?.modLogChannelId ?? null,
        serverModLogChannelId: server?.modLogChannelId ?? null,
        tiers: tiers.map((t) => ({ kind: t.kind, threshold: t.threshold, roleId: t.roleId })),
        badges: new Map(badges.map((b) => [b.badge, b.roleId])),
        roles: roles.filter((r) => !r.managed),
        channels,
      };
      return { data, names, status: readStatus(status) };
    };

    /** Answers a change: on success a notice and a redirect to its section; refused, the page again with what was typed (400). */
    const answer = async (req: Request, res: Response, access: GuildAccess, v: Viewer, result: GuildActionResult, section: Section, form?: string, typed?: Record<string, string>) => {
      if (result.ok) {
        await kit.flash(req, { ok: true, text: result.message });
        return void res.set('cache-control', 'no-store').redirect(303, `${base(access.guild.id)}?at=${section}#${section}`);
      }
      const loaded = await load(req, access);
      const notice: SectionNotice = { section, ok: false, text: discordText(result.error, loaded.names), ...(form ? { form } : {}), ...(typed ? { typed } : {}) };
      kit.send(res, roleRewardsPage({ viewer: v, guild: kit.nav(access, 'role-rewards'), ...loaded, newRequestId: kit.newRequestId, notice }), 400);
    };

    kit.router.get('/:guildId/role-rewards', kit.forGuild({}, async (req, res, access, v) => {
      const [loaded, flash] = await Promise.all([load(req, access), kit.takeFlash(req)]);
      const section = isSection(req.query.at) ? req.query.at : 'status';
      const notice = flash ? { section, ok: flash.ok, text: discordText(flash.text, loaded.names) } : null;
      kit.send(res, roleRewardsPage({ viewer: v, guild: kit.nav(access, 'role-rewards'), ...loaded, newRequestId: kit.newRequestId, notice }));
    }));

    kit.router.post('/:guildId/role-rewards/subscriber', kit.forGuild({}, async (req, res, access, v) => {
      const roleId = formField(req.body, 'roleId');
      await answer(req, res, access, v, await kit.runAction(req, access, 'roleRewards.subscriber', { roleId: roleId || null }), 'subscriber', 'subscriber', { roleId });
    }));

    kit.router.post('/:guildId/role-rewards/tiers', kit.forGuild({}, async (req, res, access, v) => {
      const typed = { kind: formField(req.body, 'kind'), threshold: formField(req.body, 'threshold'), roleId: formField(req.body, 'roleId') };
      const result = typed.roleId
        ? await kit.runAction(req, access, 'roleRewards.tier.add', { kind: typed.kind, threshold: numberInput(typed.threshold), roleId: typed.roleId })
        : { ok: false as const, error: 'Choose the role the tier gives.' };
      await answer(req, res, access, v, result, 'tiers', 'tier-add', typed);
    }));

    kit.router.post('/:guildId/role-rewards/tiers/remove', kit.forGuild({}, async (req, res, access, v) => {
      await answer(req, res, access, v, await kit.runAction(req, access, 'roleRewards.tier.remove', { kind: formField(req.body, 'kind'), threshold: numberInput(formField(req.body, 'threshold')) }), 'tiers');
    }));

    kit.router.post('/:guildId/role-rewards/mode', kit.forGuild({}, async (req, res, access, v) => {
      const mode = formField(req.body, 'mode');
      await answer(req, res, access, v, await kit.runAction(req, access, 'roleRewards.mode', { mode }), 'tiers', 'mode', { mode });
    }));

    kit.router.post('/:guildId/role-rewards/badges/:badge', kit.forGuild({}, async (req, res, access, v) => {
      const badge = String(req.params.badge);
      const roleId = formField(req.body, 'roleId');
      await answer(req, res, access, v, await kit.runAction(req, access, 'roleRewards.badge', { badge, roleId: roleId || null }), 'badges', `badge:${badge}`, { roleId });
    }));

    kit.router.post('/:guildId/role-rewards/modlog', kit.forGuild({}, async (req, res, access, v) => {
      const channelId = formField(req.body, 'channelId');
      await answer(req, res, access, v, await kit.runAction(req, access, 'roleRewards.modlog', { channelId: channelId || null }), 'modlog', 'modlog', { channelId });
    }));

    kit.router.post('/:guildId/role-rewards/sync', kit.forGuild({}, async (req, res, access, v) => {
      await answer(req, res, access, v, await kit.runAction(req, access, 'roleRewards.sync', {}), 'status');
    }));
  },
};
