/**
 * Every Redis key the bot writes, under the install's prefix (`QUEUE_PREFIX`, default `kc`), so two
 * installs can share one Redis or Redis Cluster and an operator can find an install's keys with
 * `SCAN MATCH <prefix>:*`. Keys that one Lua script or multi-key command touches together share a hash
 * tag (`{…}`), so they land in one Redis Cluster slot. BullMQ's queue keys live under `<prefix>:{q}` (see
 * `@kickcord/queue`'s keyspace).
 */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  /**
   * Chat activity of one channel for watchtime: the sorted set and hash one script updates together. They carry the
   * guild's tag, as every key of the per-message chat tally does (one script for all of them: kickChat/chatTally.ts).
   */
  activity(guildId: string, broadcasterUserId: number): { zset: string; hash: string } {
    const base = `${this.prefix}:act:{${guildId}}:${broadcasterUserId}`;
    return { zset: `${base}:z`, hash: `${base}:h` };
  }

  /**
   * Where releases before 2026-12-06 kept a channel's chat activity (tagged by guild and broadcaster). Read beside
   * {@link activity} until those keys expire (3 hours after their last write), so an upgrade loses no watchtime;
   * nothing writes them any more.
   */
  legacyActivity(guildId: string, broadcasterUserId: number): { zset: string; hash: string } {
    const tag = `{${guildId}:${broadcasterUserId}}`;
    return { zset: `${this.prefix}:act:${tag}:z`, hash: `${this.prefix}:act:${tag}:h` };
  }

  /** The last watchtime payout of a guild's channel that failed (JSON `{ at, sessionId, error }`), for `/kick status`. */
  watchtimeFailure(guildId: string): string {
    return `${this.prefix}:wt:fail:${guildId}`;
  }

  /** The last minute of watchtime paid for a stream session. */
  paidMarker(sessionId: string): string {
    return `${this.prefix}:wt:paid:${sessionId}`;
  }

  /** Set while a viewer counts as already known to a guild (first sight writes their stats row). */
  seenViewer(guildId: string, userId: number): string {
    return `${this.prefix}:seen:{${guildId}}:${userId}`;
  }

  /** Viewers seen for the first time, waiting to be written to PostgreSQL in one batch. */
  newViewers(): string {
    return `${this.prefix}:viewers:new`;
  }

  /** A guild's settings row, cached for the chat path. */
  guildSettings(guildId: string): string {
    return `${this.prefix}:settings:${guildId}`;
  }

  /** The keyword of the guild's raffle taking entries ('' = none). */
  raffleKeyword(guildId: string): string {
    return `${this.prefix}:raffle:kw:${guildId}`;
  }

  /** A custom command's use count as of one Kick message (so a retried job reads the same `{count}`). */
  commandUse(guildId: string, messageId: string): string {
    return `${this.prefix}:cmduse:{${guildId}}:${messageId}`;
  }

  /** Cooldown keys of one command: read and set together by one script. */
  cooldowns(guildId: string, commandName: string, userId: string | number): { global: string; user: string } {
    const cmd = commandName.toLowerCase();
    return { global: `${this.prefix}:cd:{${guildId}}:g:${cmd}`, user: `${this.prefix}:cd:{${guildId}}:u:${cmd}:${userId}` };
  }

  /** Chat lines counted for timers, the per-message "counted" flag and each timer's mark (one slot per guild). */
  timers(guildId: string): { lines: string; marks: string; lineSeen(messageId: string): string } {
    const base = `${this.prefix}:timers:{${guildId}}`;
    return { lines: `${base}:lines`, marks: `${base}:marks`, lineSeen: (messageId) => `${base}:seen:${messageId}` };
  }

  /** A points import waiting for the moderator's confirmation. */
  pendingImport(importId: string): string {
    return `${this.prefix}:import:${importId}`;
  }

  /** Bot messages sent into one Kick channel in one rate-limit window (shared by every worker). */
  chatOut(broadcasterUserId: number, window: number): string {
    return `${this.prefix}:chat-out:${broadcasterUserId}:${window}`;
  }

  /** A guild's chat filter rules and banned terms (JSON), cached for the chat path. */
  chatFilters(guildId: string): string {
    return `${this.prefix}:filters:${guildId}`;
  }

  /**
   * One viewer's offences against one chat filter within the escalation window, and the per-message mark
   * that makes a retried job count its message once (one script touches both: one slot per guild).
   */
  filterOffences(guildId: string, kickUserId: number, filter: string, messageId: string): { count: string; seen: string } {
    const base = `${this.prefix}:filters:{${guildId}}`;
    return { count: `${base}:off:${kickUserId}:${filter}`, seen: `${base}:hit:${messageId}:${filter}` };
  }

  /** The last message fingerprint of a viewer and how many times in a row they sent it (the repeats filter). */
  filterRepeats(guildId: string, kickUserId: number): string {
    return `${this.prefix}:filters:{${guildId}}:rep:${kickUserId}`;
  }

  /** A `!permit` for one link by this viewer (lower-case Kick username). */
  filterPermit(guildId: string, username: string): string {
    return `${this.prefix}:filters:{${guildId}}:permit:${username.toLowerCase()}`;
  }

  /** The Discord roles of a Kick viewer's linked Discord account in a guild (JSON list; '[]' when not linked). */
  linkedMemberRoles(guildId: string, kickUserId: number): string {
    return `${this.prefix}:filters:{${guildId}}:roles:${kickUserId}`;
  }

  /** Set once a one-time notice (e.g. "reconnect needed") was posted to a guild. */
  noticeSent(guildId: string, noticeKey: string): string {
    return `${this.prefix}:notice:{${guildId}}:${noticeKey}`;
  }

  /** One Discord IDENTIFY rate-limit key's slot, shared by every gateway process of the install. */
  identify(rateLimitKey: number): string {
    return `${this.prefix}:identify:${rateLimitKey}`;
  }

  /**
   * Account linking (`/link`, `!link CODE`): a code's record under the code's keyed hash (never the code itself), the
   * hash of a Discord user's current code, codes issued to a Discord user this hour, wrong codes typed by a Kick user
   * this hour, the outcome of one `!link` message (so a retried job repeats it), and a relink waiting for the
   * viewer's confirmation.
   */
  accountLink(): {
    code(codeHash: string): string;
    userCode(discordUserId: string): string;
    issued(discordUserId: string): string;
    failures(kickUserId: number): string;
    redeemed(messageId: string): string;
    pending(pendingId: string): string;
  } {
    const base = `${this.prefix}:link`;
    return {
      code: (codeHash) => `${base}:code:${codeHash}`,
      userCode: (discordUserId) => `${base}:user:${discordUserId}`,
      issued: (discordUserId) => `${base}:issued:${discordUserId}`,
      failures: (kickUserId) => `${base}:fail:${kickUserId}`,
      redeemed: (messageId) => `${base}:msg:${messageId}`,
      pending: (pendingId) => `${base}:pending:${pendingId}`,
    };
  }

  /** Role rewards: each viewer's configured Kick badges as last seen in chat (hash: Kick user id → badge types). */
  roleRewardBadges(guildId: string): string {
    return `${this.prefix}:rr:badges:{${guildId}}`;
  }

  /** Role rewards: viewers waiting for a role sync (set of `<guild id>:<Kick user id>`). */
  roleRewardPending(): string {
    return `${this.prefix}:rr:pending`;
  }

  /** Role rewards: guilds waiting for a full reconciliation (set of guild ids). */
  roleRewardReconcile(): string {
    return `${this.prefix}:rr:reconcile`;
  }

  /** Role rewards: how far the sync has read a source (`ledger` row id, `links` time). */
  roleRewardCursor(source: 'ledger' | 'links'): string {
    return `${this.prefix}:rr:cursor:${source}`;
  }

  /** Role rewards: set while a linked Discord user is known not to be a member of the guild. */
  roleRewardNotMember(guildId: string, discordUserId: string): string {
    return `${this.prefix}:rr:notmember:{${guildId}}:${discordUserId}`;
  }

  /** Role rewards: the guild's last problem at use (JSON `{ at, text }`), for `/role-rewards list`. */
  roleRewardProblem(guildId: string): string {
    return `${this.prefix}:rr:problem:${guildId}`;
  }

  /** A short lock so only one worker runs a periodic flush at a time. */
  lock(name: string): string {
    return `${this.prefix}:lock:${name}`;
  }
}
