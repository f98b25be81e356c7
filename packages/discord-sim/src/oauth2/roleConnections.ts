import type { FormError, RoleConnectionMetadataRecord, UserRoleConnection } from '../types.ts';

export type { RoleConnectionMetadataRecord, UserRoleConnection } from '../types.ts';

/** At most this many metadata records per application. */
export const MAX_METADATA_RECORDS = 5;
const KEY_RE = /^[a-z0-9_]{1,50}$/;

function checkLength(value: unknown, min: number, max: number, path: (string | number)[], errors: FormError[]): void {
  if (typeof value !== 'string') {
    errors.push({ path, code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
  } else if (value.length < min || value.length > max) {
    errors.push({ path, code: 'BASE_TYPE_BAD_LENGTH', message: `Must be between ${min} and ${max} in length.` });
  }
}

function checkLocalizations(value: unknown, max: number, path: (string | number)[], errors: FormError[]): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'object' || Array.isArray(value)) {
    errors.push({ path, code: 'DICT_TYPE_CONVERT', message: 'Only dictionaries may be used in a DictType' });
    return;
  }
  for (const [locale, text] of Object.entries(value)) checkLength(text, 1, max, [...path, locale], errors);
}

/**
 * Validates `PUT /applications/{id}/role-connections/metadata` as Discord documents it: an array of at most 5
 * records; `key` 1–50 characters of `a-z`, `0-9` and `_`, unique; `type` 1–8; `name` 1–100 and `description`
 * 1–200 characters (and their localizations). Returns Invalid Form Body errors.
 */
export function validateMetadataRecords(body: unknown): FormError[] {
  if (!Array.isArray(body)) return [{ path: [], code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' }];
  const errors: FormError[] = [];
  if (body.length > MAX_METADATA_RECORDS) errors.push({ path: [], code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${MAX_METADATA_RECORDS} or fewer in length.` });
  const keys = new Set<string>();
  body.forEach((raw: unknown, i) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      errors.push({ path: [i], code: 'MODEL_TYPE_CONVERT', message: 'Only dictionaries may be used in a ModelType' });
      return;
    }
    const r = raw as Record<string, unknown>;
    if (typeof r.type !== 'number' || !Number.isInteger(r.type) || r.type < 1 || r.type > 8) {
      errors.push({ path: [i, 'type'], code: 'BASE_TYPE_CHOICES', message: 'Value must be one of {1, 2, 3, 4, 5, 6, 7, 8}.' });
    }
    if (typeof r.key !== 'string' || r.key.length < 1 || r.key.length > 50) {
      checkLength(r.key, 1, 50, [i, 'key'], errors);
    } else if (!KEY_RE.test(r.key)) {
      errors.push({ path: [i, 'key'], code: 'STRING_TYPE_REGEX', message: `String value did not match validation regex.` });
    } else if (keys.has(r.key)) {
      errors.push({ path: [i, 'key'], code: 'APPLICATION_ROLE_CONNECTIONS_METADATA_DUPLICATE_KEY', message: 'Metadata keys must be unique.' });
    } else {
      keys.add(r.key);
    }
    checkLength(r.name, 1, 100, [i, 'name'], errors);
    checkLength(r.description, 1, 200, [i, 'description'], errors);
    checkLocalizations(r.name_localizations, 100, [i, 'name_localizations'], errors);
    checkLocalizations(r.description_localizations, 200, [i, 'description_localizations'], errors);
  });
  return errors;
}

/** The records as Discord stores them (only the documented fields). */
export function toMetadataRecords(body: Record<string, unknown>[]): RoleConnectionMetadataRecord[] {
  return body.map((r) => ({
    type: r.type as number,
    key: r.key as string,
    name: r.name as string,
    ...(r.name_localizations ? { name_localizations: r.name_localizations as Record<string, string> } : {}),
    description: r.description as string,
    ...(r.description_localizations ? { description_localizations: r.description_localizations as Record<string, string> } : {}),
  }));
}

const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** One metadata value checked against its record's type; the stored string, or an error. */
function coerceValue(type: number, value: unknown): { ok: string } | { code: string; message: string } {
  const shown = typeof value === 'string' ? value : JSON.stringify(value);
  if (typeof value === 'string' && value.length > 100) return { code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 100 or fewer in length.' };
  if (type <= 4) {
    const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n)) return { code: 'NUMBER_TYPE_COERCE', message: `Value "${shown}" is not int.` };
    return { ok: String(n) };
  }
  if (type <= 6) {
    if (typeof value !== 'string' || !ISO_DATETIME.test(value) || Number.isNaN(Date.parse(value))) {
      return { code: 'DATE_TYPE_PARSE', message: `Could not parse ${shown}. Should be ISO8601.` };
    }
    return { ok: value };
  }
  if (value === true || value === 1 || value === '1' || value === 'true') return { ok: '1' };
  if (value === false || value === 0 || value === '0' || value === 'false') return { ok: '0' };
  return { code: 'BOOLEAN_TYPE_COERCE', message: `Value "${shown}" is not bool.` };
}

/**
 * Validates `PUT /users/@me/applications/{id}/role-connection`: `platform_name` at most 50 and
 * `platform_username` at most 100 characters; each metadata key must be one of the application's registered
 * records and its value (at most 100 characters) must fit the record's type — an integer for types 1–4, an
 * ISO 8601 datetime for 5–6, 0/1 (or true/false) for 7–8. Returns the connection to store, or the errors.
 */
export function validateUserRoleConnection(body: Record<string, unknown>, records: readonly RoleConnectionMetadataRecord[]): { connection: UserRoleConnection } | { errors: FormError[] } {
  const errors: FormError[] = [];
  const text = (name: 'platform_name' | 'platform_username', max: number): string | null => {
    const v = body[name];
    if (v === undefined || v === null) return null;
    if (typeof v !== 'string') {
      errors.push({ path: [name], code: 'BASE_TYPE_STRING', message: 'Must be a string.' });
      return null;
    }
    if (v.length > max) errors.push({ path: [name], code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` });
    return v;
  };
  const platformName = text('platform_name', 50);
  const platformUsername = text('platform_username', 100);
  const metadata: Record<string, string> = {};
  const raw = body.metadata;
  if (raw !== undefined && raw !== null) {
    if (typeof raw !== 'object' || Array.isArray(raw)) {
      errors.push({ path: ['metadata'], code: 'DICT_TYPE_CONVERT', message: 'Only dictionaries may be used in a DictType' });
    } else {
      for (const [key, value] of Object.entries(raw)) {
        const record = records.find((r) => r.key === key);
        if (!record) {
          errors.push({ path: ['metadata', key], code: 'APPLICATION_ROLE_CONNECTIONS_METADATA_UNKNOWN_KEY', message: `Unknown metadata key "${key}"; register it with PUT /applications/{id}/role-connections/metadata first.` });
          continue;
        }
        const coerced = coerceValue(record.type, value);
        if ('ok' in coerced) metadata[key] = coerced.ok;
        else errors.push({ path: ['metadata', key], ...coerced });
      }
    }
  }
  if (errors.length) return { errors };
  return { connection: { platform_name: platformName, platform_username: platformUsername, metadata } };
}

/** The application's registered metadata records and every user's role connection. */
export class RoleConnectionStore {
  records: RoleConnectionMetadataRecord[] = [];
  readonly connections = new Map<string, UserRoleConnection>();
}
