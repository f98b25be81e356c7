import { toPointsCsv } from '@kickcord/core';
import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';
import type { GuildAccess } from '../access.ts';
import { html, raw, type SafeHtml } from '../../pages/html.ts';
import { csrfField, dashboardPage, flashNotice, requestField, type GuildNav, type Viewer } from '../dashboardPages.ts';
import { discordText } from '../discordText.ts';
import type { GuildPage } from '../guildPageKit.ts';
import { formField } from '../formValues.ts';

/** Largest CSV accepted, uploaded or pasted: the same limit as `/points import`'s attachment (5 MiB). */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

/** The modes the form offers; '' = the file's default (`set` for a kickcord export, `add` for other tools). */
const MODES = [
  { value: '', label: 'Automatic: set for a kickcord export, add for other tools’ files' },
  { value: 'set', label: 'Set: balances become the file’s values' },
  { value: 'add', label: 'Add: the file’s values are added to balances' },
] as const;

/** What the import form shows: empty, or what was sent when the bot refused it. */
interface ImportValues {
  mode: string;
  csvText: string;
}

/** A dry run the bot prepared, waiting for Confirm or Cancel. */
interface DryRun {
  summary: string;
  importId: string;
  toImport: number;
  /** One-time ids of the Confirm and Cancel forms (each form its own: a request id names one change). */
  confirmRequestId: string;
  cancelRequestId: string;
}

const MIB = MAX_UPLOAD_BYTES / 1024 / 1024;

/** Why an upload could not be read, in words (multer's codes never reach the page). */
function uploadProblem(error: unknown): string {
  if (error instanceof multer.MulterError) {
    if (error.code === 'LIMIT_FILE_SIZE') return `That file is larger than ${MIB} MiB. Split it into smaller files.`;
    if (error.code === 'LIMIT_FIELD_VALUE') return `The pasted text is larger than ${MIB} MiB. Split it into smaller files.`;
    if (error.code === 'LIMIT_UNEXPECTED_FILE' || error.code === 'LIMIT_FILE_COUNT') return 'Upload one CSV file at a time, in the “CSV file” field.';
  }
  return 'The upload did not arrive whole. Choose the file again and retry.';
}

/** Reads the import form's multipart body (fields and one file, kept in memory) with the size limits above. */
const readUpload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: MAX_UPLOAD_BYTES, fieldSize: MAX_UPLOAD_BYTES, files: 1, fields: 10, parts: 11, fieldNameSize: 100 },
}).single('file');

/**
 * The import form's body parser, run before the CSRF check so that it finds `_csrf` (the form sends it before the
 * file). Only logged-in users' uploads are read. A file over the limit is not an error page: the route shows why.
 */
function parseUpload(req: Request, res: Response, next: NextFunction): void {
  if (!req.session.user || !req.is('multipart/form-data')) return next();
  readUpload(req, res, (error: unknown) => {
    if (error) res.locals.uploadProblem = uploadProblem(error);
    next();
  });
}

/** The day in a download's file name, as `/points export` names it. */
function stamp(now: Date): string {
  return now.toISOString().slice(0, 10);
}

function importPage(input: {
  viewer: Viewer;
  guild: GuildNav;
  requestId: string;
  values: ImportValues;
  notice?: { ok: boolean; text: SafeHtml } | null;
  dryRun?: DryRun | null;
}): string {
  const base = `/dashboard/${input.guild.id}/viewers`;
  const { values, dryRun } = input;
  const modes = MODES.map((m) => html`<option value="${m.value}"${values.mode === m.value ? raw(' selected') : ''}>${m.label}</option>`);
  const review = dryRun
    ? html`<section class="card" id="dry-run" aria-labelledby="dry-run-h"><h2 id="dry-run-h">Dry run: nothing has changed yet</h2>
<div class="notice" role="status">${discordText(dryRun.summary)}</div>
<div class="actions">${
        dryRun.toImport > 0
          ? html`<form class="inline" method="post" action="${base}/import/confirm">${csrfField(input.viewer.csrfToken)}${requestField(dryRun.confirmRequestId)}<input type="hidden" name="importId" value="${dryRun.importId}"><button type="submit" class="primary">Confirm import</button></form>`
          : ''
      }<form class="inline" method="post" action="${base}/import/cancel">${csrfField(input.viewer.csrfToken)}${requestField(dryRun.cancelRequestId)}<input type="hidden" name="importId" value="${dryRun.importId}"><button type="submit">Cancel</button></form></div></section>`
    : '';
  return dashboardPage({
    title: `${input.guild.name} · Import and export points`,
    viewer: input.viewer,
    guild: input.guild,
    body: html`<p><a href="${base}">← Viewers</a></p><h1>Import and export points</h1>
<p>Move loyalty points in and out of ${input.guild.name} as CSV files, as <code>/points import</code> and <code>/points export</code> do.</p>
${review}
<section class="card" id="import" aria-labelledby="import-h"><h2 id="import-h">Import points</h2>${flashNotice(input.notice)}
<p>kickcord exports, StreamElements, Streamlabs Chatbot, BotRix, or any file with a username and a points column. You see a dry run first; nothing changes until you confirm it.</p>
<form method="post" action="${base}/import" enctype="multipart/form-data">${csrfField(input.viewer.csrfToken)}${requestField(input.requestId)}
<label for="import-file">CSV file</label><input type="file" id="import-file" name="file" accept=".csv,.tsv,.txt,text/csv,text/plain" aria-describedby="import-file-hint">
<p class="muted small" id="import-file-hint">Up to ${MIB} MiB and 100,000 rows.</p>
<label for="import-text">…or paste the CSV text</label><textarea id="import-text" name="csvText" rows="6" spellcheck="false" autocomplete="off" placeholder="username,points">${values.csvText}</textarea>
<label for="import-mode">Mode</label><select id="import-mode" name="mode">${modes}</select>
<div class="actions"><button type="submit" class="primary">Check the file (dry run)</button></div></form></section>
<section class="card" id="export" aria-labelledby="export-h"><h2 id="export-h">Export points</h2>
<p>Every viewer’s points and active minutes, highest balance first (columns <code>kick_user_id,username,points,active_minutes</code>). Importing this file later sets the balances back to it.</p>
<div class="actions"><a class="button" href="${base}/export" download>Download CSV</a></div></section>`,
  });
}

/**
 * Import and export points (under Viewers): upload or paste a CSV, see the bot's dry run (`points.import.check`, the
 * code `/points import` runs), then Confirm (`points.import.confirm`, applied once, audited) or Cancel; and download
 * the guild's points as the CSV `/points export` attaches.
 */
export const pointsTransferGuildPage: GuildPage = {
  key: 'points-transfer',
  label: 'Points import/export',
  path: 'viewers/import',
  parseBodies(router) {
    router.post('/:guildId/viewers/import', parseUpload);
  },
  register(kit) {
    const { prisma } = kit.ctx;
    const nav = (access: GuildAccess) => kit.nav(access, 'points-transfer');
    const pagePath = (guildId: string) => `/dashboard/${guildId}/viewers/import`;

    kit.router.get('/:guildId/viewers/import', kit.forGuild({}, async (req, res, access, v) => {
      const flash = await kit.takeFlash(req);
      const notice = flash ? { ok: flash.ok, text: discordText(flash.text) } : null;
      kit.send(res, importPage({ viewer: v, guild: nav(access), requestId: kit.newRequestId(), values: { mode: '', csvText: '' }, notice }));
    }));

    kit.router.post('/:guildId/viewers/import', kit.forGuild({}, async (req, res, access, v) => {
      const values: ImportValues = { mode: formField(req.body, 'mode'), csvText: formField(req.body, 'csvText') };
      const refuse = (text: string) =>
        kit.send(res, importPage({ viewer: v, guild: nav(access), requestId: kit.newRequestId(), values, notice: { ok: false, text: discordText(text) } }), 400);
      const problem = res.locals.uploadProblem as string | undefined;
      if (problem) return void refuse(problem);
      const file = req.file && req.file.size > 0 ? req.file : undefined;
      const pasted = values.csvText.trim() !== '';
      if (file && pasted) return void refuse('Choose a file or paste the CSV text, not both.');
      if (!file && !pasted) return void refuse('Choose a CSV file or paste the CSV text.');
      const input = file ? { csvText: file.buffer.toString('utf8'), fileName: file.originalname, mode: values.mode } : { csvText: values.csvText, mode: values.mode };
      // The bot reads the file and prepares the import exactly as `/points import` does; nothing changes yet.
      const result = await kit.runAction(req, access, 'points.import.check', input);
      if (!result.ok) return void refuse(result.error);
      const data = (result.data ?? {}) as { importId?: unknown; toImport?: unknown };
      const dryRun: DryRun = { summary: result.message, importId: typeof data.importId === 'string' ? data.importId : '', toImport: typeof data.toImport === 'number' ? data.toImport : 0, confirmRequestId: kit.newRequestId(), cancelRequestId: kit.newRequestId() };
      kit.send(res, importPage({ viewer: v, guild: nav(access), requestId: kit.newRequestId(), values: { mode: values.mode, csvText: '' }, dryRun }));
    }));

    for (const step of ['confirm', 'cancel'] as const) {
      kit.router.post(`/:guildId/viewers/import/${step}`, kit.forGuild({}, async (req, res, access, v) => {
        const result = await kit.runAction(req, access, `points.import.${step}`, { importId: formField(req.body, 'importId') });
        if (result.ok) {
          await kit.flash(req, { ok: true, text: result.message });
          return void res.set('cache-control', 'no-store').redirect(303, `${pagePath(access.guild.id)}#import`);
        }
        kit.send(res, importPage({ viewer: v, guild: nav(access), requestId: kit.newRequestId(), values: { mode: '', csvText: '' }, notice: { ok: false, text: discordText(result.error) } }), 400);
      }));
    }

    kit.router.get('/:guildId/viewers/export', kit.forGuild({}, async (_req, res, access) => {
      // The rows and order `/points export` writes, through the same CSV writer.
      const stats = await prisma.viewerStats.findMany({
        where: { guildId: access.guild.id },
        orderBy: [{ points: 'desc' }, { kickUserId: 'asc' }],
        select: { kickUserId: true, username: true, points: true, activeMinutes: true },
      });
      res
        .set({ 'cache-control': 'no-store', 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="kickcord-points-${stamp(new Date())}.csv"` })
        .status(200)
        .send(toPointsCsv(stats));
    }));
  },
};
