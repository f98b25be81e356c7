/**
 * The Channel rewards page: the connected channel's Kick channel rewards (read from Kick through the bot each time
 * the page opens), create / change / pause / delete them on Kick, what kickcord does when each is redeemed, where
 * redemptions wait in Discord, the redemptions waiting for a decision (Accept / Reject at Kick), and the reward queue.
 * Every change is a bot action — the same code `/rewards` and its buttons run.
 */
import type { ChannelRewardAction, ChannelRewardRedemption } from '@kickcord/db';
import type { GuildActionResult } from '@kickcord/queue';
import type { Request, Response } from 'express';
import { html, raw, type SafeHtml } from '../../pages/html.ts';
import type { GuildAccess } from '../access.ts';
import { csrfField, dashboardPage, requestField, when, type GuildNav, type Viewer } from '../dashboardPages.ts';
import { discordText, type DiscordNames } from '../discordText.ts';
import type { GuildPage } from '../guildPageKit.ts';
import { checkedAttr, formField, noticeAt, selectedAttr, submittedOn, submittedValue, type FormNotice, type SubmittedForm } from '../formValues.ts';

/** Redemptions one list shows. */
export const REDEMPTIONS_SHOWN = 50;
/** Kick's limits on a reward (the bot and Kick check them again). */
const TITLE_MAX = 50;
const DESCRIPTION_MAX = 200;
const KICK_ID = /^[A-Za-z0-9_-]{1,100}$/;
const SECTION = /^[A-Za-z0-9_-]{1,120}$/;
const POST_VARIABLES = '{user} {reward} {input} {cost}';

/** A reward as Kick reported it (through the bot's `rewards.list`). */
interface KickRewardRow {
  id: string;
  title: string;
  cost: number;
  description: string;
  backgroundColor: string | null;
  isEnabled: boolean;
  isPaused: boolean;
  isUserInputRequired: boolean;
  skipQueue: boolean;
}

/** Everything the page shows. */
interface RewardsData {
  /** Read from Kick just now, or why that failed. */
  kick: { ok: true; rewards: KickRewardRow[]; writeProblem: string | null } | { ok: false; error: string };
  actions: ChannelRewardAction[];
  rewardsChannelId: string | null;
  pending: ChannelRewardRedemption[];
  queue: ChannelRewardRedemption[];
  recent: ChannelRewardRedemption[];
  channels: { id: string; name: string }[];
  roles: { id: string; name: string }[];
}

/** A whole number as a number, empty as `empty`; anything else as typed, so the bot refuses it in its own words. */
function numberInput(value: string, empty: number | string): number | string {
  const t = value.trim();
  if (t === '') return empty;
  return /^\d{1,9}$/.test(t) ? Number(t) : t;
}

/** The same request without its form's one-time id: a read made while handling a form is a job of its own. */
function readOnly(req: Request): Request {
  return Object.assign(Object.create(req) as Request, { body: {} });
}

/** The element id of a reward's card. */
function rewardAt(rewardId: string): string {
  return `reward-${rewardId}`;
}

/** Reads `rewards.list`'s data (anything unexpected counts as no rewards). */
function kickRewardsOf(result: GuildActionResult): RewardsData['kick'] {
  if (!result.ok) return { ok: false, error: result.error };
  const data = (result.data && typeof result.data === 'object' && !Array.isArray(result.data) ? result.data : {}) as { rewards?: unknown; writeProblem?: unknown };
  const rows = Array.isArray(data.rewards) ? data.rewards : [];
  const rewards = rows.flatMap((r): KickRewardRow[] => {
    const x = (r ?? {}) as Record<string, unknown>;
    if (typeof x.id !== 'string' || !KICK_ID.test(x.id) || typeof x.title !== 'string') return [];
    return [
      {
        id: x.id,
        title: x.title,
        cost: typeof x.cost === 'number' ? x.cost : 0,
        description: typeof x.description === 'string' ? x.description : '',
        backgroundColor: typeof x.backgroundColor === 'string' ? x.backgroundColor : null,
        isEnabled: x.isEnabled === true,
        isPaused: x.isPaused === true,
        isUserInputRequired: x.isUserInputRequired === true,
        skipQueue: x.skipQueue === true,
      },
    ];
  });
  return { ok: true, rewards, writeProblem: typeof data.writeProblem === 'string' ? data.writeProblem : null };
}

/** A reward's kickcord actions in words (as `/rewards list` says them), with channel and role names. */
function describeActions(a: ChannelRewardAction | undefined, names: DiscordNames): SafeHtml {
  if (!a) return html`<span class="muted">none yet</span>`;
  const parts = [
    a.points > 0 ? html`${a.points.toLocaleString('en-US')} point${a.points === 1 ? '' : 's'}` : null,
    a.roleId ? html`role <span class="mention">@${names.roles?.get(a.roleId) ?? a.roleId}</span> (linked viewers)` : null,
    a.postChannelId ? html`post in <span class="mention">#${names.channels?.get(a.postChannelId) ?? a.postChannelId}</span>` : null,
    a.addToQueue ? html`reward queue` : null,
    a.autoAccept ? html`auto-accept on success` : null,
    a.autoReject ? html`auto-reject on failure` : null,
  ].filter((p): p is SafeHtml => p !== null);
  return parts.length ? html`${parts.map((p, i) => html`${i ? ' · ' : ''}${p}`)}` : html`<span class="muted">none yet</span>`;
}

function stateOf(r: KickRewardRow): SafeHtml {
  if (!r.isEnabled) return html`<span class="muted">hidden (disabled)</span>`;
  return r.isPaused ? html`<span class="warn">paused</span>` : html`<span class="ok">on</span>`;
}

function fieldsForm(input: { prefix: string; sub: SubmittedForm | null | undefined; at: string; reward: KickRewardRow | null }): SafeHtml {
  const { prefix: p, sub, at, reward: r } = input;
  const id = (n: string) => `${p}-${n}`;
  return html`<div class="grid2"><div><label for="${id('title')}">Title</label><input type="text" id="${id('title')}" name="title" maxlength="${TITLE_MAX}" size="30" value="${submittedValue(sub, at, 'title', r?.title ?? '')}"></div>
<div><label for="${id('cost')}">Cost (Kick channel points)</label><input type="number" id="${id('cost')}" name="cost" min="1" value="${submittedValue(sub, at, 'cost', r ? String(r.cost) : '')}"></div>
<div><label for="${id('colour')}">Background colour</label><input type="text" id="${id('colour')}" name="colour" maxlength="7" placeholder="#00e701" value="${submittedValue(sub, at, 'colour', r?.backgroundColor ?? '')}"></div></div>
<label for="${id('description')}">Description</label><textarea id="${id('description')}" name="description" rows="2" maxlength="${DESCRIPTION_MAX}">${submittedValue(sub, at, 'description', r?.description ?? '')}</textarea>
<div><label for="${id('userInput')}"><input type="checkbox" id="${id('userInput')}" name="userInput"${checkedAttr(submittedOn(sub, at, 'userInput', r?.isUserInputRequired ?? false))}> Ask the viewer for text when redeeming</label></div>
<div><label for="${id('skipQueue')}"><input type="checkbox" id="${id('skipQueue')}" name="skipQueue"${checkedAttr(submittedOn(sub, at, 'skipQueue', r?.skipQueue ?? false))}> Accept redemptions at once (skip Kick's request queue)</label></div>
<div><label for="${id('enabled')}"><input type="checkbox" id="${id('enabled')}" name="enabled"${checkedAttr(submittedOn(sub, at, 'enabled', r?.isEnabled ?? true))}> Show the reward to viewers</label></div>`;
}

function rewardCard(input: { guildId: string; viewer: Viewer; reward: KickRewardRow; action: ChannelRewardAction | undefined; data: RewardsData; names: DiscordNames; newRequestId: () => string; notice: FormNotice | null | undefined; submitted: SubmittedForm | null | undefined }): SafeHtml {
  const { reward: r, action: a, submitted: sub } = input;
  const at = rewardAt(r.id);
  const post = `/dashboard/${input.guildId}/channel-rewards/reward/${r.id}`;
  const hidden = (todo: string) => html`${csrfField(input.viewer.csrfToken)}${requestField(input.newRequestId())}<input type="hidden" name="do" value="${todo}">`;
  const actionsAt = `${at}-actions`;
  const roleId = submittedValue(sub, actionsAt, 'roleId', a?.roleId ?? '');
  const postChannelId = submittedValue(sub, actionsAt, 'postChannelId', a?.postChannelId ?? '');
  const id = (n: string) => `${at}-a-${n}`;
  return html`<section class="card" id="${at}" aria-labelledby="${at}-h"><h3 id="${at}-h">${r.title} · ${r.cost.toLocaleString('en-US')} channel points · ${stateOf(r)}</h3>${noticeAt(input.notice, at)}
${r.description ? html`<p>${r.description}</p>` : ''}<p class="small">When redeemed, kickcord: ${describeActions(a, input.names)}</p>
<div class="actions"><form class="inline" method="post" action="${post}">${hidden(r.isPaused ? 'resume' : 'pause')}<button type="submit" aria-label="${r.isPaused ? 'Resume' : 'Pause'} ${r.title}">${r.isPaused ? '▶️ Resume' : '⏸️ Pause'}</button></form>
<form class="inline" method="post" action="${post}">${hidden('delete')}<button type="submit" aria-label="Delete ${r.title}" data-confirm="Delete ${r.title} on Kick? Viewers can no longer redeem it.">Delete</button></form></div>
<details${sub?.at === at ? raw(' open') : raw('')}><summary>Change it on Kick</summary><form method="post" action="${post}">${hidden('edit')}${fieldsForm({ prefix: `${at}-f`, sub, at, reward: r })}
<div class="actions"><button type="submit" class="primary">Save on Kick</button></div></form></details>
<details${sub?.at === actionsAt || input.notice?.at === actionsAt ? raw(' open') : raw('')}><summary>What kickcord does when it is redeemed</summary>${noticeAt(input.notice, actionsAt)}<form method="post" action="${post}">${hidden('actions')}
<div class="grid2"><div><label for="${id('points')}">kickcord points for the redeemer</label><input type="number" id="${id('points')}" name="points" min="0" max="1000000" value="${submittedValue(sub, actionsAt, 'points', String(a?.points ?? 0))}"></div>
<div><label for="${id('role')}">Discord role for a linked redeemer</label><select id="${id('role')}" name="roleId"><option value=""${selectedAttr(!roleId)}>No role</option>${input.data.roles.map((x) => html`<option value="${x.id}"${selectedAttr(x.id === roleId)}>@${x.name}</option>`)}</select></div>
<div><label for="${id('channel')}">Post each redemption in</label><select id="${id('channel')}" name="postChannelId"><option value=""${selectedAttr(!postChannelId)}>Do not post</option>${input.data.channels.map((c) => html`<option value="${c.id}"${selectedAttr(c.id === postChannelId)}>#${c.name}</option>`)}</select></div></div>
<label for="${id('message')}">Post message</label><input type="text" id="${id('message')}" name="postMessage" maxlength="500" size="40" value="${submittedValue(sub, actionsAt, 'postMessage', a?.postMessage ?? '')}" aria-describedby="${id('message-help')}">
<p class="muted small" id="${id('message-help')}">Empty = the default line. Variables: <code>${POST_VARIABLES}</code></p>
<div><label for="${id('queue')}"><input type="checkbox" id="${id('queue')}" name="queue"${checkedAttr(submittedOn(sub, actionsAt, 'queue', a?.addToQueue ?? false))}> Add each redemption to the reward queue</label></div>
<div><label for="${id('autoAccept')}"><input type="checkbox" id="${id('autoAccept')}" name="autoAccept"${checkedAttr(submittedOn(sub, actionsAt, 'autoAccept', a?.autoAccept ?? false))}> Accept on Kick when every action succeeds</label></div>
<div><label for="${id('autoReject')}"><input type="checkbox" id="${id('autoReject')}" name="autoReject"${checkedAttr(submittedOn(sub, actionsAt, 'autoReject', a?.autoReject ?? false))}> Reject on Kick when an action fails (Kick refunds the viewer)</label></div>
<div class="actions"><button type="submit" class="primary">Save kickcord actions</button></div></form></details></section>`;
}

function rewardsSection(input: { guildId: string; viewer: Viewer; data: RewardsData; names: DiscordNames; newRequestId: () => string; notice: FormNotice | null | undefined; submitted: SubmittedForm | null | undefined }): SafeHtml {
  const { data } = input;
  const byReward = new Map(data.actions.map((a) => [a.rewardId, a]));
  if (!data.kick.ok) {
    const saved = data.actions.length
      ? html`<p>Below is kickcord's saved copy instead: the rewards that have kickcord actions, with their titles as last seen. It may be out of date, and nothing can be changed until Kick answers.</p><ul>${data.actions.map(
          (a) => html`<li><strong>${a.title}</strong> — ${describeActions(a, input.names)}</li>`,
        )}</ul>`
      : html`<p class="muted">kickcord has no saved actions for any reward either.</p>`;
    return html`<section id="rewards" aria-labelledby="rewards-h"><h2 id="rewards-h">Rewards on Kick</h2><div class="notice bad" role="status"><p>The rewards could not be read from Kick: ${discordText(data.kick.error, input.names)}</p>${
      /needs the Kick permission|reconnect|kick connect/i.test(data.kick.error) ? html`<p><a href="/dashboard/${input.guildId}">Create a reconnect link on the Overview page</a> and send it to the streamer.</p>` : ''
    }</div>${saved}</section>`;
  }
  const cards = data.kick.rewards.map((reward) => rewardCard({ ...input, reward, action: byReward.get(reward.id) }));
  return html`<section id="rewards" aria-labelledby="rewards-h"><h2 id="rewards-h">Rewards on Kick</h2><p class="muted small">Read from Kick just now, as the streamer (through the bot); changes are made on Kick at once.</p>${
    data.kick.writeProblem
      ? html`<div class="notice bad" role="status"><p>${discordText(data.kick.writeProblem, input.names)}</p><p><a href="/dashboard/${input.guildId}">Create a reconnect link on the Overview page</a> and send it to the streamer.</p></div>`
      : ''
  }${cards.length ? cards : html`<p class="muted">The channel has no rewards yet: create one below.</p>`}</section>`;
}

function createSection(input: { guildId: string; viewer: Viewer; requestId: string; notice: FormNotice | null | undefined; submitted: SubmittedForm | null | undefined }): SafeHtml {
  return html`<section class="card" id="create" aria-labelledby="create-h"><h2 id="create-h">Create a reward on Kick</h2>${noticeAt(input.notice, 'create')}
<p class="muted small">Kick lets kickcord accept or reject only the redemptions of rewards it created, so create rewards here (or with <code>/rewards create</code>) to decide them from Discord or this page.</p>
<form method="post" action="/dashboard/${input.guildId}/channel-rewards/create">${csrfField(input.viewer.csrfToken)}${requestField(input.requestId)}${fieldsForm({ prefix: 'create', sub: input.submitted, at: 'create', reward: null })}
<div class="actions"><button type="submit" class="primary">Create on Kick</button></div></form></section>`;
}

function channelSection(input: { guildId: string; viewer: Viewer; data: RewardsData; requestId: string; notice: FormNotice | null | undefined; submitted: SubmittedForm | null | undefined }): SafeHtml {
  const current = submittedValue(input.submitted, 'channel', 'channelId', input.data.rewardsChannelId ?? '');
  return html`<section class="card" id="channel" aria-labelledby="channel-h"><h2 id="channel-h">Where redemptions wait in Discord</h2>${noticeAt(input.notice, 'channel')}
${input.data.rewardsChannelId ? '' : html`<p class="warn">Redemptions are not shown in Discord yet.</p>`}
<form method="post" action="/dashboard/${input.guildId}/channel-rewards/channel">${csrfField(input.viewer.csrfToken)}${requestField(input.requestId)}
<label for="channel-id">The moderators' channel (each redemption gets Accept and Reject buttons there)</label><select id="channel-id" name="channelId"><option value=""${selectedAttr(!current)}>Choose a channel…</option>${input.data.channels.map((c) => html`<option value="${c.id}"${selectedAttr(c.id === current)}>#${c.name}</option>`)}</select>
<div class="actions"><button type="submit">Save channel</button></div></form></section>`;
}

function decideForms(input: { guildId: string; viewer: Viewer; r: ChannelRewardRedemption; newRequestId: () => string }): SafeHtml {
  const { r } = input;
  const form = (todo: 'accept' | 'reject', label: string) =>
    html`<form class="inline" method="post" action="/dashboard/${input.guildId}/channel-rewards/redemption/${r.redemptionId}">${csrfField(input.viewer.csrfToken)}${requestField(input.newRequestId())}<input type="hidden" name="do" value="${todo}"><button type="submit"${todo === 'accept' ? raw(' class="primary"') : raw('')} aria-label="${label} ${r.rewardTitle} for ${r.username}">${label}</button></form>`;
  return html`<div class="actions">${form('accept', 'Accept')}${form('reject', 'Reject')}</div>`;
}

function pendingSection(input: { guildId: string; viewer: Viewer; data: RewardsData; names: DiscordNames; newRequestId: () => string; notice: FormNotice | null | undefined }): SafeHtml {
  const rows = input.data.pending.map(
    (r) => html`<tr id="redemption-${r.redemptionId}"><td data-label="Reward"><strong>${r.rewardTitle}</strong><div class="muted small">${r.cost.toLocaleString('en-US')} channel points</div></td><td data-label="Viewer">${r.username}</td>
<td data-label="Input">${r.userInput ? html`“${r.userInput}”` : html`<span class="muted">—</span>`}</td><td data-label="Redeemed">${when(r.redeemedAt)}</td>
<td data-label="kickcord did">${r.actionResults.length ? html`${r.actionResults.map((line, i) => html`${i ? raw('<br>') : ''}${discordText(line, input.names)}`)}` : html`<span class="muted">nothing</span>`}${r.decisionError ? html`<div class="warn small">⚠️ Kick did not take the last decision: ${r.decisionError}</div>` : ''}</td>
<td data-label="Decide">${decideForms({ guildId: input.guildId, viewer: input.viewer, r, newRequestId: input.newRequestId })}</td></tr>`,
  );
  return html`<section class="card" id="pending" aria-labelledby="pending-h"><h2 id="pending-h">Waiting for a decision (${input.data.pending.length}${input.data.pending.length === REDEMPTIONS_SHOWN ? '+' : ''})</h2>${noticeAt(input.notice, 'pending')}
<p class="muted small">Accept or Reject decides the redemption on Kick (a reject refunds the viewer's channel points), and the message in Discord says who decided.</p>${
    rows.length
      ? html`<div class="table-wrap"><table class="stack"><caption class="muted">Oldest first</caption><thead><tr><th scope="col">Reward</th><th scope="col">Viewer</th><th scope="col">Input</th><th scope="col">Redeemed</th><th scope="col">kickcord did</th><th scope="col">Decide</th></tr></thead><tbody>${rows}</tbody></table></div>`
      : html`<p class="muted">No redemption is waiting.</p>`
  }</section>`;
}

function queueSection(input: { guildId: string; viewer: Viewer; data: RewardsData; newRequestId: () => string; notice: FormNotice | null | undefined }): SafeHtml {
  const items = input.data.queue.map(
    (r, i) => html`<li>#${i + 1} <strong>${r.rewardTitle}</strong> — ${r.username}${r.userInput ? html`: “${r.userInput}”` : ''} · ${when(r.redeemedAt)} <form class="inline" method="post" action="/dashboard/${input.guildId}/channel-rewards/redemption/${r.redemptionId}">${csrfField(input.viewer.csrfToken)}${requestField(input.newRequestId())}<input type="hidden" name="do" value="done"><button type="submit" class="link" aria-label="Mark #${i + 1} ${r.rewardTitle} for ${r.username} done">Done</button></form></li>`,
  );
  return html`<section class="card" id="queue" aria-labelledby="queue-h"><h2 id="queue-h">Reward queue (${input.data.queue.length})</h2>${noticeAt(input.notice, 'queue')}${items.length ? html`<ol>${items}</ol>` : html`<p class="muted">The reward queue is empty.</p>`}</section>`;
}

function recentSection(data: RewardsData): SafeHtml {
  if (!data.recent.length) return html``;
  const how = (r: ChannelRewardRedemption) => {
    const verb = r.status === 'accepted' ? '✅ accepted' : '❌ rejected';
    if (r.decidedVia === 'auto') return `${verb} automatically`;
    if (r.decidedVia === 'kick' || !r.decidedVia) return `${verb} on Kick`;
    return `${verb} from ${r.decidedVia === 'dashboard' ? 'the dashboard' : 'Discord'}`;
  };
  return html`<section class="card" id="recent" aria-labelledby="recent-h"><h2 id="recent-h">Recently decided</h2><ul>${data.recent.map((r) => html`<li><strong>${r.rewardTitle}</strong> — ${r.username} · ${how(r)} ${when(r.decidedAt ?? r.updatedAt)}</li>`)}</ul></section>`;
}

function rewardsPage(input: { viewer: Viewer; guild: GuildNav; data: RewardsData; names: DiscordNames; newRequestId: () => string; notice?: FormNotice | null; submitted?: SubmittedForm | null }): string {
  const guildId = input.guild.id;
  const { viewer, data, names, submitted } = input;
  const newRequestId = input.newRequestId;
  // A notice about a reward that is not shown (another channel's, or Kick could not be read) goes to the top.
  const shown = new Set(['top', 'pending', 'create', 'channel', 'queue', ...(data.kick.ok ? data.kick.rewards.flatMap((r) => [rewardAt(r.id), `${rewardAt(r.id)}-actions`]) : [])]);
  const notice = input.notice && !shown.has(input.notice.at) ? { ...input.notice, at: 'top' } : input.notice;
  return dashboardPage({
    title: `${input.guild.name} · Channel rewards`,
    viewer,
    guild: input.guild,
    body: html`<h1>Channel rewards</h1><p>The connected Kick channel's channel-point rewards and what kickcord does when one is redeemed: the same as <code>/rewards</code> in Discord.</p>
<nav aria-label="On this page"><ul><li><a href="#pending">Waiting for a decision</a></li><li><a href="#rewards">Rewards on Kick</a></li><li><a href="#create">Create a reward</a></li><li><a href="#channel">Where redemptions wait</a></li><li><a href="#queue">Reward queue</a></li></ul></nav>
${noticeAt(notice, 'top')}
${pendingSection({ guildId, viewer, data, names, newRequestId, notice })}
${rewardsSection({ guildId, viewer, data, names, newRequestId, notice, submitted })}
${createSection({ guildId, viewer, requestId: newRequestId(), notice, submitted })}
${channelSection({ guildId, viewer, data, requestId: newRequestId(), notice, submitted })}
${queueSection({ guildId, viewer, data, newRequestId, notice })}
${recentSection(data)}`,
  });
}

/** The reward fields of a create or edit form, as the bot's `rewards.create` / `rewards.edit` take them. */
function rewardFieldsInput(body: unknown): Record<string, unknown> {
  return {
    title: formField(body, 'title'),
    cost: numberInput(formField(body, 'cost'), ''),
    description: formField(body, 'description'),
    colour: formField(body, 'colour'),
    userInput: formField(body, 'userInput') === 'on',
    skipQueue: formField(body, 'skipQueue') === 'on',
    enabled: formField(body, 'enabled') === 'on',
  };
}

/** Channel rewards: Kick rewards and their kickcord actions, waiting redemptions with Accept / Reject, the reward queue. */
export const channelRewardsGuildPage: GuildPage = {
  key: 'channel-rewards',
  label: 'Channel rewards',
  path: 'channel-rewards',
  register(kit) {
    const { prisma } = kit.ctx;

    const load = async (req: Request, access: GuildAccess): Promise<RewardsData> => {
      const guildId = access.guild.id;
      const [list, actions, settings, pending, queue, recent, channels, roles] = await Promise.all([
        kit.runAction(readOnly(req), access, 'rewards.list', {}),
        prisma.channelRewardAction.findMany({ where: { guildId }, orderBy: { title: 'asc' } }),
        prisma.guildSettings.findUnique({ where: { guildId }, select: { rewardsChannelId: true } }),
        prisma.channelRewardRedemption.findMany({ where: { guildId, status: 'pending' }, orderBy: { redeemedAt: 'asc' }, take: REDEMPTIONS_SHOWN }),
        prisma.channelRewardRedemption.findMany({ where: { guildId, queuedAt: { not: null }, queueDoneAt: null }, orderBy: [{ queuedAt: 'asc' }, { redeemedAt: 'asc' }], take: REDEMPTIONS_SHOWN }),
        prisma.channelRewardRedemption.findMany({ where: { guildId, status: { not: 'pending' } }, orderBy: { updatedAt: 'desc' }, take: 10 }),
        kit.textChannels(guildId),
        kit.roles(guildId),
      ]);
      return { kick: kickRewardsOf(list), actions, rewardsChannelId: settings?.rewardsChannelId ?? null, pending, queue, recent, channels, roles: roles.filter((r) => !r.managed) };
    };

    const render = async (req: Request, res: Response, access: GuildAccess, v: Viewer, extra: { notice?: FormNotice | null; submitted?: SubmittedForm | null }, status = 200) => {
      const [data, names] = await Promise.all([load(req, access), kit.names(access.guild.id)]);
      kit.send(res, rewardsPage({ viewer: v, guild: kit.nav(access, 'channel-rewards'), data, names, newRequestId: kit.newRequestId, notice: extra.notice ?? null, submitted: extra.submitted ?? null }), status);
    };

    /** After a change: the bot's answer once, beside the section it is about; refused: the page again with what was typed. */
    const finish = async (req: Request, res: Response, access: GuildAccess, v: Viewer, at: string, result: GuildActionResult) => {
      if (result.ok) {
        await kit.flash(req, { ok: true, text: result.message });
        return void res.set('cache-control', 'no-store').redirect(303, `/dashboard/${access.guild.id}/channel-rewards?at=${encodeURIComponent(at)}#${encodeURIComponent(at)}`);
      }
      const names = await kit.names(access.guild.id);
      await render(req, res, access, v, { notice: { at, ok: false, text: discordText(result.error, names) }, submitted: { at, body: (req.body ?? {}) as Record<string, unknown> } }, 400);
    };

    kit.router.get('/:guildId/channel-rewards', kit.forGuild({}, async (req, res, access, v) => {
      const [flash, names] = await Promise.all([kit.takeFlash(req), kit.names(access.guild.id)]);
      const at = typeof req.query.at === 'string' && SECTION.test(req.query.at) ? req.query.at : 'top';
      await render(req, res, access, v, { notice: flash ? { at, ok: flash.ok, text: discordText(flash.text, names) } : null });
    }));

    kit.router.post('/:guildId/channel-rewards/create', kit.forGuild({}, async (req, res, access, v) => {
      await finish(req, res, access, v, 'create', await kit.runAction(req, access, 'rewards.create', rewardFieldsInput(req.body)));
    }));

    kit.router.post('/:guildId/channel-rewards/channel', kit.forGuild({}, async (req, res, access, v) => {
      const channelId = formField(req.body, 'channelId');
      const result: GuildActionResult = channelId ? await kit.runAction(req, access, 'rewards.channel', { channelId }) : { ok: false, error: 'Choose the channel where redemptions wait.' };
      await finish(req, res, access, v, 'channel', result);
    }));

    kit.router.post('/:guildId/channel-rewards/reward/:rewardId', kit.forGuild({}, async (req, res, access, v) => {
      const reward = String(req.params.rewardId);
      if (!KICK_ID.test(reward)) return void kit.send(res, '<p>Unknown reward.</p>', 404);
      const at = rewardAt(reward);
      const body: unknown = req.body;
      const todo = formField(body, 'do');
      let result: GuildActionResult;
      if (todo === 'pause' || todo === 'resume') result = await kit.runAction(req, access, 'rewards.pause', { reward, paused: todo === 'pause' });
      else if (todo === 'delete') result = await kit.runAction(req, access, 'rewards.delete', { reward });
      else if (todo === 'edit') result = await kit.runAction(req, access, 'rewards.edit', { reward, ...rewardFieldsInput(body) });
      else if (todo === 'actions') {
        result = await kit.runAction(req, access, 'rewards.actions', {
          reward,
          points: numberInput(formField(body, 'points'), 0),
          roleId: formField(body, 'roleId') || null,
          postChannelId: formField(body, 'postChannelId') || null,
          postMessage: formField(body, 'postMessage'),
          queue: formField(body, 'queue') === 'on',
          autoAccept: formField(body, 'autoAccept') === 'on',
          autoReject: formField(body, 'autoReject') === 'on',
        });
        return finish(req, res, access, v, `${at}-actions`, result);
      } else result = { ok: false, error: 'Choose what to do with the reward.' };
      // A deleted reward has no card to come back to.
      await finish(req, res, access, v, todo === 'delete' && result.ok ? 'top' : at, result);
    }));

    kit.router.post('/:guildId/channel-rewards/redemption/:redemptionId', kit.forGuild({}, async (req, res, access, v) => {
      const redemptionId = String(req.params.redemptionId);
      if (!KICK_ID.test(redemptionId)) return void kit.send(res, '<p>Unknown redemption.</p>', 404);
      const todo = formField(req.body, 'do');
      const result: GuildActionResult =
        todo === 'done'
          ? await kit.runAction(req, access, 'rewards.queue_done', { redemptionId })
          : todo === 'accept' || todo === 'reject'
            ? await kit.runAction(req, access, 'rewards.decide', { redemptionId, decision: todo })
            : { ok: false, error: 'Choose Accept or Reject.' };
      await finish(req, res, access, v, todo === 'done' ? 'queue' : 'pending', result);
    }));
  },
};
