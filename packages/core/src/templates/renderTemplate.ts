/** Rendering a compiled template with values (see `compileTemplate.ts` for the syntax). */
import type { CompiledTemplate } from './compileTemplate.ts';

/** Values for {@link renderTemplate}; `undefined`, `null` and `''` count as missing. */
export type TemplateValues = Readonly<Record<string, string | number | null | undefined>>;

/** What a missing variable renders as (everything not listed renders as an empty string). */
const FALLBACKS: Readonly<Record<string, (values: TemplateValues) => string>> = {
  touser: (values) => present(values.user) ?? '',
  reason: () => 'no reason given',
  duration: () => 'permanent',
};

function present(value: string | number | null | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  return value.length > 0 ? value : undefined;
}

/**
 * Renders a compiled template. Values are inserted verbatim (they are never parsed as template syntax);
 * numbers use `String(n)`, so format them first if needed (see {@link buildChatCommandValues}).
 * Missing values render as an empty string, except `{touser}` (falls back to `{user}`), `{reason}`
 * (`no reason given`) and `{duration}` (`permanent`).
 * `rng` returns a float in [0, 1) (e.g. `Math.random`) and is called once per `{random:…}`.
 * The result is not truncated; pass chat output through `fitChatMessage`.
 */
export function renderTemplate(template: CompiledTemplate, values: TemplateValues, rng: () => number): string {
  let out = '';
  for (const part of template.parts) {
    if (part.type === 'text') {
      out += part.text;
    } else if (part.type === 'variable') {
      out += present(values[part.name]) ?? FALLBACKS[part.name]?.(values) ?? '';
    } else {
      const r = rng();
      const n = part.options.length;
      const index = Number.isFinite(r) ? Math.min(n - 1, Math.max(0, Math.floor(r * n))) : 0;
      out += part.options[index] ?? '';
    }
  }
  return out;
}
