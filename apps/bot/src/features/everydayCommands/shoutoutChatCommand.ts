/**
 * `!so <user>` (moderators): a shout-out with the channel's link, title and category from Kick's
 * `GET /public/v1/channels?slug=`. Only a validated Kick username ever reaches chat (as Kick's slug).
 */
import { meetsLevel, targetUsername } from '@kickcord/core';
import type { KickChannel } from '@kickcord/kick';
import type { BotContext } from '../../context.ts';
import { builtinChatCommand, typedBuiltin } from '../../kickChat/builtinChatCommand.ts';

/** What a Kick username may look like (letters, digits, underscores; at most 25 characters). */
export const KICK_USERNAME_PATTERN = /^[A-Za-z0-9_]{1,25}$/;

/** Where a Kick channel is watched. */
export function kickChannelUrl(slug: string): string {
  return `https://kick.com/${encodeURIComponent(slug)}`;
}

/**
 * The channel of a Kick username. Kick's slugs are lower-case; a username with underscores can have a slug
 * with hyphens instead ⚠ (seen on kick.com, not documented), so that spelling is tried second.
 */
export async function channelOfUsername(ctx: Pick<BotContext, 'kickApp'>, username: string): Promise<KickChannel | null> {
  const slug = username.toLowerCase();
  const found = await ctx.kickApp.getChannelBySlug(slug);
  if (found || !slug.includes('_')) return found;
  return ctx.kickApp.getChannelBySlug(slug.replaceAll('_', '-'));
}

/** The shout-out line for a channel. */
export function shoutoutText(channel: Pick<KickChannel, 'slug' | 'streamTitle' | 'category' | 'stream'>): string {
  const title = channel.streamTitle.trim();
  const category = channel.category?.name.trim() ?? '';
  const what = [title ? `"${title}"` : '', category ? `in ${category}` : ''].filter(Boolean).join(' ');
  const live = channel.stream?.isLive ?? false;
  const tail = what ? (live ? ` They are live now: ${what}.` : ` They were last streaming ${what}.`) : '';
  return `Go check out ${channel.slug} at ${kickChannelUrl(channel.slug)}!${tail}`;
}

/** `!so <user>`. */
export const shoutoutChatCommand = builtinChatCommand('so', async (chat, ctx) => {
  if (!meetsLevel(chat.sender.level, 'moderator')) return null;
  const name = targetUsername(chat.command?.args[0]);
  if (!name) return `@${chat.sender.username} usage: ${typedBuiltin(chat, 'so')} <Kick username>`;
  if (!KICK_USERNAME_PATTERN.test(name)) return `@${chat.sender.username} that is not a Kick username.`;
  const channel = await channelOfUsername(ctx, name);
  if (!channel) return `@${chat.sender.username} Kick has no channel by that name.`;
  return shoutoutText(channel);
});
