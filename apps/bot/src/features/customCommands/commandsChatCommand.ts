import { builtinChatCommand } from '../../kickChat/builtinChatCommand.ts';

/** The public command list page of a channel on the web app (`apps/web`, `GET /c/<slug>/commands`). */
export function commandListUrl(publicUrl: string, slug: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/c/${encodeURIComponent(slug.toLowerCase())}/commands`;
}

/** `!commands`: a link to the channel's public command list (built-ins that are on, counters and custom commands), or that it is not public. */
export const commandsChatCommand = builtinChatCommand('commands', async (chat, ctx) => {
  // The guild turned its command list page off (dashboard → Public pages): no link to a page that says "not public".
  if (!chat.settings.publicCommandList) return 'The command list of this channel is not public.';
  const slug =
    chat.payload.broadcaster.channel_slug ??
    (await ctx.prisma.kickChannel.findUnique({ where: { broadcasterUserId: chat.broadcasterUserId }, select: { slug: true } }))?.slug ??
    null;
  if (!slug) return null;
  return `Commands, who may use them, cooldowns and costs: ${commandListUrl(ctx.env.PUBLIC_URL, slug)}`;
});
