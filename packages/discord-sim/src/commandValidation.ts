import { SUB_COMMAND, SUB_COMMAND_GROUP } from './commandLine.ts';
import type { FormError } from './types.ts';

export type { FormError } from './types.ts';


const NAME_RE = /^[-_\p{L}\p{N}]{1,32}$/u;

function checkName(name: unknown, path: (string | number)[], errors: FormError[]): void {
  if (typeof name !== 'string' || !NAME_RE.test(name)) {
    errors.push({ path: [...path, 'name'], code: 'APPLICATION_COMMAND_INVALID_NAME', message: 'Command name is invalid' });
  } else if (name !== name.toLowerCase()) {
    errors.push({ path: [...path, 'name'], code: 'APPLICATION_COMMAND_INVALID_NAME', message: 'Command name must be lowercase' });
  }
}

function checkDescription(description: unknown, path: (string | number)[], errors: FormError[]): void {
  if (typeof description !== 'string' || description.length < 1 || description.length > 100) {
    errors.push({ path: [...path, 'description'], code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' });
  }
}

function checkOptions(options: unknown, path: (string | number)[], depth: number, errors: FormError[]): void {
  if (options === undefined || options === null) return;
  if (!Array.isArray(options)) {
    errors.push({ path, code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' });
    return;
  }
  if (options.length > 25) errors.push({ path, code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' });
  const names = new Set<string>();
  let sawOptional = false;
  let sawSub = false;
  let sawValue = false;
  options.forEach((raw: unknown, i) => {
    const p = [...path, i];
    if (typeof raw !== 'object' || raw === null) {
      errors.push({ path: p, code: 'MODEL_TYPE_CONVERT', message: 'Only dictionaries may be used in a ModelType' });
      return;
    }
    const o = raw as Record<string, unknown>;
    const type = o.type;
    if (typeof type !== 'number' || type < 1 || type > 11) {
      errors.push({ path: [...p, 'type'], code: 'BASE_TYPE_CHOICES', message: `Value must be one of {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}.` });
      return;
    }
    checkName(o.name, p, errors);
    checkDescription(o.description, p, errors);
    if (typeof o.name === 'string') {
      if (names.has(o.name)) errors.push({ path: [...p, 'name'], code: 'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS', message: 'Option names must be unique' });
      names.add(o.name);
    }
    const structural = type === SUB_COMMAND || type === SUB_COMMAND_GROUP;
    if (structural) {
      sawSub = true;
      if (type === SUB_COMMAND_GROUP && depth > 0) {
        errors.push({ path: [...p, 'type'], code: 'APPLICATION_COMMAND_OPTION_TYPE_INVALID', message: 'Subcommand groups can only be top-level options' });
      }
      if (type === SUB_COMMAND && depth > 1) {
        errors.push({ path: [...p, 'type'], code: 'APPLICATION_COMMAND_OPTION_TYPE_INVALID', message: 'Subcommands can only be nested one level deep' });
      }
      if (type === SUB_COMMAND_GROUP && Array.isArray(o.options) && o.options.some((s: { type?: unknown }) => s?.type !== SUB_COMMAND)) {
        errors.push({ path: [...p, 'options'], code: 'APPLICATION_COMMAND_OPTION_TYPE_INVALID', message: 'Subcommand groups may only contain subcommands' });
      }
      checkOptions(o.options, [...p, 'options'], depth + 1, errors);
    } else {
      sawValue = true;
      if (o.required) {
        if (sawOptional) {
          errors.push({ path: [...p, 'required'], code: 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', message: 'Required options must be placed before non-required options' });
        }
      } else {
        sawOptional = true;
      }
      if (Array.isArray(o.choices)) {
        if (o.choices.length > 25) errors.push({ path: [...p, 'choices'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' });
        if (o.autocomplete) errors.push({ path: [...p, 'autocomplete'], code: 'APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_INVALID', message: 'Autocomplete cannot be used with choices' });
      }
    }
  });
  if (sawSub && sawValue) {
    errors.push({ path, code: 'APPLICATION_COMMAND_OPTION_TYPE_INVALID', message: 'Subcommands and value options cannot be mixed' });
  }
}

/** Validate a bulk-overwrite body the way Discord does (names, lengths, option nesting and order). */
export function validateCommands(body: unknown): FormError[] {
  const errors: FormError[] = [];
  if (!Array.isArray(body)) return [{ path: [], code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' }];
  if (body.length > 100) errors.push({ path: [], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 100 or fewer in length.' });
  const seen = new Set<string>();
  body.forEach((raw: unknown, i) => {
    if (typeof raw !== 'object' || raw === null) {
      errors.push({ path: [i], code: 'MODEL_TYPE_CONVERT', message: 'Only dictionaries may be used in a ModelType' });
      return;
    }
    const c = raw as Record<string, unknown>;
    const type = (c.type as number | undefined) ?? 1;
    checkName(c.name, [i], errors);
    if (type === 1) {
      checkDescription(c.description, [i], errors);
      checkOptions(c.options, [i, 'options'], 0, errors);
    }
    const key = `${type}:${String(c.name)}`;
    if (seen.has(key)) errors.push({ path: [i, 'name'], code: 'APPLICATION_COMMANDS_DUPLICATE_NAME', message: `Application command names must be unique` });
    seen.add(key);
  });
  return errors;
}

/** Discord's nested `errors` object for a list of form errors. */
export function formErrorsObject(errors: FormError[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const e of errors) {
    let node = root;
    for (const seg of e.path) {
      const key = String(seg);
      node[key] ??= {};
      node = node[key] as Record<string, unknown>;
    }
    const list = (node._errors ??= []) as { code: string; message: string }[];
    list.push({ code: e.code, message: e.message });
  }
  return root;
}
