import type { FormError } from './commandValidation.ts';

function len(v: unknown): number {
  return typeof v === 'string' ? v.length : 0;
}

function tooLong(errors: FormError[], path: (string | number)[], value: unknown, max: number): void {
  if (len(value) > max) errors.push({ path, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` });
}

/** Discord's limits on message content and embeds (2000 chars, 10 embeds, 6000 chars per message, field limits). */
export function validateMessagePayload(payload: Record<string, unknown>): FormError[] {
  const errors: FormError[] = [];
  tooLong(errors, ['content'], payload.content, 2000);
  const embeds = payload.embeds;
  if (embeds !== undefined && embeds !== null) {
    if (!Array.isArray(embeds)) {
      errors.push({ path: ['embeds'], code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' });
      return errors;
    }
    if (embeds.length > 10) errors.push({ path: ['embeds'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 10 or fewer in length.' });
    let total = 0;
    embeds.forEach((raw: unknown, i) => {
      const e = (raw ?? {}) as Record<string, unknown>;
      const author = (e.author ?? {}) as Record<string, unknown>;
      const footer = (e.footer ?? {}) as Record<string, unknown>;
      tooLong(errors, ['embeds', i, 'title'], e.title, 256);
      tooLong(errors, ['embeds', i, 'description'], e.description, 4096);
      tooLong(errors, ['embeds', i, 'author', 'name'], author.name, 256);
      tooLong(errors, ['embeds', i, 'footer', 'text'], footer.text, 2048);
      total += len(e.title) + len(e.description) + len(author.name) + len(footer.text);
      const fields = Array.isArray(e.fields) ? (e.fields as Record<string, unknown>[]) : [];
      if (fields.length > 25) errors.push({ path: ['embeds', i, 'fields'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' });
      fields.forEach((f, j) => {
        if (len(f?.name) === 0) errors.push({ path: ['embeds', i, 'fields', j, 'name'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
        if (len(f?.value) === 0) errors.push({ path: ['embeds', i, 'fields', j, 'value'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
        tooLong(errors, ['embeds', i, 'fields', j, 'name'], f?.name, 256);
        tooLong(errors, ['embeds', i, 'fields', j, 'value'], f?.value, 1024);
        total += len(f?.name) + len(f?.value);
      });
      if (e.color !== undefined && e.color !== null && (typeof e.color !== 'number' || e.color < 0 || e.color > 0xffffff)) {
        errors.push({ path: ['embeds', i, 'color'], code: 'NUMBER_TYPE_MAX', message: 'int value should be less than or equal to 16777215.' });
      }
    });
    if (total > 6000) errors.push({ path: ['embeds'], code: 'MAX_EMBED_SIZE_EXCEEDED', message: 'Embed size exceeds maximum size of 6000' });
  }
  const components = payload.components;
  if (Array.isArray(components) && components.length > 5 && ((Number(payload.flags ?? 0) & (1 << 15)) === 0)) {
    errors.push({ path: ['components'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 5 or fewer in length.' });
  }
  return errors;
}
