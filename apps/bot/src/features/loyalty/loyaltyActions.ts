import {
  adminKey,
  formatPointsAmount,
  MAX_INT32,
  validateEventBonusSettings,
  validateLoyaltySettings,
  validatePrefix,
  type EventBonusSettings,
  type LoyaltySettings,
} from '@kickcord/core';
import { appendLedgerEntries, auditChanges, BalanceLimitError, spendPoints, type AuditDetailValue, type GuildSettings } from '@kickcord/db';
import { z } from 'zod';
import type { BotContext } from '../../context.ts';
import { formatPoints } from '../../formatPoints.ts';
import { auditAction, defineGuildAction } from '../../guildActions/GuildAction.ts';
import { forgetGuildSettings, guildSettings } from '../../guildSettings.ts';
import { UserFacingError } from '../../UserFacingError.ts';
import { resolveViewerNow, viewerStatsById } from '../../viewers/viewerStats.ts';

/** A setting `loyalty.settings` changes. */
export type LoyaltySettingKey = keyof LoyaltySettings | keyof EventBonusSettings | 'commandPrefix';

/** A setting as the moderator reads it (the settings embed's words, never a column name). */
export const LOYALTY_SETTING_LABELS: Record<LoyaltySettingKey, string> = {
  activityWindowMinutes: 'activity window',
  pointsPerMinute: 'points per minute',
  subscriberMultiplier: 'subscriber multiplier',
  maxMinutesPerStream: 'max minutes per stream',
  maxPointsPerDay: 'max points per day',
  excludedUsernames: 'excluded accounts',
  followBonus: 'follow bonus',
  subBonus: 'sub bonus',
  renewalBonus: 'renewal bonus',
  giftBonusPerSub: 'bonus per gifted sub',
  kicksBonusPerUnit: 'bonus per Kick',
  commandPrefix: 'command prefix',
};

/** `✅ Updated: points per minute, follow bonus.` for the settings a change touched (empty when none). */
export function describeUpdatedSettings(changed: readonly string[]): string {
  const labels = changed.map((key) => (LOYALTY_SETTING_LABELS as Record<string, string>)[key] ?? key.replace(/([a-z])([A-Z])/gu, '$1 $2').toLowerCase());
  return labels.length ? `✅ Updated: ${labels.join(', ')}.` : '';
}

/** The numeric loyalty settings, each with the name its validation uses at the start of a sentence. */
const LOYALTY_NUMBERS = {
  activityWindowMinutes: 'Activity window',
  pointsPerMinute: 'Points per minute',
  subscriberMultiplier: 'Subscriber multiplier',
  maxMinutesPerStream: 'Max minutes per stream',
  maxPointsPerDay: 'Max points per day',
} as const satisfies Partial<Record<keyof LoyaltySettings, string>>;

/** The event bonuses, named as their validation names them. */
const BONUS_NUMBERS = {
  followBonus: 'Follow bonus',
  subBonus: 'Sub bonus',
  renewalBonus: 'Renewal bonus',
  giftBonusPerSub: 'Gift bonus per sub',
  kicksBonusPerUnit: 'Kicks bonus per Kick',
} as const satisfies Record<keyof EventBonusSettings, string>;

/** A number as a slash command option gives it, or as a form field sends it (text, checked here). */
const numberInput = z.union([z.number(), z.string().max(40, 'A number is at most 40 characters.')]).optional();
/** Kick usernames: a list, or text separated by commas, spaces or new lines. */
const usernamesInput = z.union([z.string().max(20_000, 'The list of usernames is too long.'), z.array(z.string().max(100)).max(1000, 'The list of usernames is too long.')]).optional();

const settingsInput = z.object({
  activityWindowMinutes: numberInput,
  pointsPerMinute: numberInput,
  subscriberMultiplier: numberInput,
  maxMinutesPerStream: numberInput,
  maxPointsPerDay: numberInput,
  followBonus: numberInput,
  subBonus: numberInput,
  renewalBonus: numberInput,
  giftBonusPerSub: numberInput,
  kicksBonusPerUnit: numberInput,
  commandPrefix: z.string().max(40, 'The command prefix is 1–3 characters, e.g. "!".').optional(),
  /** The whole excluded list (replaces it). */
  excludedUsernames: usernamesInput,
  /** Usernames added to the excluded list. */
  exclude: usernamesInput,
  /** Usernames removed from the excluded list. */
  include: usernamesInput,
});

/** The settings `loyalty.settings` accepts: any of them (the ones left out stay as they are). */
export type LoyaltySettingsInput = z.input<typeof settingsInput>;

/** Kick usernames from a list or from text separated by commas, spaces or new lines. */
export function usernameList(raw: string | readonly string[] | undefined | null): string[] {
  const parts = typeof raw === 'string' ? raw.split(/[,\s]+/) : (raw ?? []);
  return parts.map((n) => n.trim()).filter((n) => n.length > 0);
}

const NUMBER_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/** A number from a slash command (as is) or a form (text): undefined when left out, with a sentence in `errors` when not a number. */
function readNumber(label: string, value: number | string | undefined, errors: string[]): number | undefined {
  if (value === undefined || typeof value === 'number') return value;
  const text = value.trim();
  if (text === '') {
    errors.push(`${label} is empty: enter a number.`);
    return undefined;
  }
  if (!NUMBER_TEXT.test(text)) {
    errors.push(`${label} must be a number (got "${text.slice(0, 40)}").`);
    return undefined;
  }
  return Number(text);
}

type SettingsPatch = { -readonly [K in keyof LoyaltySettings]?: LoyaltySettings[K] } & { -readonly [K in keyof EventBonusSettings]?: EventBonusSettings[K] } & { commandPrefix?: string };

/**
 * `/loyalty settings` and the dashboard's Loyalty page: watchtime rates, subscriber multiplier, caps, activity window,
 * event bonuses, chat command prefix and the excluded accounts. Every problem is listed at once and nothing is changed
 * while any remains; only settings whose value differs are written, audited and announced.
 */
export const changeLoyaltySettings = defineGuildAction({
  name: 'loyalty.settings',
  input: settingsInput,
  async run(ctx, call, input) {
    const current = await guildSettings(ctx.prisma, call.guildId);
    const errors: string[] = [];
    const loyalty: { -readonly [K in keyof LoyaltySettings]?: LoyaltySettings[K] } = {};
    const bonuses: { -readonly [K in keyof EventBonusSettings]?: EventBonusSettings[K] } = {};
    for (const [key, label] of Object.entries(LOYALTY_NUMBERS) as [keyof typeof LOYALTY_NUMBERS, string][]) {
      const value = readNumber(label, input[key], errors);
      if (value !== undefined) loyalty[key] = value;
    }
    for (const [key, label] of Object.entries(BONUS_NUMBERS) as [keyof typeof BONUS_NUMBERS, string][]) {
      const value = readNumber(label, input[key], errors);
      if (value !== undefined) bonuses[key] = value;
    }
    if (input.excludedUsernames !== undefined || input.exclude !== undefined || input.include !== undefined) {
      const base = input.excludedUsernames !== undefined ? usernameList(input.excludedUsernames) : current.excludedUsernames;
      const include = usernameList(input.include).map((n) => n.replace(/^@+/, '').toLowerCase());
      loyalty.excludedUsernames = [...base, ...usernameList(input.exclude)].filter((n) => !include.includes(n.replace(/^@+/, '').toLowerCase()));
    }
    const l = validateLoyaltySettings(loyalty);
    if (!l.ok) errors.push(...l.errors);
    const b = validateEventBonusSettings(bonuses);
    if (!b.ok) errors.push(...b.errors);
    let prefix: string | undefined;
    if (input.commandPrefix !== undefined) {
      const p = validatePrefix(input.commandPrefix.trim());
      if (p.ok) prefix = p.prefix;
      else errors.push(p.error);
    }
    if (errors.length) throw new UserFacingError(`Nothing was changed:\n${errors.map((e) => `• ${e}`).join('\n')}`);

    const patch: SettingsPatch = { ...(l.ok ? l.settings : {}), ...bonuses, ...(prefix !== undefined ? { commandPrefix: prefix } : {}) };
    const asked = Object.keys(patch);
    const before = Object.fromEntries(asked.map((key) => [key, current[key as keyof GuildSettings] as AuditDetailValue]));
    const detail = auditChanges(before, patch as Record<string, AuditDetailValue>);
    const changed = Object.keys(detail) as LoyaltySettingKey[];
    if (changed.length) {
      const data: Partial<Pick<GuildSettings, LoyaltySettingKey>> = {};
      for (const key of changed) {
        const value = patch[key];
        (data as Record<string, unknown>)[key] = Array.isArray(value) ? [...(value as readonly string[])] : value;
      }
      await ctx.prisma.guildSettings.update({ where: { guildId: call.guildId }, data });
      await forgetGuildSettings(ctx, call.guildId);
      await auditAction(ctx, call, 'loyalty.settings', detail);
    }
    return {
      message: changed.length ? describeUpdatedSettings(changed) : asked.length ? 'Nothing changed: the settings already had these values.' : '',
      data: { changed },
    };
  },
});

/** Largest single change a moderator can make. */
export const MAX_POINTS_CHANGE = 1_000_000_000;
/** Longest reason kept with a change in the ledger (the slash command option's limit). */
export const MAX_POINTS_REASON_LENGTH = 200;

/** How a moderator changes a balance. */
export type PointsAdjustment = 'give' | 'take' | 'set';

/** The ledger reason of a change made without one: who made it, in words (`Given by @mia`), never the command line. */
export function defaultChangeReason(sub: PointsAdjustment, moderator: string): string {
  const verb = sub === 'give' ? 'Given' : sub === 'take' ? 'Taken' : 'Balance set';
  return `${verb} by @${moderator}`;
}

const adjustInput = z.object({
  /** The viewer by Kick user id: only a viewer with points or watchtime in this server (the dashboard). */
  kickUserId: z.number().int().positive().optional(),
  /** The viewer by Kick username: this server's viewers first, then any Kick account seen (the slash command). */
  username: z.string().max(100).optional(),
  op: z.enum(['give', 'take', 'set'], { error: 'Choose whether to give, take or set points.' }),
  amount: z.union([z.number(), z.string().max(40, 'The amount is too long.')]),
  reason: z.string().max(2000).nullable().optional(),
});

/** The viewer a change is for: by id (this server's viewers only) or by username. */
async function viewerToChange(ctx: BotContext, guildId: string, input: { kickUserId?: number | undefined; username?: string | undefined }) {
  if (input.kickUserId !== undefined) {
    const stats = await viewerStatsById(ctx.prisma, guildId, input.kickUserId);
    if (!stats) throw new UserFacingError('I don\'t know that Kick viewer in this server — they appear once they earn points or watchtime here.');
    return { kickUserId: stats.kickUserId, username: stats.username, stats };
  }
  const name = (input.username ?? '').trim();
  if (!name) throw new UserFacingError('Name the viewer by their Kick username.');
  const viewer = await resolveViewerNow(ctx, guildId, name);
  if (!viewer) throw new UserFacingError(`I don't know a Kick viewer named "${name}" yet — they appear once they chat in the streamer's channel.`);
  return viewer;
}

/** A whole number of points from a slash command (as is) or a form (text). */
function readAmount(value: number | string, min: number): number {
  const text = typeof value === 'number' ? String(value) : value.trim();
  const amount = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(amount) || amount < min || amount > MAX_POINTS_CHANGE) throw new UserFacingError(`Amount must be a whole number from ${min} to ${formatPoints(MAX_POINTS_CHANGE)}.`);
  return amount;
}

/**
 * `/points give|take|set` and the dashboard's Viewers page: a moderator changes a viewer's balance with a reason kept
 * in the ledger. The ledger row's idempotency key is built from the request id (the interaction, or the dashboard
 * form's one-time id), so a repeated request changes the balance once. Giving past the maximum balance and taking
 * more than the viewer has are refused.
 */
export const adjustPoints = defineGuildAction({
  name: 'points.adjust',
  input: adjustInput,
  async run(ctx, call, input) {
    const op = input.op;
    const amount = readAmount(input.amount, op === 'set' ? 0 : 1);
    const typedReason = (input.reason ?? '').trim();
    if (typedReason.length > MAX_POINTS_REASON_LENGTH) throw new UserFacingError(`The reason is ${typedReason.length} characters long — the limit is ${MAX_POINTS_REASON_LENGTH}.`);
    const viewer = await viewerToChange(ctx, call.guildId, input);
    const reason = typedReason || defaultChangeReason(op, call.actor.name);
    const key = adminKey(call.requestId);
    const base = { guildId: call.guildId, kickUserId: viewer.kickUserId, username: viewer.username, kind: 'admin' as const, idempotencyKey: key, reason, actorDiscordId: call.actor.id };
    const current = viewer.stats?.points ?? 0;
    let balance: number;
    let duplicate = false;
    let from = current;
    if (op === 'give') {
      if (current + amount > MAX_INT32) throw new UserFacingError(`${viewer.username} has ${formatPointsAmount(current)}; giving ${formatPoints(amount)} would exceed the maximum balance of ${formatPoints(MAX_INT32)}.`);
      // 'refuse': a balance that grew since the check above still gets a clear error, never a capped grant.
      const r = await appendLedgerEntries(ctx.prisma, [{ ...base, points: amount }], { overLimit: 'refuse' }).catch((error: unknown) => {
        if (error instanceof BalanceLimitError) throw new UserFacingError(error.message);
        throw error;
      });
      duplicate = r.inserted === 0;
      balance = (await viewerStatsById(ctx.prisma, call.guildId, viewer.kickUserId))?.points ?? 0;
      from = balance - amount;
    } else if (op === 'take') {
      const r = await spendPoints(ctx.prisma, { ...base, cost: amount });
      if (!r.ok) throw new UserFacingError(`${viewer.username} has only ${formatPointsAmount(r.balance)} — take at most that much, or use \`/points set user:${viewer.username} amount:0\`.`);
      duplicate = r.duplicate;
      balance = r.balance;
      from = balance + amount;
    } else {
      const result = await ctx.prisma.$transaction(async (tx) => {
        const rows = await tx.$queryRawUnsafe<{ points: number }[]>('SELECT points FROM "ViewerStats" WHERE "guildId" = $1 AND "kickUserId" = $2 FOR UPDATE', call.guildId, viewer.kickUserId);
        const now = rows[0]?.points ?? 0;
        if (now === amount) return { balance: now, from: now, duplicate: false };
        const r = await appendLedgerEntries(tx, [{ ...base, points: amount - now }]);
        return { balance: r.inserted ? amount : now, from: now, duplicate: r.inserted === 0 };
      });
      balance = result.balance;
      from = result.from;
      duplicate = result.duplicate;
    }
    if (!duplicate && from !== balance) {
      await auditAction(ctx, call, 'points.adjust', { viewer: viewer.username, kickUserId: viewer.kickUserId, op, amount, reason, balance: { from, to: balance } });
    }
    const verb = op === 'give' ? `Gave ${formatPointsAmount(amount)} to` : op === 'take' ? `Took ${formatPointsAmount(amount)} from` : `Set the balance of`;
    const tail = op === 'set' ? ` to ${formatPoints(amount)}` : '';
    return {
      message: duplicate ? `This change was already applied. ${viewer.username} has ${formatPointsAmount(balance)}.` : `✅ ${verb} **${viewer.username}**${tail} — balance now ${formatPoints(balance)}. Reason: ${reason}`,
      data: { kickUserId: viewer.kickUserId, username: viewer.username, balance, duplicate },
    };
  },
});

/** Every loyalty action. */
export const loyaltyActions = [changeLoyaltySettings, adjustPoints] as const;
