/**
 * The chat games' settings (`/games gamble|duel` and the dashboard's Chat extras page): `!gamble` and `!duel` on or
 * off, with their win chance, bet limits, cooldowns and duel expiry. Numbers come from slash command options or as a
 * form's text; every problem is a sentence, nothing is changed while one remains, and a change that differs is
 * audited with the chat path's cached settings dropped.
 */
import { MAX_BALANCE, type AuditDetailValue, type GuildSettings } from '@kickcord/db';
import { z } from 'zod';
import type { BotContext } from '../../context.ts';
import { formatPoints } from '../../formatPoints.ts';
import { auditAction, defineGuildAction } from '../../guildActions/GuildAction.ts';
import { forgetGuildSettings, guildSettings } from '../../guildSettings.ts';
import { UserFacingError } from '../../UserFacingError.ts';

/** Longest cooldown and duel expiry, in seconds (one day). */
export const MAX_GAME_SECONDS = 86_400;

/** The games' settings a moderator can change. */
export type GamesSettings = Pick<
  GuildSettings,
  'gambleEnabled' | 'gambleWinChance' | 'gambleMinBet' | 'gambleMaxBet' | 'gambleCooldownSec' | 'duelEnabled' | 'duelMinBet' | 'duelMaxBet' | 'duelCooldownSec' | 'duelExpirySec'
>;

/** Writes games settings (checked as a whole: minimum ≤ maximum) and drops the chat path's cached copy. */
export async function updateGamesSettings(ctx: Pick<BotContext, 'prisma' | 'redis' | 'keys' | 'localCopies'>, guildId: string, changes: Partial<GamesSettings>): Promise<GamesSettings> {
  const current = await guildSettings(ctx.prisma, guildId);
  const next = { ...current, ...changes };
  if (next.gambleMinBet > next.gambleMaxBet) throw new UserFacingError(`The smallest bet (${formatPoints(next.gambleMinBet)}) is above the largest (${formatPoints(next.gambleMaxBet)}).`);
  if (next.duelMinBet > next.duelMaxBet) throw new UserFacingError(`The smallest stake (${formatPoints(next.duelMinBet)}) is above the largest (${formatPoints(next.duelMaxBet)}).`);
  if (next.gambleWinChance < 1 || next.gambleWinChance > 99) throw new UserFacingError('The win chance is a percentage from 1 to 99.');
  const saved = await ctx.prisma.guildSettings.update({ where: { guildId }, data: changes });
  await forgetGuildSettings(ctx, guildId);
  return saved;
}

/** The settings in words, as `/games` shows them. */
export function describeGames(s: GamesSettings): string {
  return [
    `**!gamble** ${s.gambleEnabled ? 'on' : 'off'} · win chance ${s.gambleWinChance}% · bets ${formatPoints(s.gambleMinBet)}–${formatPoints(s.gambleMaxBet)} · cooldown ${s.gambleCooldownSec}s`,
    `**!duel** ${s.duelEnabled ? 'on' : 'off'} · stakes ${formatPoints(s.duelMinBet)}–${formatPoints(s.duelMaxBet)} · cooldown ${s.duelCooldownSec}s · ${s.duelExpirySec}s to !accept`,
  ].join('\n');
}

/** A number as a slash command option gives it, or as a form field sends it (text, checked in {@link readWhole}). */
const numberInput = z.union([z.number(), z.string().max(40, 'A number is at most 40 characters.')]).optional();

/** A whole number within limits, undefined when left out; a sentence naming the field in `errors` otherwise. */
function readWhole(label: string, value: number | string | undefined, min: number, max: number, errors: string[]): number | undefined {
  if (value === undefined) return undefined;
  const text = typeof value === 'number' ? String(value) : value.trim();
  if (text === '') {
    errors.push(`${label} is empty: enter a whole number.`);
    return undefined;
  }
  const n = /^-?\d{1,12}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    errors.push(`${label} must be a whole number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')} (got "${text.slice(0, 40)}").`);
    return undefined;
  }
  return n;
}

/** Writes the given settings (refusing every problem at once), audits what differs, and answers the settings in words. */
async function change(ctx: BotContext, call: Parameters<typeof auditAction>[1], action: string, changes: { [K in keyof GamesSettings]?: GamesSettings[K] | undefined }, errors: string[]): Promise<{ message: string }> {
  if (errors.length === 1) throw new UserFacingError(errors[0] ?? '');
  if (errors.length > 1) throw new UserFacingError(['Nothing was changed:', ...errors.map((e) => `• ${e}`)].join('\n'));
  const before = await guildSettings(ctx.prisma, call.guildId);
  const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as Partial<GamesSettings>;
  const saved = await updateGamesSettings(ctx, call.guildId, defined);
  const detail: Record<string, AuditDetailValue> = {};
  for (const key of Object.keys(defined) as (keyof GamesSettings)[]) if (before[key] !== saved[key]) detail[key] = { from: before[key], to: saved[key] };
  if (Object.keys(detail).length > 0) await auditAction(ctx, call, action, detail);
  return { message: describeGames(saved) };
}

/** `/games gamble`: `!gamble` on or off, its win chance, bet limits and cooldown (numbers left out stay as they are). */
export const gambleSettingsAction = defineGuildAction({
  name: 'chatGames.gamble',
  input: z.object({ enabled: z.boolean({ error: 'Say whether !gamble is on.' }), winChance: numberInput, minBet: numberInput, maxBet: numberInput, cooldown: numberInput }),
  async run(ctx, call, input) {
    const errors: string[] = [];
    const changes = {
      gambleEnabled: input.enabled,
      gambleWinChance: readWhole('The win chance', input.winChance, 1, 99, errors),
      gambleMinBet: readWhole('The smallest bet', input.minBet, 1, MAX_BALANCE, errors),
      gambleMaxBet: readWhole('The largest bet', input.maxBet, 1, MAX_BALANCE, errors),
      gambleCooldownSec: readWhole('The cooldown', input.cooldown, 0, MAX_GAME_SECONDS, errors),
    };
    return change(ctx, call, 'chatGames.gamble', changes, errors);
  },
});

/** `/games duel`: `!duel` on or off, its stake limits, cooldown and the time to `!accept`. */
export const duelSettingsAction = defineGuildAction({
  name: 'chatGames.duel',
  input: z.object({ enabled: z.boolean({ error: 'Say whether !duel is on.' }), minBet: numberInput, maxBet: numberInput, cooldown: numberInput, expiry: numberInput }),
  async run(ctx, call, input) {
    const errors: string[] = [];
    const changes = {
      duelEnabled: input.enabled,
      duelMinBet: readWhole('The smallest stake', input.minBet, 1, MAX_BALANCE, errors),
      duelMaxBet: readWhole('The largest stake', input.maxBet, 1, MAX_BALANCE, errors),
      duelCooldownSec: readWhole('The cooldown', input.cooldown, 0, MAX_GAME_SECONDS, errors),
      duelExpirySec: readWhole('The time to !accept', input.expiry, 10, MAX_GAME_SECONDS, errors),
    };
    return change(ctx, call, 'chatGames.duel', changes, errors);
  },
});

/** Every chat games action. */
export const chatGamesActions = [gambleSettingsAction, duelSettingsAction] as const;
