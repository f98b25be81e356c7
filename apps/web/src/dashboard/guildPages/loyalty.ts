import type { GuildActionResult } from '@kickcord/queue';
import { html, type SafeHtml } from '../../pages/html.ts';
import { csrfField, dashboardPage, flashNotice, requestField, type GuildNav, type Viewer } from '../dashboardPages.ts';
import { discordText } from '../discordText.ts';
import type { GuildPage } from '../guildPageKit.ts';

/** A number setting of the form: its field name (the bot action's input key), words, unit and limits. */
interface NumberSetting {
  key: string;
  label: string;
  unit: string;
  hint: string;
  min: number;
  max: number;
  /** Decimal step (whole numbers when absent). */
  step?: string;
}

/** Largest cap (PostgreSQL integer) and largest event bonus, as the bot checks them. */
const MAX_CAP = 2_147_483_647;
const MAX_BONUS = 1_000_000;

/** Watchtime settings, in the order `/loyalty settings` shows them. */
const WATCH_SETTINGS: readonly NumberSetting[] = [
  { key: 'activityWindowMinutes', label: 'Activity window', unit: 'minutes', hint: 'While the stream is live, a viewer who chatted within this many minutes counts as watching (1–60).', min: 1, max: 60 },
  { key: 'pointsPerMinute', label: 'Points per active minute', unit: 'points', hint: 'What a viewer earns for each minute they count as watching (0–1000; 0 = watching earns nothing).', min: 0, max: 1000 },
  { key: 'subscriberMultiplier', label: 'Subscriber multiplier', unit: '×', hint: 'Subscribers earn this many times the points per minute (1–10, at most 2 decimals, e.g. 1.5).', min: 1, max: 10, step: '0.01' },
  { key: 'maxMinutesPerStream', label: 'Most active minutes per stream', unit: 'minutes', hint: 'A viewer stops earning watch points after this many minutes of one stream (0 = no cap).', min: 0, max: MAX_CAP },
  { key: 'maxPointsPerDay', label: 'Most watch points per day', unit: 'points', hint: 'Per viewer per UTC day, from watching only (0 = no cap).', min: 0, max: MAX_CAP },
];

/** Event bonuses. */
const BONUS_SETTINGS: readonly NumberSetting[] = [
  { key: 'followBonus', label: 'Follow bonus', unit: 'points', hint: 'Once per viewer, ever: following again earns nothing (0 = off).', min: 0, max: MAX_BONUS },
  { key: 'subBonus', label: 'New subscription bonus', unit: 'points', hint: 'For a new subscription (0 = off).', min: 0, max: MAX_BONUS },
  { key: 'renewalBonus', label: 'Renewed subscription bonus', unit: 'points', hint: 'For each renewal (0 = off).', min: 0, max: MAX_BONUS },
  { key: 'giftBonusPerSub', label: 'Bonus per gifted sub', unit: 'points per sub', hint: 'To the gifter, for each subscription they gift (0 = off).', min: 0, max: MAX_BONUS },
  { key: 'kicksBonusPerUnit', label: 'Bonus per Kick gifted', unit: 'points per Kick', hint: 'To the sender, for each Kick they gift (0 = off).', min: 0, max: MAX_BONUS },
];

const NUMBER_KEYS = [...WATCH_SETTINGS, ...BONUS_SETTINGS].map((s) => s.key);

/** What the form shows: every field as text (the stored values, or what was typed when a save was refused). */
type FormValues = Record<string, string>;

/** A guild's stored loyalty settings (the schema's defaults when the guild has no settings row yet). */
interface LoyaltyRow {
  activityWindowMinutes: number;
  pointsPerMinute: number;
  subscriberMultiplier: number;
  maxMinutesPerStream: number;
  maxPointsPerDay: number;
  followBonus: number;
  subBonus: number;
  renewalBonus: number;
  giftBonusPerSub: number;
  kicksBonusPerUnit: number;
  commandPrefix: string;
  excludedUsernames: string[];
}

/** The column defaults of a new guild's settings (prisma/schema.prisma). */
const SCHEMA_DEFAULTS: LoyaltyRow = {
  activityWindowMinutes: 5,
  pointsPerMinute: 1,
  subscriberMultiplier: 1.5,
  maxMinutesPerStream: 0,
  maxPointsPerDay: 0,
  followBonus: 0,
  subBonus: 0,
  renewalBonus: 0,
  giftBonusPerSub: 0,
  kicksBonusPerUnit: 0,
  commandPrefix: '!',
  excludedUsernames: [],
};

function storedValues(row: LoyaltyRow): FormValues {
  const values: FormValues = {};
  for (const key of NUMBER_KEYS) values[key] = String(row[key as keyof LoyaltyRow]);
  values.commandPrefix = row.commandPrefix;
  values.excludedUsernames = row.excludedUsernames.join('\n');
  return values;
}

function field(body: unknown, name: string): string | undefined {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
}

function numberField(s: NumberSetting, value: string): SafeHtml {
  const id = `loy-${s.key}`;
  return html`<div><label for="${id}">${s.label} (${s.unit})</label><input type="number" id="${id}" name="${s.key}" value="${value}" min="${s.min}" max="${s.max}" step="${s.step ?? '1'}" inputmode="${s.step ? 'decimal' : 'numeric'}" required aria-describedby="${id}-hint"><p class="muted small" id="${id}-hint">${s.hint}</p></div>`;
}

function loyaltyPage(input: { viewer: Viewer; guild: GuildNav; values: FormValues; requestId: string; notice?: { ok: boolean; text: SafeHtml } | null }): string {
  const v = input.values;
  return dashboardPage({
    title: `${input.guild.name} · Loyalty`,
    viewer: input.viewer,
    guild: input.guild,
    body: html`<h1>Loyalty</h1>${flashNotice(input.notice)}
<p>How viewers earn points: by watching, and from bonuses for Kick events. The same settings as <code>/loyalty settings</code>. Watchtime is <strong>active minutes</strong>: Kick publishes no viewer list, so while the stream is live a viewer earns a minute when they chatted within the activity window.</p>
<form method="post" action="/dashboard/${input.guild.id}/loyalty">${csrfField(input.viewer.csrfToken)}${requestField(input.requestId)}
<fieldset><legend>Watching</legend><div class="grid2">${WATCH_SETTINGS.map((s) => numberField(s, v[s.key] ?? ''))}</div></fieldset>
<fieldset><legend>Event bonuses</legend><div class="grid2">${BONUS_SETTINGS.map((s) => numberField(s, v[s.key] ?? ''))}</div></fieldset>
<fieldset><legend>Kick chat</legend>
<label for="loy-commandPrefix">Chat command prefix (1–3 symbols)</label><input type="text" id="loy-commandPrefix" name="commandPrefix" value="${v.commandPrefix ?? ''}" maxlength="3" size="4" required autocomplete="off" aria-describedby="loy-commandPrefix-hint">
<p class="muted small" id="loy-commandPrefix-hint">What starts a chat command, e.g. <code>!</code> in <code>!points</code>. Symbols only: no letters, digits, spaces or [ ].</p>
<label for="loy-excludedUsernames">Kick accounts that never earn</label><textarea id="loy-excludedUsernames" name="excludedUsernames" rows="4" aria-describedby="loy-excludedUsernames-hint">${v.excludedUsernames ?? ''}</textarea>
<p class="muted small" id="loy-excludedUsernames-hint">Kick usernames, one per line or separated by commas (other bots, alt accounts; at most 200). The broadcaster and known bots never earn anyway.</p>
</fieldset>
<div class="actions"><button type="submit" class="primary">Save</button></div>
</form>`,
  });
}

/** Loyalty: every `/loyalty settings` setting in one form (watching, event bonuses, chat prefix, excluded accounts). */
export const loyaltyGuildPage: GuildPage = {
  key: 'loyalty',
  label: 'Loyalty',
  path: 'loyalty',
  register(kit) {
    const { prisma } = kit.ctx;
    const stored = async (guildId: string): Promise<FormValues> => {
      const row = await prisma.guildSettings.findUnique({ where: { guildId } });
      return storedValues(row ?? SCHEMA_DEFAULTS);
    };

    kit.router.get('/:guildId/loyalty', kit.forGuild({}, async (req, res, access, v) => {
      const [values, flash] = await Promise.all([stored(access.guild.id), kit.takeFlash(req)]);
      const notice = flash ? { ok: flash.ok, text: discordText(flash.text) } : null;
      kit.send(res, loyaltyPage({ viewer: v, guild: kit.nav(access, 'loyalty'), values, requestId: kit.newRequestId(), notice }));
    }));

    kit.router.post('/:guildId/loyalty', kit.forGuild({}, async (req, res, access, v) => {
      // Each field sent goes to the bot as typed; it checks them as `/loyalty settings` does. A field left out stays as it is.
      const input: Record<string, string> = {};
      for (const key of [...NUMBER_KEYS, 'commandPrefix', 'excludedUsernames']) {
        const value = field(req.body, key);
        if (value !== undefined) input[key] = value;
      }
      const result: GuildActionResult = await kit.runAction(req, access, 'loyalty.settings', input);
      if (result.ok) {
        await kit.flash(req, { ok: true, text: result.message || 'Saved.' });
        return void res.set('cache-control', 'no-store').redirect(303, `/dashboard/${access.guild.id}/loyalty`);
      }
      // Refused: the form as it was typed, with the bot's reasons above it.
      const values = { ...(await stored(access.guild.id)), ...input };
      kit.send(res, loyaltyPage({ viewer: v, guild: kit.nav(access, 'loyalty'), values, requestId: kit.newRequestId(), notice: { ok: false, text: discordText(result.error) } }), 400);
    }));
  },
};
