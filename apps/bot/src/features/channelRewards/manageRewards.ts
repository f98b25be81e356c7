/** How `/rewards` and the dashboard name the channel's Kick rewards: colours, one line per reward, and picking one. */
import type { KickReward } from '@kickcord/kick';
import { formatPoints } from '../../formatPoints.ts';
import { UserFacingError } from '../../UserFacingError.ts';

/** `#RRGGBB` (a leading `#` optional), as Kick takes a reward's colour. */
export function parseColour(raw: string): string {
  const value = raw.trim().replace(/^#?/, '#');
  if (!/^#[0-9a-fA-F]{6}$/.test(value)) throw new UserFacingError(`"${raw}" is not a colour: give six hex digits, e.g. \`#00e701\`.`);
  return value.toLowerCase();
}

/** One line about a reward: title, cost and how it behaves. */
export function describeReward(r: KickReward): string {
  const state = !r.isEnabled ? '⛔ disabled' : r.isPaused ? '⏸️ paused' : '✅ on';
  const extras = [r.isUserInputRequired ? 'asks for input' : null, r.shouldRedemptionsSkipRequestQueue ? 'skips the request queue' : null].filter(Boolean).join(', ');
  return `**${r.title}** — ${formatPoints(r.cost)} channel points · ${state}${extras ? ` · ${extras}` : ''}`;
}

/** The reward a moderator picked (autocomplete gives the id; a typed title is matched case-insensitively). */
export function pickReward(rewards: readonly KickReward[], typed: string): KickReward {
  const wanted = typed.trim();
  const reward = rewards.find((r) => r.id === wanted) ?? rewards.find((r) => r.title.toLowerCase() === wanted.toLowerCase());
  if (!reward) throw new UserFacingError(`The channel has no reward "${wanted.slice(0, 60)}". See \`/rewards list\`.`);
  return reward;
}
