import { createHash } from 'node:crypto';

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"'`=/]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Tagged template: interpolated values are escaped unless wrapped in {@link raw}. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += value instanceof SafeHtml ? value.value : Array.isArray(value) ? value.map((v) => (v instanceof SafeHtml ? v.value : escapeHtml(v))).join('') : escapeHtml(value);
    out += strings[i + 1] ?? '';
  });
  return new SafeHtml(out);
}

/** Markup that is already safe (built by {@link html}). */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Marks trusted, constant markup as safe. Never pass user input. */
export function raw(value: string): SafeHtml {
  return new SafeHtml(value);
}

const STYLE = raw(
  `body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:#0b0e11;color:#e8eaed;margin:0;display:flex;min-height:100vh;align-items:center;justify-content:center}` +
    `main{max-width:40rem;padding:2rem;background:#15191e;border-radius:12px;box-shadow:0 4px 24px #0008}` +
    `h1{margin-top:0;font-size:1.5rem}.ok h1{color:#53fc18}.bad h1{color:#ff6b6b}` +
    `table{border-collapse:collapse;width:100%}td,th{padding:.35rem .6rem;text-align:left;border-bottom:1px solid #2a2f36}` +
    `td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}p.small{color:#9aa0a6;font-size:.85rem}`,
);

/**
 * The CSP source that allows the pages' one inline `<style>` block (and nothing else): pages carry no
 * scripts, no style attributes and no other inline styles.
 */
export const PAGE_STYLE_CSP_SOURCE = `'sha256-${createHash('sha256').update(STYLE.value).digest('base64')}'`;

/** A complete small page. */
export function page(input: { title: string; tone: 'ok' | 'bad' | 'plain'; body: SafeHtml }): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${input.title} · kickcord</title><style>${STYLE}</style></head>
<body><main class="${input.tone}">${input.body}</main></body></html>`.value;
}
