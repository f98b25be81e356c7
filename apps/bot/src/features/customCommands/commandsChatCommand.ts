import { builtinChatCommand } from '../../kickChat/builtinChatCommand.ts';

/** The public command list page of a channel on the web app (`apps/web`, `GET /c/<slug>/commands`). */
export function commandListUrl(publicUrl: string, slug: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/c/${encodeURIComponent(slug.toLowerCase())}/commands`;
}

/** `!commands`: a link to the channel's public command list (built-ins that are on, counters and custom commands). */
export const commandsChatCommand = builtinChatCommand('commands', async (chat, ctx) => {
  const slug =
    chat.payload.broadcaster.channel_slug ??
    (await ctx.prisma.kickChannel.findUnique({ where: { broadcasterUserId: chat.broadcasterUserId }, select: { slug: true } }))?.slug ??
    null;
  if (!slug) return null;
  return `Commands, who may use them, cooldowns and costs: ${commandListUrl(ctx.env.PUBLIC_URL, slug)}`;
});
