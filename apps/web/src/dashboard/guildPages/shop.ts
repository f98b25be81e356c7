import { createHash } from 'node:crypto';
import { formatPointsAmount } from '@kickcord/core';
import type { ShopItem, ShopItemKind } from '@kickcord/db';
import type { GuildActionResult } from '@kickcord/queue';
import type { Request, Response } from 'express';
import { html, raw, type SafeHtml } from '../../pages/html.ts';
import type { GuildAccess } from '../access.ts';
import { csrfField, dashboardPage, flashNotice, requestField, when, type GuildNav, type Viewer } from '../dashboardPages.ts';
import { discordText, type DiscordNames } from '../discordText.ts';
import type { DashboardContext, GuildPage, GuildPageKit } from '../guildPageKit.ts';
import { formField } from '../formValues.ts';

/** The page's parts a notice can belong to (each is a section with this id). */
const SECTIONS = ['queue', 'items', 'item-form', 'settings'] as const;
type Section = (typeof SECTIONS)[number];

/** What an item can be, in the words of `/shop add kind:`. */
const KIND_LABELS: Record<ShopItemKind, string> = { role: 'Discord role', reward: 'Custom reward (redemption queue)', chat: 'Kick chat message' };
/** Decided purchases shown under the queue. */
const HISTORY = 15;
/** Seconds between two refreshes of the queue while the page is open. */
export const SHOP_QUEUE_REFRESH_SECONDS = 5;

/** The item form's fields, as typed (a refused form is shown again with them). */
interface ItemForm {
  name: string;
  kind: string;
  price: string;
  stock: string;
  perViewerLimit: string;
  cooldownSec: string;
  inputPrompt: string;
  description: string;
  roleId: string;
  roleDays: string;
  template: string;
  enabled: boolean;
}

/** A notice inside one section: the bot's answer to the last change made there. */
interface SectionNotice {
  section: Section;
  ok: boolean;
  text: SafeHtml;
}

interface QueueRow {
  id: string;
  itemName: string;
  inputPrompt: string | null;
  username: string;
  discordUserId: string | null;
  price: number;
  input: string | null;
  status: string;
  createdAt: Date;
  decidedAt: Date | null;
  decidedBy: string | null;
}

interface ShopData {
  items: ShopItem[];
  pending: QueueRow[];
  history: QueueRow[];
  queueChannelId: string | null;
  channels: { id: string; name: string }[];
  roles: { id: string; name: string }[];
}

function isSection(value: unknown): value is Section {
  return typeof value === 'string' && (SECTIONS as readonly string[]).includes(value);
}

/** A number typed into a form: blank = `blank`; anything not a number is sent as typed, for the bot to explain. */
function numberInput(value: string, blank: number | null): number | string | null {
  const t = value.trim();
  if (t === '') return blank;
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
}

/** A stored item as the form shows it. */
function formOf(item: ShopItem): ItemForm {
  return {
    name: item.name,
    kind: item.kind,
    price: String(item.price),
    stock: item.stock === null ? '' : String(item.stock),
    perViewerLimit: String(item.perViewerLimit),
    cooldownSec: String(item.cooldownSec),
    inputPrompt: item.inputPrompt ?? '',
    description: item.description,
    roleId: item.roleId ?? '',
    roleDays: item.roleDays === null ? '' : String(item.roleDays),
    template: item.template ?? '',
    enabled: item.enabled,
  };
}

const EMPTY_FORM: ItemForm = { name: '', kind: 'reward', price: '', stock: '', perViewerLimit: '0', cooldownSec: '0', inputPrompt: '', description: '', roleId: '', roleDays: '', template: '', enabled: true };

/** The item form as submitted. */
function typedForm(body: unknown): ItemForm {
  return {
    name: formField(body, 'name'),
    kind: formField(body, 'kind'),
    price: formField(body, 'price'),
    stock: formField(body, 'stock'),
    perViewerLimit: formField(body, 'perViewerLimit'),
    cooldownSec: formField(body, 'cooldownSec'),
    inputPrompt: formField(body, 'inputPrompt'),
    description: formField(body, 'description'),
    roleId: formField(body, 'roleId'),
    roleDays: formField(body, 'roleDays'),
    template: formField(body, 'template'),
    enabled: formField(body, 'enabled') === 'on',
  };
}

/** The item fields the bot's `shop.item.add` / `shop.item.edit` take, from a form (role and message only for their kinds). */
function itemFields(f: ItemForm): Record<string, unknown> {
  const days = numberInput(f.roleDays, null);
  return {
    kind: f.kind,
    price: numberInput(f.price, null),
    stock: numberInput(f.stock, null),
    perViewerLimit: numberInput(f.perViewerLimit, 0),
    cooldownSec: numberInput(f.cooldownSec, 0),
    inputPrompt: f.inputPrompt.trim() ? f.inputPrompt : null,
    description: f.description,
    roleId: f.kind === 'role' && f.roleId ? f.roleId : null,
    // As in `/shop add days:`, 0 (or nothing) = a permanent role.
    roleDays: f.kind === 'role' && days !== 0 ? days : null,
    template: f.kind === 'chat' && f.template.trim() ? f.template : null,
  };
}

function describeKind(item: ShopItem, names: DiscordNames): SafeHtml {
  if (item.kind === 'role') {
    const role = item.roleId ? `@${names.roles?.get(item.roleId) ?? item.roleId}` : 'no role';
    return html`Role <span class="mention">${role}</span>${item.roleDays ? ` for ${item.roleDays} ${item.roleDays === 1 ? 'day' : 'days'}` : ' (permanent)'}`;
  }
  if (item.kind === 'chat') return html`Kick chat message: <code>${item.template ?? ''}</code>`;
  return html`Custom reward (moderators fulfil it)`;
}

function limits(item: ShopItem): string {
  const parts: string[] = [];
  if (item.perViewerLimit > 0) parts.push(`${item.perViewerLimit} per viewer`);
  if (item.cooldownSec > 0) parts.push(`cooldown ${item.cooldownSec}s`);
  if (item.inputPrompt) parts.push(`asks: ${item.inputPrompt}`);
  return parts.length > 0 ? parts.join(' · ') : 'none';
}

function hidden(name: string, value: string): SafeHtml {
  return html`<input type="hidden" name="${name}" value="${value}">`;
}

/** A one-button form that posts `do=<todo>` to `action`. */
function button(input: { action: string; viewer: Viewer; requestId: string; todo: string; label: string; confirm?: string; primary?: boolean; describedBy?: string }): SafeHtml {
  return html`<form class="inline" method="post" action="${input.action}">${csrfField(input.viewer.csrfToken)}${requestField(input.requestId)}${hidden('do', input.todo)}<button type="submit"${input.primary ? raw(' class="primary"') : raw('')}${input.confirm ? html` data-confirm="${input.confirm}"` : raw('')}${input.describedBy ? html` aria-describedby="${input.describedBy}"` : raw('')}>${input.label}</button></form>`;
}

function noticeFor(notice: SectionNotice | null | undefined, section: Section): SafeHtml {
  return notice?.section === section ? flashNotice(notice) : html``;
}

function viewerCell(r: QueueRow): SafeHtml {
  return html`<strong>${r.username}</strong> <span class="muted small">on Kick${r.discordUserId ? ' · linked to Discord' : ''}</span>`;
}

/** The queue of purchases waiting for a moderator, and the latest decisions (refreshed in place while open). */
function queueSection(input: { guildId: string; viewer: Viewer; data: Pick<ShopData, 'pending' | 'history' | 'queueChannelId'>; names: DiscordNames; newRequestId: () => string; notice?: SectionNotice | null }): SafeHtml {
  const { guildId, data } = input;
  const version = createHash('sha256')
    .update(JSON.stringify([data.pending.map((r) => r.id), data.history.map((r) => `${r.id}:${r.status}`)]))
    .digest('base64url')
    .slice(0, 16);
  const pending = data.pending.length
    ? html`<table class="stack"><caption class="muted small">${data.pending.length} waiting, oldest first</caption><thead><tr><th scope="col">Item</th><th scope="col">Viewer</th><th scope="col">Paid</th><th scope="col">Input</th><th scope="col">Bought</th><th scope="col">Decide</th></tr></thead><tbody>${data.pending.map(
        (r) => html`<tr id="redemption-${r.id}"><td data-label="Item"><strong id="redemption-${r.id}-item">${r.itemName}</strong></td><td data-label="Viewer">${viewerCell(r)}</td><td data-label="Paid">${formatPointsAmount(r.price)}</td><td data-label="Input">${r.input ? html`${r.inputPrompt ? html`<span class="muted small">${r.inputPrompt}:</span> ` : ''}${r.input}` : html`<span class="muted">—</span>`}</td><td data-label="Bought">${when(r.createdAt)}</td><td data-label="Decide"><div class="actions">${button({
          action: `/dashboard/${guildId}/shop/redemptions/${r.id}`,
          viewer: input.viewer,
          requestId: input.newRequestId(),
          todo: 'fulfil',
          label: 'Fulfil',
          primary: true,
          describedBy: `redemption-${r.id}-item`,
        })}${button({ action: `/dashboard/${guildId}/shop/redemptions/${r.id}`, viewer: input.viewer, requestId: input.newRequestId(), todo: 'refund', label: 'Refund', confirm: `Refund ${formatPointsAmount(r.price)} to ${r.username}?`, describedBy: `redemption-${r.id}-item` })}</div></td></tr>`,
      )}</tbody></table>`
    : html`<p class="muted">Nothing waits for a moderator.</p>`;
  const history = data.history.length
    ? html`<table class="stack"><thead><tr><th scope="col">Item</th><th scope="col">Viewer</th><th scope="col">Paid</th><th scope="col">Outcome</th></tr></thead><tbody>${data.history.map(
        (r) => html`<tr><td data-label="Item">${r.itemName}</td><td data-label="Viewer">${viewerCell(r)}</td><td data-label="Paid">${formatPointsAmount(r.price)}</td><td data-label="Outcome">${r.status === 'refunded' ? html`<span class="warn">↩️ Refunded</span>` : html`<span class="ok">✅ Fulfilled</span>`}${r.decidedBy ? html` by ${r.decidedBy}` : ''} ${when(r.decidedAt ?? r.createdAt)}</td></tr>`,
      )}</tbody></table>`
    : html`<p class="muted">No purchases decided yet.</p>`;
  const channel = data.queueChannelId ? html`Discord's copy of this queue is in <span class="mention">#${input.names.channels?.get(data.queueChannelId) ?? data.queueChannelId}</span>.` : html`<span class="warn">No redemptions channel is set: choose one below so moderators also see purchases in Discord.</span>`;
  return html`<section class="card" id="queue" aria-labelledby="queue-h" data-refresh="/dashboard/${guildId}/shop/queue" data-refresh-every="${SHOP_QUEUE_REFRESH_SECONDS}" data-version="${version}" data-refresh-announce="queue-live" data-summary="${data.pending.length} waiting">
<h2 id="queue-h">Waiting for a moderator</h2>${noticeFor(input.notice, 'queue')}<p class="muted small">Custom rewards wait here until a moderator fulfils them, or refunds the exact price. ${channel}</p>${pending}
<h3>Recently decided</h3>${history}</section>`;
}

function itemsSection(input: { guildId: string; viewer: Viewer; items: ShopItem[]; names: DiscordNames; newRequestId: () => string; notice?: SectionNotice | null }): SafeHtml {
  const { guildId } = input;
  const rows = input.items.map((item) => {
    const action = `/dashboard/${guildId}/shop/items/${item.id}`;
    const nameId = `item-${item.id}-name`;
    return html`<tr id="item-${item.id}"><td data-label="Item"><strong id="${nameId}">${item.name}</strong>${item.description ? html`<br><span class="muted small">${item.description}</span>` : ''}<br><span class="small">${describeKind(item, input.names)}</span></td><td data-label="Price">${formatPointsAmount(item.price)}</td><td data-label="Stock">${item.stock === null ? 'unlimited' : item.stock === 0 ? html`<span class="warn">sold out</span>` : `${item.stock} left`}</td><td data-label="Limits">${limits(item)}</td><td data-label="State">${item.enabled ? html`<span class="ok">on sale</span>` : html`<span class="muted">paused</span>`}</td><td data-label="Change"><div class="actions"><a class="button" href="/dashboard/${guildId}/shop?edit=${item.id}#item-form" aria-describedby="${nameId}">Edit</a>${
      item.enabled
        ? button({ action, viewer: input.viewer, requestId: input.newRequestId(), todo: 'pause', label: 'Pause', describedBy: nameId })
        : button({ action, viewer: input.viewer, requestId: input.newRequestId(), todo: 'resume', label: 'Resume', describedBy: nameId })
    }${button({ action, viewer: input.viewer, requestId: input.newRequestId(), todo: 'delete', label: 'Delete', confirm: `Delete ${item.name} from the shop?`, describedBy: nameId })}</div></td></tr>`;
  });
  const table = input.items.length
    ? html`<table class="stack"><thead><tr><th scope="col">Item</th><th scope="col">Price</th><th scope="col">Stock</th><th scope="col">Limits</th><th scope="col">State</th><th scope="col">Change</th></tr></thead><tbody>${rows}</tbody></table>`
    : html`<p class="muted">No items yet: add one below.</p>`;
  return html`<section class="card" id="items" aria-labelledby="items-h"><h2 id="items-h">Items</h2>${noticeFor(input.notice, 'items')}${table}<p><a class="button" href="/dashboard/${guildId}/shop#item-form">Add an item</a></p></section>`;
}

function option(value: string, label: string, selected: boolean): SafeHtml {
  return html`<option value="${value}"${selected ? raw(' selected') : raw('')}>${label}</option>`;
}

function textField(input: { id: string; name: string; label: string; value: string; maxlength: number; hint?: string; required?: boolean }): SafeHtml {
  return html`<div><label for="${input.id}">${input.label}</label><input type="text" id="${input.id}" name="${input.name}" value="${input.value}" maxlength="${input.maxlength}" autocomplete="off"${input.required ? raw(' required') : raw('')}${input.hint ? html` aria-describedby="${input.id}-hint"` : raw('')}>${input.hint ? html`<span class="muted small" id="${input.id}-hint">${input.hint}</span>` : ''}</div>`;
}

function textArea(input: { id: string; name: string; label: string; value: string; maxlength: number; hint: string }): SafeHtml {
  return html`<div><label for="${input.id}">${input.label}</label><textarea id="${input.id}" name="${input.name}" rows="2" maxlength="${input.maxlength}" aria-describedby="${input.id}-hint">${input.value}</textarea><span class="muted small" id="${input.id}-hint">${input.hint}</span></div>`;
}

function numberField(input: { id: string; name: string; label: string; value: string; min: number; hint: string; required?: boolean }): SafeHtml {
  return html`<div><label for="${input.id}">${input.label}</label><input type="number" id="${input.id}" name="${input.name}" value="${input.value}" min="${input.min}" step="1" inputmode="numeric"${input.required ? raw(' required') : raw('')} aria-describedby="${input.id}-hint"><span class="muted small" id="${input.id}-hint">${input.hint}</span></div>`;
}

/** Add an item, or edit one (`editing`): every option of `/shop add` and `/shop edit`. */
function itemFormSection(input: { guildId: string; viewer: Viewer; editing: ShopItem | null; values: ItemForm; roles: { id: string; name: string }[]; requestId: string; notice?: SectionNotice | null }): SafeHtml {
  const { values: v, editing } = input;
  const action = editing ? `/dashboard/${input.guildId}/shop/items/${editing.id}` : `/dashboard/${input.guildId}/shop/items`;
  const roleOptions = [option('', 'Choose a role…', !v.roleId), ...input.roles.map((r) => option(r.id, `@${r.name}`, r.id === v.roleId))];
  const name = editing
    ? html`<p>Item <strong>${editing.name}</strong> <span class="muted small">(viewers type <code>!redeem ${editing.name}</code>; the name stays)</span></p>`
    : textField({ id: 'item-name', name: 'name', label: 'Name', value: v.name, maxlength: 32, required: true, hint: 'What viewers type: !redeem <name>. Letters, digits, - and _.' });
  return html`<section class="card" id="item-form" aria-labelledby="item-form-h"><h2 id="item-form-h">${editing ? html`Edit ${editing.name}` : 'Add an item'}</h2>${noticeFor(input.notice, 'item-form')}
<form method="post" action="${action}">${csrfField(input.viewer.csrfToken)}${requestField(input.requestId)}${hidden('do', 'save')}${name}
<div class="grid2"><div><label for="item-kind">What the buyer gets</label><select id="item-kind" name="kind">${(Object.keys(KIND_LABELS) as ShopItemKind[]).map((k) => option(k, KIND_LABELS[k], v.kind === k))}</select></div>
${numberField({ id: 'item-price', name: 'price', label: 'Price (points)', value: v.price, min: 1, hint: 'Points it costs.', required: true })}
${numberField({ id: 'item-stock', name: 'stock', label: 'Stock', value: v.stock, min: 0, hint: 'Units for sale; empty = unlimited.' })}
${numberField({ id: 'item-per-viewer', name: 'perViewerLimit', label: 'Per-viewer limit', value: v.perViewerLimit, min: 0, hint: 'Purchases one viewer may make; 0 = no limit.' })}
${numberField({ id: 'item-cooldown', name: 'cooldownSec', label: 'Cooldown (seconds)', value: v.cooldownSec, min: 0, hint: 'A viewer waits this long between purchases; 0 = none.' })}
${textField({ id: 'item-input', name: 'inputPrompt', label: 'Ask the buyer for', value: v.inputPrompt, maxlength: 100, hint: 'e.g. "song link"; empty = no input. Shown only to moderators, never in Kick chat.' })}</div>
${textArea({ id: 'item-description', name: 'description', label: 'Description', value: v.description, maxlength: 200, hint: 'Optional, shown in /shop browse.' })}
<fieldset><legend>Role items</legend><div class="grid2"><div><label for="item-role">Role to give</label><select id="item-role" name="roleId">${roleOptions}</select></div>
${numberField({ id: 'item-days', name: 'roleDays', label: 'Days the role is kept', value: v.roleDays, min: 0, hint: 'Empty or 0 = permanent.' })}</div></fieldset>
<fieldset><legend>Kick chat message items</legend>${textArea({ id: 'item-template', name: 'template', label: 'Message', value: v.template, maxlength: 500, hint: 'Posted in Kick chat on each purchase. Variables: {user} {item} {price} {random}.' })}</fieldset>
${editing ? html`<div><input type="checkbox" id="item-enabled" name="enabled"${v.enabled ? raw(' checked') : raw('')}> <label for="item-enabled">On sale (viewers can buy it)</label></div>` : ''}
<div class="actions"><button type="submit" class="primary">${editing ? 'Save changes' : 'Add item'}</button>${editing ? html`<a class="button" href="/dashboard/${input.guildId}/shop#items">Cancel</a>` : ''}</div></form></section>`;
}

function settingsSection(input: { guildId: string; viewer: Viewer; channelId: string; channels: { id: string; name: string }[]; requestId: string; notice?: SectionNotice | null }): SafeHtml {
  const options = [option('', 'Choose a channel…', !input.channelId), ...input.channels.map((c) => option(c.id, `#${c.name}`, c.id === input.channelId))];
  return html`<section class="card" id="settings" aria-labelledby="settings-h"><h2 id="settings-h">Redemptions channel</h2>${noticeFor(input.notice, 'settings')}
<p class="muted small">Custom rewards are also posted in this Discord channel, with Fulfil and Refund buttons (the same as <code>/shop settings</code>).</p>
<form method="post" action="/dashboard/${input.guildId}/shop/settings">${csrfField(input.viewer.csrfToken)}${requestField(input.requestId)}<label for="queue-channel">Channel</label><select id="queue-channel" name="queueChannelId">${options}</select>
<div class="actions"><button type="submit" class="primary">Save channel</button></div></form></section>`;
}

function shopPage(input: {
  viewer: Viewer;
  guild: GuildNav;
  data: ShopData;
  names: DiscordNames;
  editing: ShopItem | null;
  form: ItemForm;
  settingsChannelId?: string;
  newRequestId: () => string;
  notice?: SectionNotice | null;
}): string {
  const { guild, data } = input;
  return dashboardPage({
    title: `${guild.name} · Shop`,
    viewer: input.viewer,
    guild,
    body: html`<h1>Shop</h1><p>Viewers spend their points on these items with <code>!redeem &lt;name&gt;</code> in Kick chat or <code>/shop buy</code> in Discord. The same settings as <code>/shop</code>.</p>
<p class="muted small" id="queue-live" role="status"></p>
${queueSection({ guildId: guild.id, viewer: input.viewer, data, names: input.names, newRequestId: input.newRequestId, notice: input.notice ?? null })}
${itemsSection({ guildId: guild.id, viewer: input.viewer, items: data.items, names: input.names, newRequestId: input.newRequestId, notice: input.notice ?? null })}
${itemFormSection({ guildId: guild.id, viewer: input.viewer, editing: input.editing, values: input.form, roles: data.roles, requestId: input.newRequestId(), notice: input.notice ?? null })}
${settingsSection({ guildId: guild.id, viewer: input.viewer, channelId: input.settingsChannelId ?? data.queueChannelId ?? '', channels: data.channels, requestId: input.newRequestId(), notice: input.notice ?? null })}`,
  });
}

/** Who decided each recent purchase, from the audit log (Discord buttons and this dashboard both record it). */
async function deciders(ctx: DashboardContext, guildId: string): Promise<Map<string, string>> {
  const entries = await ctx.prisma.auditLogEntry.findMany({ where: { guildId, action: { in: ['shop.redemption.fulfil', 'shop.redemption.refund'] } }, orderBy: { createdAt: 'desc' }, take: 200, select: { actorName: true, detail: true } });
  const out = new Map<string, string>();
  for (const e of entries) {
    const id = e.detail && typeof e.detail === 'object' && !Array.isArray(e.detail) ? (e.detail as Record<string, unknown>).redemption : undefined;
    if (typeof id === 'string' && !out.has(id)) out.set(id, e.actorName);
  }
  return out;
}

async function loadQueue(ctx: DashboardContext, guildId: string): Promise<Pick<ShopData, 'pending' | 'history' | 'queueChannelId'>> {
  const { prisma } = ctx;
  const include = { item: { select: { name: true, inputPrompt: true } } } as const;
  const [pending, history, settings, by] = await Promise.all([
    prisma.shopRedemption.findMany({ where: { guildId, status: 'pending' }, include, orderBy: { createdAt: 'asc' }, take: 100 }),
    prisma.shopRedemption.findMany({ where: { guildId, status: { in: ['fulfilled', 'refunded'] } }, include, orderBy: [{ decidedAt: { sort: 'desc', nulls: 'last' } }, { createdAt: 'desc' }], take: HISTORY }),
    prisma.guildSettings.findUnique({ where: { guildId }, select: { shopQueueChannelId: true } }),
    deciders(ctx, guildId),
  ]);
  const row = (r: (typeof pending)[number]): QueueRow => ({
    id: r.id,
    itemName: r.item.name,
    inputPrompt: r.item.inputPrompt,
    username: r.username,
    discordUserId: r.discordUserId,
    price: r.price,
    input: r.input,
    status: r.status,
    createdAt: r.createdAt,
    decidedAt: r.decidedAt,
    decidedBy: by.get(r.id) ?? (r.decidedByDiscordId ? `Discord user ${r.decidedByDiscordId}` : null),
  });
  return { pending: pending.map(row), history: history.map(row), queueChannelId: settings?.shopQueueChannelId ?? null };
}

async function load(kit: GuildPageKit, guildId: string): Promise<ShopData> {
  const [items, queue, channels, roles] = await Promise.all([
    kit.ctx.prisma.shopItem.findMany({ where: { guildId }, orderBy: [{ price: 'asc' }, { name: 'asc' }] }),
    loadQueue(kit.ctx, guildId),
    kit.textChannels(guildId),
    kit.roles(guildId),
  ]);
  return { items, ...queue, channels, roles: roles.filter((r) => !r.managed) };
}

/** Shop: the items (add, edit, pause, delete), the redemption queue with Fulfil / Refund and recent decisions, and the redemptions channel. */
export const shopGuildPage: GuildPage = {
  key: 'shop',
  label: 'Shop',
  path: 'shop',
  register(kit) {
    const page = (guildId: string) => `/dashboard/${guildId}/shop`;

    /** Answers a change: on success a notice and a redirect to its section; refused, the page again with what was typed (400). */
    const answer = async (
      req: Request,
      res: Response,
      access: GuildAccess,
      v: Viewer,
      result: GuildActionResult,
      section: Section,
      refused: { editing?: ShopItem | null; form?: ItemForm; settingsChannelId?: string } = {},
    ) => {
      const guildId = access.guild.id;
      if (result.ok) {
        await kit.flash(req, { ok: true, text: result.message });
        return void res.set('cache-control', 'no-store').redirect(303, `${page(guildId)}?at=${section}#${section}`);
      }
      const [data, names] = await Promise.all([load(kit, guildId), kit.names(guildId)]);
      const editing = refused.editing ?? null;
      kit.send(
        res,
        shopPage({
          viewer: v,
          guild: kit.nav(access, 'shop'),
          data,
          names,
          editing,
          form: refused.form ?? (editing ? formOf(editing) : EMPTY_FORM),
          ...(refused.settingsChannelId !== undefined ? { settingsChannelId: refused.settingsChannelId } : {}),
          newRequestId: kit.newRequestId,
          notice: { section, ok: false, text: discordText(result.error, names) },
        }),
        400,
      );
    };

    kit.router.get('/:guildId/shop', kit.forGuild({}, async (req, res, access, v) => {
      const guildId = access.guild.id;
      const [data, flash, names] = await Promise.all([load(kit, guildId), kit.takeFlash(req), kit.names(guildId)]);
      const editId = typeof req.query.edit === 'string' ? req.query.edit : null;
      const editing = editId ? (data.items.find((i) => i.id === editId) ?? null) : null;
      const at = isSection(req.query.at) ? req.query.at : 'items';
      const notice = flash ? { section: at, ok: flash.ok, text: discordText(flash.text, names) } : null;
      kit.send(res, shopPage({ viewer: v, guild: kit.nav(access, 'shop'), data, names, editing, form: editing ? formOf(editing) : EMPTY_FORM, newRequestId: kit.newRequestId, notice }));
    }));

    // The queue section alone, for the page's refresh while it is open.
    kit.router.get('/:guildId/shop/queue', kit.forGuild({}, async (_req, res, access, v) => {
      const guildId = access.guild.id;
      const [data, names] = await Promise.all([loadQueue(kit.ctx, guildId), kit.names(guildId)]);
      res.set('cache-control', 'no-store').type('html').send(queueSection({ guildId, viewer: v, data, names, newRequestId: kit.newRequestId }).value);
    }));

    kit.router.post('/:guildId/shop/settings', kit.forGuild({}, async (req, res, access, v) => {
      const channelId = formField(req.body, 'queueChannelId');
      const result = channelId ? await kit.runAction(req, access, 'shop.settings', { queueChannelId: channelId }) : { ok: false as const, error: 'Choose the channel where purchases wait.' };
      await answer(req, res, access, v, result, 'settings', { settingsChannelId: channelId });
    }));

    kit.router.post('/:guildId/shop/items', kit.forGuild({}, async (req, res, access, v) => {
      const form = typedForm(req.body);
      const result = await kit.runAction(req, access, 'shop.item.add', { name: form.name, ...itemFields(form) });
      await answer(req, res, access, v, result, result.ok ? 'items' : 'item-form', { form });
    }));

    kit.router.post('/:guildId/shop/items/:itemId', kit.forGuild({}, async (req, res, access, v) => {
      const itemId = String(req.params.itemId);
      const todo = formField(req.body, 'do');
      if (todo === 'pause' || todo === 'resume') return answer(req, res, access, v, await kit.runAction(req, access, 'shop.item.pause', { itemId, enabled: todo === 'resume' }), 'items');
      if (todo === 'delete') return answer(req, res, access, v, await kit.runAction(req, access, 'shop.item.remove', { itemId }), 'items');
      const form = typedForm(req.body);
      const result = await kit.runAction(req, access, 'shop.item.edit', { itemId, changes: { ...itemFields(form), enabled: form.enabled } });
      // Refused: the edit form again, for the guild's own item only (another guild's id shows the add form).
      const editing = result.ok ? null : await kit.ctx.prisma.shopItem.findFirst({ where: { id: itemId, guildId: access.guild.id } });
      await answer(req, res, access, v, result, result.ok ? 'items' : 'item-form', { editing, form: editing ? { ...form, name: editing.name } : form });
    }));

    kit.router.post('/:guildId/shop/redemptions/:redemptionId', kit.forGuild({}, async (req, res, access, v) => {
      const redemptionId = String(req.params.redemptionId);
      const todo = formField(req.body, 'do');
      const result =
        todo === 'fulfil' || todo === 'refund'
          ? await kit.runAction(req, access, `shop.redemption.${todo}`, { redemptionId })
          : { ok: false as const, error: 'Choose Fulfil or Refund.' };
      await answer(req, res, access, v, result, 'queue');
    }));
  },
};
