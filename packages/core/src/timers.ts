/**
 * Chat timers: messages posted every N minutes while live, after enough chat activity.
 */
import { compileTemplate } from './templates/compileTemplate.ts';
import { TIMER_VARIABLES } from './templates/variables.ts';

/** Inputs of {@link timerIsDue}. Times are epoch milliseconds; `lastPostedAt` null = never posted. */
export interface TimerDueInput {
  readonly now: number;
  readonly lastPostedAt: number | null;
  readonly intervalMinutes: number;
  /** Chat messages in the channel since the last post (or since the stream started). */
  readonly linesSinceLastPost: number;
  readonly minChatLines: number;
  readonly isLive: boolean;
}

/**
 * True if a timer should post now: the channel is live, at least `intervalMinutes` have passed since the
 * last post (a timer that never posted is due right away), and at least `minChatLines` chat messages were
 * sent since then (0 = no requirement). A `lastPostedAt` in the future counts as just posted.
 */
export function timerIsDue(input: TimerDueInput): boolean {
  if (!input.isLive) return false;
  if (input.linesSinceLastPost < input.minChatLines) return false;
  if (input.lastPostedAt === null) return true;
  return input.now - input.lastPostedAt >= input.intervalMinutes * 60_000;
}

/** Limits for {@link validateTimer}. */
export const TIMER_LIMITS = Object.freeze({
  minIntervalMinutes: 1,
  maxIntervalMinutes: 1440,
  minChatLines: 0,
  maxChatLines: 1000,
  maxMessageLength: 500,
});

/** Result of {@link validateTimer}. */
export type TimerValidation = { ok: true } | { ok: false; errors: string[] };

/**
 * Validates a timer as typed by a moderator: `message` 1–500 characters (not only spaces),
 * `intervalMinutes` whole number 1–1440, `minChatLines` whole number 0–1000; optional `name` 1–32 of
 * `a–z 0–9 _ -`; the message's template variables only those of {@link TIMER_VARIABLES} (a timer answers no
 * viewer, so `{user}` and the like are refused with a message listing the variables a timer can use). Every problem
 * is listed.
 */
export function validateTimer(input: { message: string; intervalMinutes: number; minChatLines: number; name?: string }): TimerValidation {
  const errors: string[] = [];
  if (input.name !== undefined && !/^[a-z0-9_-]{1,32}$/.test(input.name)) {
    errors.push(`Timer name "${input.name}" must be 1–32 lower-case letters, digits, _ or -.`);
  }
  const message = input.message.trim();
  if (message.length === 0) errors.push('Timer message is empty — write what the bot should post.');
  else if (input.message.length > TIMER_LIMITS.maxMessageLength) {
    errors.push(`Timer message is ${input.message.length} characters long — the limit is ${TIMER_LIMITS.maxMessageLength}.`);
  }
  else {
    // The length was checked above; only the variables are left to the template check.
    const compiled = compileTemplate(input.message, { allowed: TIMER_VARIABLES, maxLength: Number.MAX_SAFE_INTEGER });
    if (!compiled.ok) {
      for (const e of compiled.errors) errors.push(`Timer message: ${e.message.replace(/ is not available here — available:/u, ' makes no sense in a timer (it answers no viewer) — timers can use:')}`);
    }
  }
  const { intervalMinutes, minChatLines } = input;
  if (!Number.isInteger(intervalMinutes) || intervalMinutes < TIMER_LIMITS.minIntervalMinutes || intervalMinutes > TIMER_LIMITS.maxIntervalMinutes) {
    errors.push(`Interval must be a whole number of minutes from 1 to 1440 (got ${String(intervalMinutes)}).`);
  }
  if (!Number.isInteger(minChatLines) || minChatLines < TIMER_LIMITS.minChatLines || minChatLines > TIMER_LIMITS.maxChatLines) {
    errors.push(`Minimum chat lines must be a whole number from 0 to 1000 (got ${String(minChatLines)}).`);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true };
}
