/**
 * Confirms live status from Kick's channel API on a schedule, because Kick's webhooks can be late or
 * never arrive: opens sessions Kick never announced and closes sessions Kick never reported offline.
 */
import { KICK_CHANNELS_MAX_LOOKUP } from '@kickcord/kick';
import { MaintenanceJob } from '@kickcord/queue';
import type { BotContext } from '../../context.ts';
import type { MaintenanceTask } from '../../maintenance/MaintenanceTask.ts';
import { applyLiveStatus, type LiveStatusOutcome } from './streamSessions.ts';

/** What one live-status check did. */
export interface LiveStatusCheckSummary {
  channels: number;
  lookups: number;
  opened: number;
  closed: number;
  failedLookups: number;
}

/**
 * Checks every channel linked to an active guild, 50 per Kick API call. A lookup that fails is logged
 * and skipped (the next run tries again); one failing batch does not stop the others.
 */
export async function runLiveStatusCheck(ctx: Pick<BotContext, 'prisma' | 'kickApp' | 'logger' | 'now'>): Promise<LiveStatusCheckSummary> {
  const channels = await ctx.prisma.kickChannel.findMany({
    where: { links: { some: { guild: { active: true } } } },
    select: { broadcasterUserId: true },
    orderBy: { broadcasterUserId: 'asc' },
  });
  const summary: LiveStatusCheckSummary = { channels: channels.length, lookups: 0, opened: 0, closed: 0, failedLookups: 0 };
  const ids = channels.map((c) => c.broadcasterUserId);
  for (let i = 0; i < ids.length; i += KICK_CHANNELS_MAX_LOOKUP) {
    const batch = ids.slice(i, i + KICK_CHANNELS_MAX_LOOKUP);
    summary.lookups++;
    let found;
    try {
      found = await ctx.kickApp.getChannels({ broadcasterUserIds: batch });
    } catch (error) {
      summary.failedLookups++;
      ctx.logger.warn({ err: error, first: batch[0], count: batch.length }, 'live status lookup failed');
      continue;
    }
    const now = ctx.now();
    const byId = new Map(found.map((c) => [c.broadcasterUserId, c]));
    for (const id of batch) {
      const channel = byId.get(id);
      if (!channel) continue; // Kick did not answer for it (deleted/banned channel): leave it alone
      const isLive = channel.stream?.isLive ?? false;
      let outcome: LiveStatusOutcome;
      try {
        outcome = await applyLiveStatus(ctx.prisma, {
          broadcasterUserId: id,
          isLive,
          startedAt: isLive ? (channel.stream?.startTime ?? null) : null,
          endedAt: null,
          title: channel.streamTitle || null,
          categoryName: channel.category?.name ?? null,
          observedAt: now,
          source: 'poll',
        });
      } catch (error) {
        ctx.logger.warn({ err: error, broadcasterUserId: id }, 'live status update failed');
        continue;
      }
      if (outcome.action === 'opened') summary.opened++;
      if (outcome.action === 'closed') summary.closed++;
      if (outcome.action === 'opened' || outcome.action === 'closed') ctx.logger.info({ broadcasterUserId: id, ...outcome }, 'stream session changed by live-status poll');
    }
    await ctx.prisma.kickChannel.updateMany({ where: { broadcasterUserId: { in: batch } }, data: { lastLiveCheckAt: now } });
  }
  return summary;
}

/** Every 2 minutes: confirm live status from Kick's channel API (missed go-live/offline webhooks). */
export const liveStatusCheckTask: MaintenanceTask = {
  name: MaintenanceJob.LiveStatusCheck,
  everyMs: 2 * 60_000,
  run: (ctx) => runLiveStatusCheck(ctx),
};
