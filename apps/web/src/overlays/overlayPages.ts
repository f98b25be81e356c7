import type { OverlayWidget } from '@kickcord/queue';
import type { OverlayAssets } from './overlayAssets.ts';

/** Most rows a leaderboard snapshot carries (`?limit=` picks how many of them a page shows). */
export const OVERLAY_LEADERBOARD_ROWS = 25;

/** A whole-number query parameter a widget page accepts. */
interface NumberOption {
  /** Query parameter name (case-sensitive, as documented). */
  name: string;
  /** `data-*` attribute of `<body>` the script reads. */
  attr: string;
  min: number;
  max: number;
  fallback: number;
  what: string;
}

const FONT_SIZE: NumberOption = { name: 'fontSize', attr: 'data-font-size', min: 10, max: 120, fallback: 0, what: 'the text size in pixels' };

/** The query parameters each widget understands (all optional). */
export const WIDGET_OPTIONS: Record<OverlayWidget, NumberOption[]> = {
  alerts: [FONT_SIZE, { name: 'volume', attr: 'data-volume', min: 0, max: 100, fallback: 80, what: 'the sound volume in percent' }],
  events: [FONT_SIZE, { name: 'limit', attr: 'data-limit', min: 1, max: 50, fallback: 8, what: 'how many recent alerts to list' }],
  chat: [
    FONT_SIZE,
    { name: 'limit', attr: 'data-limit', min: 1, max: 100, fallback: 12, what: 'how many chat lines to show' },
    { name: 'fadeAfter', attr: 'data-fade-after', min: 0, max: 3600, fallback: 0, what: 'seconds before a chat line fades (0 = never)' },
  ],
  leaderboard: [FONT_SIZE, { name: 'limit', attr: 'data-limit', min: 1, max: OVERLAY_LEADERBOARD_ROWS, fallback: 10, what: 'how many viewers to rank' }],
  game: [FONT_SIZE, { name: 'hideAfter', attr: 'data-hide-after', min: 0, max: 3600, fallback: 0, what: 'seconds to keep a finished raffle or round on screen (0 = until the next one)' }],
  goal: [FONT_SIZE],
};

const TITLES: Record<OverlayWidget, string> = {
  alerts: 'Alerts',
  events: 'Recent events',
  chat: 'Chat',
  leaderboard: 'Leaderboard',
  game: 'Raffle / guess the balance',
  goal: 'Goal',
};

/** The `<body>` attributes a widget page gets from its query, or the first problem with the query. */
export function widgetAttributes(widget: OverlayWidget, query: Record<string, unknown>): { ok: true; attrs: Record<string, string> } | { ok: false; error: string } {
  const attrs: Record<string, string> = {};
  for (const option of WIDGET_OPTIONS[widget]) {
    const given = query[option.name];
    if (given === undefined || given === '') {
      if (option.fallback !== 0 || option.name !== 'fontSize') attrs[option.attr] = String(option.fallback);
      continue;
    }
    const value = typeof given === 'string' && /^\d{1,6}$/.test(given) ? Number(given) : Number.NaN;
    if (!Number.isInteger(value) || value < option.min || value > option.max) {
      return { ok: false, error: `${option.name} must be a whole number from ${option.min} to ${option.max} (${option.what}); got "${String(given).slice(0, 40)}".` };
    }
    attrs[option.attr] = String(value);
  }
  if (widget === 'leaderboard' && query.title !== undefined) {
    const title = typeof query.title === 'string' ? query.title.trim() : '';
    if (title.length < 1 || title.length > 40) return { ok: false, error: `title must be 1 to 40 characters; got ${typeof query.title === 'string' ? title.length : 'several values'}.` };
    attrs['data-title'] = title;
  }
  return { ok: true, attrs };
}

/**
 * A widget page for an OBS Browser Source: transparent, no scrollbars, only this app's script, stylesheet, font and
 * sounds; the script reads its settings from `<body>`'s data attributes and streams from `events?widget=<widget>`
 * beside the page's own URL (so the page never needs to know its token).
 */
export function overlayPage(widget: OverlayWidget, attrs: Record<string, string>, assets: OverlayAssets): string {
  const data = Object.entries({
    'data-widget': widget,
    'data-stream': `events?widget=${widget}`,
    ...(widget === 'alerts' ? { 'data-sounds': JSON.stringify(assets.soundUrls) } : {}),
    ...attrs,
  });
  const bodyAttrs = data.map(([name, value]) => ` ${name}="${attr(value)}"`).join('');
  const title = `${TITLES[widget]} · kickcord overlay`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${attr(title)}</title>
<link rel="stylesheet" href="${attr(assets.styleUrl)}"><script src="${attr(assets.scriptUrl)}" defer></script></head>
<body${bodyAttrs}><main id="overlay" class="widget-${widget}" aria-live="polite" aria-label="${attr(TITLES[widget])}"></main></body></html>`;
}

/** Escapes text for a double-quoted attribute value or element content. */
function attr(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
