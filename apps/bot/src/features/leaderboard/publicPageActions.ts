/**
 * Privacy of the guild's public web pages: whether the leaderboard page (`/leaderboard/<guild>`) is shown, with
 * which columns, and whether the command list page (`/c/<slug>/commands`, linked by `!commands`) is shown. The
 * dashboard's "Public pages" tab changes them through {@link setPublicPages}.
 */
import { auditChanges, type AuditDetailValue, type GuildSettings } from '@kickcord/db';
import { z } from 'zod';
import { auditAction, defineGuildAction } from '../../guildActions/GuildAction.ts';
import { forgetGuildSettings, guildSettings } from '../../guildSettings.ts';
import { UserFacingError } from '../../UserFacingError.ts';

/** The four switches as the action names them, and the guild settings column each one is. */
export const PUBLIC_PAGE_SWITCHES = {
  leaderboard: 'publicLeaderboard',
  leaderboardPoints: 'publicLeaderboardPoints',
  leaderboardWatchtime: 'publicLeaderboardWatchtime',
  commandList: 'publicCommandList',
} as const satisfies Record<string, keyof GuildSettings>;

/** A switch of {@link PUBLIC_PAGE_SWITCHES}. */
export type PublicPageSwitch = keyof typeof PUBLIC_PAGE_SWITCHES;

/** The state of every switch. */
export type PublicPageSettings = Record<PublicPageSwitch, boolean>;

/** How each switch is named to people. */
export const PUBLIC_PAGE_LABELS: Record<PublicPageSwitch, string> = {
  leaderboard: 'the public leaderboard',
  leaderboardPoints: 'points on the public leaderboard',
  leaderboardWatchtime: 'watch time on the public leaderboard',
  commandList: 'the public command list',
};

const SWITCH_NAMES = Object.keys(PUBLIC_PAGE_SWITCHES) as PublicPageSwitch[];

const switchSchema = (name: PublicPageSwitch) => z.boolean({ error: () => `Say whether ${PUBLIC_PAGE_LABELS[name]} is on or off (true or false).` }).optional();

/** The guild's public page switches as stored. */
export function publicPageSettingsOf(settings: Pick<GuildSettings, (typeof PUBLIC_PAGE_SWITCHES)[PublicPageSwitch]>): PublicPageSettings {
  return {
    leaderboard: settings.publicLeaderboard,
    leaderboardPoints: settings.publicLeaderboardPoints,
    leaderboardWatchtime: settings.publicLeaderboardWatchtime,
    commandList: settings.publicCommandList,
  };
}

/** One sentence per page saying what the public sees. */
export function describePublicPages(s: PublicPageSettings): string {
  const columns = [s.leaderboardPoints ? 'points' : '', s.leaderboardWatchtime ? 'watch time' : ''].filter(Boolean);
  const leaderboard = s.leaderboard
    ? `Leaderboard: public, showing ranks and names${columns.length ? ` with ${columns.join(' and ')}` : ' only'}.`
    : 'Leaderboard: not public (its page answers "not public").';
  const commandList = s.commandList ? 'Command list: public (`!commands` links to it).' : 'Command list: not public (`!commands` says so instead of linking to it).';
  return `${leaderboard}\n${commandList}`;
}

/**
 * The dashboard's "Public pages" Save: turns any of the four switches on or off (those left out stay as they
 * are). A change is written to the guild settings, the chat path's cached copy is dropped (so `!commands` follows
 * at once) and an audit entry `public.settings` names each switch that changed.
 */
export const setPublicPages = defineGuildAction({
  name: 'public.settings',
  input: z.object({
    leaderboard: switchSchema('leaderboard'),
    leaderboardPoints: switchSchema('leaderboardPoints'),
    leaderboardWatchtime: switchSchema('leaderboardWatchtime'),
    commandList: switchSchema('commandList'),
  }),
  async run(ctx, call, input) {
    const given = SWITCH_NAMES.filter((name) => input[name] !== undefined);
    if (given.length === 0) throw new UserFacingError(`Nothing to change: say which of ${SWITCH_NAMES.join(', ')} to turn on or off.`);
    const current = publicPageSettingsOf(await guildSettings(ctx.prisma, call.guildId));
    const next: PublicPageSettings = { ...current };
    for (const name of given) next[name] = input[name] ?? current[name];
    const changed = given.filter((name) => next[name] !== current[name]);
    if (changed.length > 0) {
      const data = Object.fromEntries(changed.map((name) => [PUBLIC_PAGE_SWITCHES[name], next[name]])) as Partial<Pick<GuildSettings, (typeof PUBLIC_PAGE_SWITCHES)[PublicPageSwitch]>>;
      await ctx.prisma.guildSettings.update({ where: { guildId: call.guildId }, data });
      await forgetGuildSettings(ctx, call.guildId);
      const before: Record<string, AuditDetailValue> = Object.fromEntries(changed.map((name) => [name, current[name]]));
      const after: Record<string, AuditDetailValue> = Object.fromEntries(changed.map((name) => [name, next[name]]));
      await auditAction(ctx, call, 'public.settings', auditChanges(before, after));
    }
    const summary = describePublicPages(next);
    return {
      message: changed.length > 0 ? `✅ Saved the public pages.\n${summary}` : `Nothing changed: the public pages were already set this way.\n${summary}`,
      data: { ...next },
    };
  },
});

/** Every public page action. */
export const publicPageActions = [setPublicPages] as const;
