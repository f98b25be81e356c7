import type { GatewayStats, RateLimitOptions, RateLimitStats, ShardingOptions } from './limitTypes.ts';

/** Options for {@link startDiscordSim}. */
export interface DiscordSimOptions {
  /** HTTP/WebSocket port on 127.0.0.1 (default 0 = a free port). */
  port?: number;
  /** The bot user's id (default: a fresh snowflake). */
  botUserId?: string;
  /** The bot user's username (default `kickcord-sim`). */
  botUsername?: string;
  /** The application id (default: a fresh snowflake). */
  applicationId?: string;
  /** The bot token the client must present (default: a random fake token). */
  token?: string;
  /** Gateway heartbeat interval sent in HELLO (default 41250 ms, like Discord). */
  heartbeatIntervalMs?: number;
  /**
   * How long an interaction may stay unacknowledged before its callback answers 404 Unknown Interaction (10062).
   * Discord uses 3000 ms; the default here is 10000 ms so loaded CI machines do not flake.
   */
  interactionAckTimeoutMs?: number;
  /** Gateway sharding: recommended shard count, 4011 threshold, identify concurrency, session starts. */
  sharding?: ShardingOptions;
  /**
   * REST rate limits (per-route buckets with `X-RateLimit-*` headers, global per-token limit).
   * Off by default (no headers, no 429s but those forced with `rateLimitNext`); `{}` turns them on with Discord's defaults.
   */
  rateLimits?: RateLimitOptions | false;
  /** The application's user OAuth2 (see {@link DiscordSim.setOAuthConsent}). */
  oauth2?: {
    /** Client secret the token endpoint accepts (default: random; read it from {@link DiscordSim.oauthClientSecret}). */
    clientSecret?: string;
    /** Registered redirect URIs (default none = any URI is accepted). */
    redirectUris?: string[];
    /** Access token lifetime (default 7 days, like Discord). */
    accessTokenTtlMs?: number;
  };
}

/** A channel as given to {@link DiscordSim.addGuild}. */
export interface SimChannelInput {
  id?: string;
  name: string;
  /** Discord channel type (default 0 = GUILD_TEXT). */
  type?: number;
}

/** A role as given to {@link DiscordSim.addGuild}. */
export interface SimRoleInput {
  id?: string;
  name: string;
  /** Permission bitfield as a decimal string (default `'0'`). */
  permissions?: string;
}

/** What {@link DiscordSim.updateRole} changes, as a server admin would in Server Settings → Roles. */
export interface SimRoleUpdate {
  name?: string;
  permissions?: string;
  /** New position (1 = just above @everyone); the other roles move to make room, as Discord reorders them. */
  position?: number;
}

/** A member as given to {@link DiscordSim.addGuild} / {@link DiscordSim.addMember}. */
export interface SimMemberInput {
  id: string;
  username: string;
  /** Role ids (not names). */
  roles?: string[];
  bot?: boolean;
}

/** Input of {@link DiscordSim.addGuild}. */
export interface SimGuildInput {
  id?: string;
  name: string;
  channels?: SimChannelInput[];
  roles?: SimRoleInput[];
  members?: SimMemberInput[];
  /** Owner user id (default: the first member, else a fresh id). The owner has every permission. */
  ownerId?: string;
}

/** A simulated channel. */
export interface SimChannel {
  id: string;
  guildId: string;
  name: string;
  type: number;
  position: number;
  /** Discord permission overwrites (`allow`/`deny` as decimal strings). */
  permissionOverwrites: { id: string; type: 0 | 1; allow: string; deny: string }[];
}

/** A simulated role. The @everyone role has the guild's id. */
export interface SimRole {
  id: string;
  name: string;
  permissions: string;
  position: number;
  managed: boolean;
}

/** A simulated guild member. */
export interface SimMember {
  id: string;
  username: string;
  roles: string[];
  bot: boolean;
  joinedAt: string;
}

/** A simulated guild (live view of the simulator's state). */
export interface SimGuild {
  id: string;
  name: string;
  ownerId: string;
  channels: SimChannel[];
  roles: SimRole[];
  members: SimMember[];
  /** True once {@link DiscordSim.removeGuild} ran. */
  removed: boolean;
}

/** A stored file of a message or interaction response. */
export interface SimAttachment {
  id: string;
  filename: string;
  contentType: string | null;
  size: number;
  /** Served by the simulator's own HTTP server. */
  url: string;
  content: Buffer;
}

/** A message the bot created (channel message, interaction reply or follow-up). */
export interface SimMessage {
  id: string;
  channelId: string;
  guildId: string | null;
  content: string;
  embeds: unknown[];
  components: unknown[];
  /** `allowed_mentions` exactly as the bot sent it (null if it sent none). */
  allowedMentions: unknown;
  nonce: string | number | null;
  attachments: SimAttachment[];
  /** Discord message flags (64 = ephemeral, 128 = loading/deferred). */
  flags: number;
  /** The interaction this message answers, if any. */
  interactionId: string | null;
  /** Ephemeral messages are only visible to the invoking user and are not listed by `messages()`. */
  ephemeral: boolean;
  deleted: boolean;
  createdAt: Date;
  editedAt: Date | null;
}

/** One REST request the simulator received. */
export interface RestCallRecord {
  method: string;
  /** Path after `/api/v10`, with the query string (e.g. `/channels/1/messages`). */
  path: string;
  /** Parsed JSON body (for multipart: the parsed `payload_json`), or null. */
  body: unknown;
  /** Status the simulator answered. */
  status: number;
  at: Date;
  /** The `X-Audit-Log-Reason` header, decoded, when the request carried one. */
  auditLogReason?: string;
}

/** One answer of the bot to an interaction. */
export interface InteractionResponseRecord {
  kind: 'callback' | 'followup' | 'edit' | 'delete';
  /** Callback type (4 reply, 5 deferred, 6 deferred update, 7 update, 8 autocomplete result, 9 modal). */
  type?: number;
  data: unknown;
  ephemeral: boolean;
  files?: { filename: string; content: Buffer }[];
  /** The message created or edited by this response, if any. */
  messageId?: string;
  at: Date;
}

/** Leaf option values of an interaction, by option name. */
export type SimOptionValues = Record<string, string | number | boolean>;

/** An interaction the simulator dispatched, with the bot's answers filling in as they arrive. */
export interface InteractionRecord {
  id: string;
  token: string;
  /** 2 application command, 3 message component, 4 autocomplete. */
  type: number;
  guildId: string;
  channelId: string;
  userId: string;
  /** Command name (for a button click: the custom_id). */
  commandName: string;
  subcommandGroup: string | null;
  subcommand: string | null;
  /** Leaf option values by name (user/channel/role/attachment options hold the id). */
  options: SimOptionValues;
  /** The raw `data.options` sent to the client. */
  rawOptions: unknown[];
  /** The full INTERACTION_CREATE payload. */
  payload: Record<string, unknown>;
  responses: InteractionResponseRecord[];
  /** Message id of `@original` once it exists. */
  originalMessageId: string | null;
}

/** Options of {@link DiscordSim.invoke}. */
export interface InvokeOptions {
  /** Channel the command is used in (default: the guild's first text channel). */
  channelId?: string;
  /** The member's permission bitfield; default: computed from @everyone + the member's roles. */
  permissions?: bigint | string;
  /** Role ids the member has (default: the member's roles in the guild). */
  roles?: string[];
  /** `autocomplete` sends type 4 with the last given option focused. */
  type?: 'command' | 'autocomplete';
  /** Skip the check that the member holds the command's `default_member_permissions`. */
  bypassCommandPermissions?: boolean;
  locale?: string;
}

/** Options of {@link DiscordSim.clickButton}. */
export interface ClickOptions {
  permissions?: bigint | string;
  roles?: string[];
  /** Component type (default 2 = button; 3 string select etc.). */
  componentType?: number;
  /** Selected values for select menus. */
  values?: string[];
  locale?: string;
}

/** Input of {@link DiscordSim.addAttachment}. */
export interface SimAttachmentInput {
  filename: string;
  contentType?: string;
  content: Buffer | string;
}

/** A registered application command as Discord returns it. */
export interface RegisteredCommand {
  id: string;
  application_id: string;
  guild_id?: string;
  version: string;
  name: string;
  type: number;
  description: string;
  options?: CommandOptionDef[];
  default_member_permissions: string | null;
  [key: string]: unknown;
}

/** An application command option definition. */
export interface CommandOptionDef {
  type: number;
  name: string;
  description?: string;
  required?: boolean;
  choices?: { name: string; value: string | number }[];
  options?: CommandOptionDef[];
  autocomplete?: boolean;
  channel_types?: number[];
  min_value?: number;
  max_value?: number;
  min_length?: number;
  max_length?: number;
  [key: string]: unknown;
}

/** Which REST calls {@link DiscordSim.rateLimitNext} answers with 429. */
export interface RateLimitMatch {
  method?: string;
  /** Prefix of the path after `/api/v10`, e.g. `/channels/123/messages`. */
  pathPrefix?: string;
}

/** Handle of a running simulator. */
export interface DiscordSim {
  /** `http://127.0.0.1:PORT/api` — pass as discord.js `rest: { api }` (it appends `/v10`). */
  readonly apiUrl: string;
  /** `ws://127.0.0.1:PORT/gateway` (also returned by `GET /gateway/bot`). */
  readonly gatewayUrl: string;
  /** `http://127.0.0.1:PORT` — serves attachments under `/cdn/`. */
  readonly baseUrl: string;
  readonly token: string;
  readonly applicationId: string;
  readonly botUserId: string;
  /** The application's OAuth2 client secret (`POST /oauth2/token` client authentication). */
  readonly oauthClientSecret: string;

  addGuild(input: SimGuildInput): SimGuild;
  /**
   * Add `count` guilds at once (for sharding tests). Ids are snowflakes with consecutive timestamps, so they
   * spread evenly over shards. `input(i)` may set anything but the id (default: `Guild <i+1>` with a `general` channel).
   */
  addGuilds(count: number, input?: (index: number) => Omit<SimGuildInput, 'id'>): SimGuild[];
  removeGuild(guildId: string): void;
  getGuild(guildId: string): SimGuild | undefined;
  addChannel(guildId: string, input: SimChannelInput): SimChannel;
  deleteChannel(guildId: string, channelId: string): void;
  /** A new role, placed at the bottom of the role list (position 1, just above @everyone) as Discord creates roles. */
  addRole(guildId: string, input: SimRoleInput): SimRole;
  /** Change a role (the bot's own role too: find it with `managed` in `getGuild(id).roles`); sends GUILD_ROLE_UPDATE. */
  updateRole(guildId: string, roleId: string, update: SimRoleUpdate): SimRole;
  addMember(guildId: string, input: SimMemberInput): SimMember;
  setChannelPermissions(channelId: string, perms: { canSend: boolean }): void;
  addAttachment(input: SimAttachmentInput): SimAttachment;
  /** A Discord user who is in no guild yet (e.g. someone opening a Linked Roles verification link). */
  addUser(input: { id: string; username: string }): void;

  /**
   * Who is "logged in" to approve `GET /oauth2/authorize` (Discord's consent page): the next authorize requests
   * redirect to `redirect_uri?code=…&state=…` as if that user clicked Authorize (or `?error=access_denied` with
   * `approve: false`). A `sim_user_id` (and `sim_deny`) query parameter on the authorize URL overrides it.
   */
  setOAuthConsent(consent: OAuthConsent | null): void;
  /** Register a redirect URI; once any is registered, authorize and token requests must use a registered one. */
  addOAuthRedirectUri(uri: string): void;
  /** The user removes the app under User Settings → Authorized Apps: their access and refresh tokens stop working. */
  revokeUserAuthorization(userId: string): void;
  /** The user's access tokens expire now (a refresh still works). */
  expireUserAccessTokens(userId: string): void;
  /** The application's role connection metadata records (Linked Roles). */
  roleConnectionMetadata(): RoleConnectionMetadataRecord[];
  /** The user's role connection for the application, or null if none was written. */
  roleConnection(userId: string): UserRoleConnection | null;

  invoke(guildId: string, userId: string, commandLine: string, opts?: InvokeOptions): Promise<InteractionRecord>;
  clickButton(message: SimMessage | { id: string; channelId: string }, customId: string, userId: string, opts?: ClickOptions): Promise<InteractionRecord>;

  waitForMessage(channelId: string, predicate?: (m: SimMessage) => boolean, timeoutMs?: number): Promise<SimMessage>;
  waitForInteractionResponse(record: InteractionRecord, predicate?: (r: InteractionResponseRecord) => boolean, timeoutMs?: number): Promise<InteractionResponseRecord>;
  waitForReady(timeoutMs?: number): Promise<void>;

  /** Non-ephemeral, non-deleted messages (of one channel, or all), in creation order. */
  messages(channelId?: string): SimMessage[];
  /** Every message including ephemeral and deleted ones. */
  allMessages(): SimMessage[];
  readonly restCalls: RestCallRecord[];
  readonly interactions: InteractionRecord[];
  registeredCommands(guildId?: string): RegisteredCommand[];

  rateLimitNext(match: RateLimitMatch, retryAfterSec: number): void;
  /** Replace the REST rate-limit settings (`false` = off); clears every bucket window. */
  configureRateLimits(options: RateLimitOptions | false): void;
  /** 429s answered so far: total, global, by route shape and by bucket. */
  rateLimitStats(): RateLimitStats;
  /** Zero the 429 counters. */
  resetRateLimitStats(): void;
  /** Close the client's socket with 4000 (resumable); events sent meanwhile are replayed on RESUME. */
  disconnectClient(): void;
  /** Number of currently open, identified gateway sockets. */
  connectedClients(): number;
  /** Gateway counters, every IDENTIFY (shard, rate-limit key, time, outcome), sessions and error closes. */
  gatewayStats(): GatewayStats;
  close(): Promise<void>;
}

/** Who approves the next authorize request in the "browser" (see `UserOAuth.setConsent`). */
export interface OAuthConsent {
  userId: string;
  /** false = the user presses Cancel: Discord redirects with `error=access_denied`. Default true. */
  approve?: boolean;
}

/** One validation problem at a JSON path, in Discord's Invalid Form Body style. */
export interface FormError {
  path: (string | number)[];
  code: string;
  message: string;
}

/** Application role connection metadata record, as Discord stores and returns it. */
export interface RoleConnectionMetadataRecord {
  /** 1–4 integer comparisons, 5–6 datetime comparisons, 7–8 boolean comparisons. */
  type: number;
  key: string;
  name: string;
  name_localizations?: Record<string, string> | null;
  description: string;
  description_localizations?: Record<string, string> | null;
}

/** A user's role connection for the application (metadata values are strings, as Discord returns them). */
export interface UserRoleConnection {
  platform_name: string | null;
  platform_username: string | null;
  metadata: Record<string, string>;
}
