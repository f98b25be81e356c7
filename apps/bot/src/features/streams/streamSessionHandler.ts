/**
 * Stream sessions from Kick events (every linked channel): `livestream.status.updated` opens and closes
 * them, `livestream.metadata.updated` keeps their title and category. Idempotent on the Kick message id.
 */
import type { BotContext } from '../../context.ts';
import type { KickEventHandler } from '../../kickEvents/KickEventHandler.ts';
import { applyLiveStatus, applyStreamMetadata } from './streamSessions.ts';

function parseTime(value: string | null | undefined): Date | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isFinite(d.getTime()) && d.getUTCFullYear() > 1970 ? d : null;
}

/** Kick's go-live event carries no category: look it up once (best effort; the live-status poll also fills it). */
async function fillCategory(ctx: BotContext, broadcasterUserId: number, sessionId: string): Promise<void> {
  try {
    const [channel] = await ctx.kickApp.getChannels({ broadcasterUserIds: [broadcasterUserId] });
    const categoryName = channel?.category?.name;
    if (!categoryName) return;
    await ctx.prisma.streamSession.updateMany({ where: { id: sessionId, categoryName: null }, data: { categoryName } });
    await ctx.prisma.kickChannel.updateMany({ where: { broadcasterUserId }, data: { categoryName } });
  } catch (error) {
    ctx.logger.debug({ err: error, broadcasterUserId }, 'could not look up the new stream category');
  }
}

/** Opens/closes stream sessions and keeps their title and category. */
export const streamSessionHandler: KickEventHandler = {
  name: 'stream-sessions',
  types: ['livestream.status.updated', 'livestream.metadata.updated'],
  async handle(ctx, { event, job, broadcasterUserId }) {
    const observedAt = parseTime(job.messageTimestamp) ?? ctx.now();
    if (event.type === 'livestream.status.updated') {
      const p = event.payload;
      const outcome = await applyLiveStatus(ctx.prisma, {
        broadcasterUserId,
        isLive: p.is_live,
        startedAt: parseTime(p.started_at),
        endedAt: parseTime(p.ended_at),
        title: p.title || null,
        observedAt,
        source: 'webhook',
      });
      ctx.logger.info({ broadcasterUserId, messageId: job.messageId, ...outcome }, 'live status event');
      if (outcome.action === 'opened') await fillCategory(ctx, broadcasterUserId, outcome.sessionId);
    } else if (event.type === 'livestream.metadata.updated') {
      const m = event.payload.metadata;
      await applyStreamMetadata(ctx.prisma, { broadcasterUserId, title: m.title || null, categoryName: m.category?.name ?? null, observedAt });
    }
  },
};
