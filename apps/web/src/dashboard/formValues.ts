import { html, raw, type SafeHtml } from '../pages/html.ts';
import { flashNotice } from './dashboardPages.ts';

/** A string field of a parsed form body ('' when it is missing or not a single string). */
export function formField(body: unknown, name: string): string {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
}

/** ` selected` on an <option> that is chosen. */
export function selectedAttr(on: boolean): SafeHtml {
  return on ? raw(' selected') : raw('');
}

/** ` checked` on a checkbox or radio that is on. */
export function checkedAttr(on: boolean): SafeHtml {
  return on ? raw(' checked') : raw('');
}

/** A notice shown beside the form (`at`, an element id) it is about. */
export interface FormNotice {
  at: string;
  ok: boolean;
  text: SafeHtml;
}

/** What one form (`at`) sent when the bot refused it, shown again so nothing typed is lost. */
export interface SubmittedForm {
  at: string;
  body: Record<string, unknown>;
}

/** A form's value: what was just submitted to it (when refused), else the stored one. */
export function submittedValue(sub: SubmittedForm | null | undefined, at: string, name: string, stored: string): string {
  return sub?.at === at ? formField(sub.body, name) : stored;
}

/** A form's checkbox: as just submitted to it (when refused), else as stored. */
export function submittedOn(sub: SubmittedForm | null | undefined, at: string, name: string, stored: boolean): boolean {
  return sub?.at === at ? formField(sub.body, name) === 'on' : stored;
}

/** The notice of the form `at`, if there is one. */
export function noticeAt(notice: FormNotice | null | undefined, at: string): SafeHtml {
  return notice?.at === at ? flashNotice(notice) : html``;
}
