/**
 * The rules document of a guild's chat filters: which filters are on, their limits, their action ladders and
 * who is exempt. Stored as JSON (validated with {@link chatFilterConfigSchema}); banned terms live beside it.
 */
import { z } from 'zod';
import { CoreInputError } from '../CoreInputError.ts';
import { USER_LEVELS, type UserLevel } from '../userLevel.ts';

/** Every chat filter, in the order a message is checked (the first that fires acts). */
export const CHAT_FILTER_KINDS = ['words', 'links', 'unicode', 'length', 'emotes', 'caps', 'symbols', 'repeats'] as const;
/** One chat filter. */
export type ChatFilterKind = (typeof CHAT_FILTER_KINDS)[number];

/** True when `value` names a chat filter. */
export function isChatFilterKind(value: string): value is ChatFilterKind {
  return (CHAT_FILTER_KINDS as readonly string[]).includes(value);
}

/** What each filter catches and what its `limit` means (for `/filters` and the README). */
export const CHAT_FILTER_DESCRIPTIONS: Readonly<Record<ChatFilterKind, { title: string; limit: string }>> = {
  words: { title: 'Banned words, phrases and patterns', limit: 'not used' },
  links: { title: 'Links outside the allowed domains (also written as example[.]com or example dot com)', limit: 'seconds a !permit lasts' },
  unicode: { title: 'Zalgo text, invisible characters, mixed-script look-alike words', limit: 'combining marks on one character' },
  length: { title: 'Very long messages', limit: 'most characters' },
  emotes: { title: 'Emote flood', limit: 'most emotes in one message' },
  caps: { title: 'Shouting in capitals', limit: 'most capital letters, in percent' },
  symbols: { title: 'Symbol flood', limit: 'most symbols, in percent' },
  repeats: { title: 'The same message again and again', limit: 'identical messages in a row that are acted on' },
};

/** What a filter does, per offence: delete the message, time the viewer out, or ban them. */
export type FilterActionKind = 'delete' | 'timeout' | 'ban';

/** Kick's timeout range in minutes (POST /public/v1/moderation/bans `duration`). */
export const TIMEOUT_MINUTES = { min: 1, max: 10_080 } as const;

/** Levels a filter may exempt from (and above): the broadcaster is always exempt. */
export const EXEMPT_LEVELS = USER_LEVELS.filter((l) => l !== 'everyone') as Exclude<UserLevel, 'everyone'>[];

const stepSchema = z.union([
  z.object({ action: z.literal('delete') }),
  z.object({ action: z.literal('timeout'), minutes: z.number().int().min(TIMEOUT_MINUTES.min).max(TIMEOUT_MINUTES.max) }),
  z.object({ action: z.literal('ban') }),
]);

/** One rung of a filter's ladder (a timeout lasts 1–10080 minutes, Kick's range). A timeout or ban also deletes the message. */
export type FilterStep = z.infer<typeof stepSchema>;

const ruleSchema = z.object({
  enabled: z.boolean(),
  /** The action of the 1st, 2nd, … offence within the escalation window (the last repeats). */
  ladder: z.array(stepSchema).min(1).max(5),
  /** Reply in chat with a warning that names the rule, never the message. */
  warn: z.boolean(),
  /** Senders at this level or above are exempt. */
  exemptLevel: z.enum(EXEMPT_LEVELS as [Exclude<UserLevel, 'everyone'>, ...Exclude<UserLevel, 'everyone'>[]]),
  /** Discord roles whose linked members are exempt. */
  exemptRoleIds: z.array(z.string().regex(/^\d{17,20}$/)).max(25),
  /** The filter's threshold (see {@link CHAT_FILTER_DESCRIPTIONS}). */
  limit: z.number().int().min(1).max(10_000),
  /** Caps and symbols: messages shorter than this (letters / characters) are never checked. */
  minLength: z.number().int().min(1).max(500),
  /** Repeats: identical messages count as a run within this many seconds of each other. */
  windowSeconds: z.number().int().min(5).max(3_600),
});

/** One filter's settings. */
export type FilterRule = z.infer<typeof ruleSchema>;

/** The whole rules document of a guild. */
export const chatFilterConfigSchema = z.object({
  rules: z.object(Object.fromEntries(CHAT_FILTER_KINDS.map((k) => [k, ruleSchema])) as Record<ChatFilterKind, typeof ruleSchema>),
  /** Domains links may point at (their subdomains too), lower case. */
  allowedDomains: z.array(z.string().min(3).max(253)).max(100),
  /** Offences of one viewer against one filter count up the ladder within this many minutes. */
  escalationWindowMinutes: z.number().int().min(1).max(10_080),
});

/** A guild's chat filter settings. */
export type ChatFilterConfig = z.infer<typeof chatFilterConfigSchema>;

const softLadder: FilterStep[] = [{ action: 'delete' }, { action: 'delete' }, { action: 'timeout', minutes: 5 }];
const hardLadder: FilterStep[] = [{ action: 'delete' }, { action: 'timeout', minutes: 10 }, { action: 'ban' }];

function rule(overrides: Partial<FilterRule>): FilterRule {
  return { enabled: false, ladder: softLadder, warn: true, exemptLevel: 'moderator', exemptRoleIds: [], limit: 1, minLength: 1, windowSeconds: 60, ...overrides };
}

/** What a guild starts with: every filter off, sensible limits ready for when a moderator turns one on. */
export function defaultChatFilterConfig(): ChatFilterConfig {
  return {
    rules: {
      words: rule({ ladder: hardLadder }),
      links: rule({ ladder: hardLadder, limit: 60, exemptLevel: 'vip' }),
      unicode: rule({ limit: 3 }),
      length: rule({ limit: 400 }),
      emotes: rule({ limit: 12 }),
      caps: rule({ limit: 70, minLength: 15 }),
      symbols: rule({ limit: 50, minLength: 15 }),
      repeats: rule({ limit: 3, windowSeconds: 60 }),
    },
    allowedDomains: ['kick.com'],
    escalationWindowMinutes: 60,
  };
}

/**
 * Reads a stored rules document; a missing or partly invalid one falls back to the defaults for what is
 * missing (a document written by an older version gains new filters switched off).
 */
export function parseChatFilterConfig(stored: unknown): ChatFilterConfig {
  const defaults = defaultChatFilterConfig();
  if (stored === null || typeof stored !== 'object') return defaults;
  const raw = stored as { rules?: Record<string, unknown>; allowedDomains?: unknown; escalationWindowMinutes?: unknown };
  const rules = { ...defaults.rules };
  for (const kind of CHAT_FILTER_KINDS) {
    const parsed = ruleSchema.safeParse({ ...defaults.rules[kind], ...(raw.rules?.[kind] as object | undefined) });
    if (parsed.success) rules[kind] = parsed.data;
  }
  const domains = chatFilterConfigSchema.shape.allowedDomains.safeParse(raw.allowedDomains);
  const window = chatFilterConfigSchema.shape.escalationWindowMinutes.safeParse(raw.escalationWindowMinutes);
  return { rules, allowedDomains: domains.success ? domains.data : defaults.allowedDomains, escalationWindowMinutes: window.success ? window.data : defaults.escalationWindowMinutes };
}

/** The step for a viewer's `offence`-th offence (1-based) against a rule: the ladder's last step repeats. */
export function stepForOffence(rule: Pick<FilterRule, 'ladder'>, offence: number): FilterStep {
  const index = Math.min(Math.max(1, Math.floor(offence)), rule.ladder.length) - 1;
  const step = rule.ladder[index];
  if (!step) throw new CoreInputError('a filter ladder needs at least one step');
  return step;
}

/** `delete → timeout 10m → ban` */
export function formatLadder(ladder: readonly FilterStep[]): string {
  return ladder.map((s) => (s.action === 'timeout' ? `timeout ${s.minutes}m` : s.action)).join(' → ');
}

/**
 * Parses a ladder a moderator typed: steps separated by commas or arrows, each `delete`, `ban`, or
 * `timeout N` (minutes; `10m`, `2h` and `1d` also work). Returns a problem in words when it cannot.
 */
export function parseLadder(text: string): { ok: true; ladder: FilterStep[] } | { ok: false; problem: string } {
  const parts = text
    .split(/,|->|→|>/)
    .map((p) => p.trim().toLowerCase())
    .filter(Boolean);
  if (parts.length === 0) return { ok: false, problem: 'Give at least one step, e.g. `delete, timeout 10m, ban`.' };
  if (parts.length > 5) return { ok: false, problem: 'A ladder has at most 5 steps.' };
  const ladder: FilterStep[] = [];
  for (const part of parts) {
    if (part === 'delete' || part === 'ban') {
      ladder.push(part === 'delete' ? { action: 'delete' } : { action: 'ban' });
      continue;
    }
    const m = /^(?:timeout|to)\s*(\d+)\s*(m|min|mins|minutes?|h|hours?|d|days?)?$/.exec(part);
    if (!m) return { ok: false, problem: `\`${part.slice(0, 40)}\` is not a step: use \`delete\`, \`timeout 10m\` or \`ban\`.` };
    const unit = m[2]?.[0] ?? 'm';
    const minutes = Number(m[1]) * (unit === 'h' ? 60 : unit === 'd' ? 1_440 : 1);
    if (minutes < TIMEOUT_MINUTES.min || minutes > TIMEOUT_MINUTES.max) {
      return { ok: false, problem: `A timeout lasts ${TIMEOUT_MINUTES.min} minute to 7 days (${TIMEOUT_MINUTES.max} minutes); \`${part}\` is ${minutes}.` };
    }
    ladder.push({ action: 'timeout', minutes });
  }
  return { ok: true, ladder };
}

/** Normalises a domain a moderator typed (`https://www.Example.com/x` → `example.com`), or null when it is not one. */
export function normalizeDomain(input: string): string | null {
  const host = input
    .trim()
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .replace(/[/?#:].*$/, '')
    .replace(/^www\./, '')
    .replace(/\.$/, '');
  if (!/^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(host)) return null;
  return host;
}
