import { ANNOUNCEMENT_EVENTS, ANNOUNCEMENT_LABELS, ANNOUNCEMENT_VARIABLES_BY_EVENT, DEFAULT_ANNOUNCEMENT_TEMPLATES } from '@kickcord/core';
import type { AnnouncementEvent } from '@kickcord/db';
import type { GuildActionResult } from '@kickcord/queue';
import { html, raw, type SafeHtml } from '../../pages/html.ts';
import { csrfField, dashboardPage, flashNotice, requestField, type GuildNav, type Viewer } from '../dashboardPages.ts';
import { discordText, type DiscordNames } from '../discordText.ts';
import type { GuildPage } from '../guildPageKit.ts';
import { formField } from '../formValues.ts';

/** One announcement as stored. */
interface AnnouncementRow {
  event: AnnouncementEvent;
  discordChannelId: string;
  roleId: string | null;
  template: string | null;
  enabled: boolean;
  brokenReason: string | null;
}

/** What a form shows: the stored setting, or what was just submitted when it was refused. */
interface FormValues {
  channelId: string;
  roleId: string;
  template: string;
}

function isEvent(value: string): value is AnnouncementEvent {
  return (ANNOUNCEMENT_EVENTS as readonly string[]).includes(value);
}

/** The live preview's fragment: the rendered sample text (and the go-live card), or the template's problem. */
export function previewFragment(result: GuildActionResult, names: DiscordNames): SafeHtml {
  if (!result.ok) return html`<p class="bad" role="alert">${discordText(result.error, names)}</p>`;
  const card = result.data && typeof result.data === 'object' && !Array.isArray(result.data) ? (result.data as { title?: unknown; author?: unknown; fields?: unknown }) : null;
  const fields = Array.isArray(card?.fields) ? (card.fields as { name?: unknown; value?: unknown }[]) : [];
  return html`<div class="preview-message">${discordText(result.message, names)}</div>${
    card
      ? html`<div class="preview-embed"><div class="muted">${String(card.author ?? '')}</div><strong>${String(card.title ?? '')}</strong>${fields.map((f) => html`<div><span class="muted">${String(f.name ?? '')}:</span> ${String(f.value ?? '')}</div>`)}</div>`
      : ''
  }`;
}

function eventForm(input: {
  guildId: string;
  viewer: Viewer;
  event: AnnouncementEvent;
  row: AnnouncementRow | undefined;
  values: FormValues;
  channels: { id: string; name: string }[];
  roles: { id: string; name: string }[];
  requestId: string;
  notice: SafeHtml;
}): SafeHtml {
  const { event, row, values } = input;
  const id = `ann-${event}`;
  const state = !row ? html`<span class="muted">not set up</span>` : row.enabled ? html`<span class="ok">on</span>` : html`<span class="muted">off</span>`;
  const channelOptions = [
    html`<option value=""${values.channelId ? '' : raw(' selected')}>Choose a channel…</option>`,
    ...input.channels.map((c) => html`<option value="${c.id}"${c.id === values.channelId ? raw(' selected') : ''}>#${c.name}</option>`),
  ];
  const roleOptions = [
    html`<option value=""${values.roleId ? '' : raw(' selected')}>No ping</option>`,
    ...input.roles.map((r) => html`<option value="${r.id}"${r.id === values.roleId ? raw(' selected') : ''}>@${r.name}</option>`),
  ];
  const variables = ANNOUNCEMENT_VARIABLES_BY_EVENT[event].map((v) => `{${v}}`).join(' ');
  return html`<section class="card" id="${id}" aria-labelledby="${id}-h"><h2 id="${id}-h">${ANNOUNCEMENT_LABELS[event]} · ${state}</h2>${input.notice}
${row?.brokenReason ? html`<p class="notice bad" role="status">⚠️ This announcement cannot post: ${row.brokenReason}. Choose a channel the bot can post in and save.</p>` : ''}
<form method="post" action="/dashboard/${input.guildId}/announcements/${event}" data-preview="/dashboard/${input.guildId}/announcements/${event}/preview">${csrfField(input.viewer.csrfToken)}${requestField(input.requestId)}
<div class="grid2"><div><label for="${id}-channel">Channel</label><select id="${id}-channel" name="channelId">${channelOptions}</select></div>
<div><label for="${id}-role">Role to ping</label><select id="${id}-role" name="roleId">${roleOptions}</select></div></div>
<label for="${id}-template">Template</label><textarea id="${id}-template" name="template" rows="2" maxlength="500" placeholder="${DEFAULT_ANNOUNCEMENT_TEMPLATES[event]}" aria-describedby="${id}-vars">${values.template}</textarea>
<p class="muted small" id="${id}-vars">Empty = the default. Variables: <code>${variables}</code></p>
<div class="preview" aria-live="polite"><span class="muted small">Preview</span><div data-preview-target>${raw('')}</div></div>
<div class="actions"><button type="submit" name="do" value="save" class="primary">Save</button>${row ? html`<button type="submit" name="do" value="test">Send a test (never pings)</button>` : ''}${row?.enabled ? html`<button type="submit" name="do" value="off" data-confirm="Stop announcing ${ANNOUNCEMENT_LABELS[event]}?">Turn off</button>` : ''}</div>
</form></section>`;
}

function announcementsPage(input: {
  viewer: Viewer;
  guild: GuildNav;
  rows: AnnouncementRow[];
  channels: { id: string; name: string }[];
  roles: { id: string; name: string }[];
  newRequestId: () => string;
  notice?: { event: AnnouncementEvent; ok: boolean; text: SafeHtml } | null;
  submitted?: { event: AnnouncementEvent; values: FormValues } | null;
}): string {
  const byEvent = new Map(input.rows.map((r) => [r.event, r]));
  const forms = ANNOUNCEMENT_EVENTS.map((event) => {
    const row = byEvent.get(event);
    const values = input.submitted?.event === event ? input.submitted.values : { channelId: row?.discordChannelId ?? '', roleId: row?.roleId ?? '', template: row?.template ?? '' };
    const notice = input.notice?.event === event ? flashNotice(input.notice) : html``;
    return eventForm({ guildId: input.guild.id, viewer: input.viewer, event, row, values, channels: input.channels, roles: input.roles, requestId: input.newRequestId(), notice });
  });
  return dashboardPage({
    title: `${input.guild.name} · Announcements`,
    viewer: input.viewer,
    guild: input.guild,
    body: html`<h1>Announcements</h1><p>Where kickcord posts each Kick event in Discord, whom it pings, and what it says. The same settings as <code>/announce</code>. A test posts a sample in the channel and never pings anyone.</p>${forms}`,
  });
}

/** Announcements: channel, role ping and template per event, with a live preview and a test that never pings. */
export const announcementsGuildPage: GuildPage = {
  key: 'announcements',
  label: 'Announcements',
  path: 'announcements',
  register(kit) {
    const { prisma } = kit.ctx;
    const load = async (guildId: string) => {
      const [rows, channels, roles] = await Promise.all([
        prisma.announcementSetting.findMany({ where: { guildId }, select: { event: true, discordChannelId: true, roleId: true, template: true, enabled: true, brokenReason: true } }),
        kit.textChannels(guildId),
        kit.roles(guildId),
      ]);
      return { rows, channels, roles: roles.filter((r) => !r.managed) };
    };

    kit.router.get('/:guildId/announcements', kit.forGuild({}, async (req, res, access, v) => {
      const [data, flash, names] = await Promise.all([load(access.guild.id), kit.takeFlash(req), kit.names(access.guild.id)]);
      const flashEvent = typeof req.query.event === 'string' && isEvent(req.query.event) ? req.query.event : null;
      const notice = flash && flashEvent ? { event: flashEvent, ok: flash.ok, text: discordText(flash.text, names) } : null;
      kit.send(res, announcementsPage({ viewer: v, guild: kit.nav(access, 'announcements'), ...data, newRequestId: kit.newRequestId, notice }));
    }));

    kit.router.post('/:guildId/announcements/:event/preview', kit.forGuild({}, async (req, res, access) => {
      const event = String(req.params.event);
      if (!isEvent(event)) return void res.status(404).type('html').send('<p class="bad">Unknown event.</p>');
      const template = formField(req.body, 'template');
      const [result, names] = await Promise.all([kit.runAction(req, access, 'announcements.preview', { event, template: template.trim() ? template : null }), kit.names(access.guild.id)]);
      res.set('cache-control', 'no-store').type('html').send(previewFragment(result, names).value);
    }));

    kit.router.post('/:guildId/announcements/:event', kit.forGuild({}, async (req, res, access, v) => {
      const guildId = access.guild.id;
      const event = String(req.params.event);
      if (!isEvent(event)) return void kit.send(res, '<p>Unknown event.</p>', 404);
      const todo = formField(req.body, 'do');
      const values: FormValues = { channelId: formField(req.body, 'channelId'), roleId: formField(req.body, 'roleId'), template: formField(req.body, 'template') };
      let result: GuildActionResult;
      if (todo === 'test') result = await kit.runAction(req, access, 'announcements.test', { event });
      else if (todo === 'off') result = await kit.runAction(req, access, 'announcements.off', { event });
      else if (!values.channelId) result = { ok: false, error: 'Choose the channel to post in.' };
      else result = await kit.runAction(req, access, 'announcements.set', { event, channelId: values.channelId, roleId: values.roleId || null, template: values.template.trim() ? values.template : null });
      if (result.ok) {
        await kit.flash(req, { ok: true, text: result.message });
        return void res.set('cache-control', 'no-store').redirect(303, `/dashboard/${guildId}/announcements?event=${event}#ann-${event}`);
      }
      // Refused: the same page, with what was typed kept and the bot's reason beside it.
      const [data, names] = await Promise.all([load(guildId), kit.names(guildId)]);
      kit.send(
        res,
        announcementsPage({ viewer: v, guild: kit.nav(access, 'announcements'), ...data, newRequestId: kit.newRequestId, notice: { event, ok: false, text: discordText(result.error, names) }, submitted: { event, values } }),
        400,
      );
    }));
  },
};
