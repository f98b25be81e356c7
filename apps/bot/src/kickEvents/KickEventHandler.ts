import type { KickEventJob, RedisConnection } from '@kickcord/queue';
import type { KickEvent, KickEventType } from '@kickcord/kick';
import type { BotContext } from '../context.ts';

/** A guild that receives a broadcaster's events; `owner` guilds hold the streamer's connection. */
export interface LinkedGuild {
  guildId: string;
  kind: 'watch' | 'owner';
}

/** What every handler of one delivery sees. */
export interface KickEventInput<E extends KickEvent = KickEvent> {
  event: E;
  job: KickEventJob;
  broadcasterUserId: number;
  /** Active guilds linked to the broadcaster (watchers and the owner). */
  guilds: readonly LinkedGuild[];
  /** The owner guild, if one has connected this channel. */
  owner: LinkedGuild | undefined;
  /**
   * The connection the kick-events worker marks this job completed on (a single Redis, never a cluster; absent
   * outside that worker). Redis runs one connection's commands in order, so a command sent on it before the
   * handler returns takes effect before the job counts as completed: an idempotent write may be left in flight
   * instead of awaited — a crash or a lost connection leaves the job to run again (see kickChat/chatTally.ts).
   */
  jobConnection?: RedisConnection | undefined;
}

/**
 * A feature's reaction to Kick events (announcements, sessions, loyalty, chat commands, games).
 * Handlers must be idempotent on the Kick message id: a job retried after a crash runs them all again.
 */
export interface KickEventHandler {
  name: string;
  types: readonly KickEventType[] | 'all';
  handle(ctx: BotContext, input: KickEventInput): Promise<void>;
}
