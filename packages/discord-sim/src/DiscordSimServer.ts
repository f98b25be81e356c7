import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiAttachment, apiChannel, apiMember, apiRole, apiUser, type RoleState, type SimUser } from './apiObjects.ts';
import { checkRequiredOptions, matchCommandLine, SUB_COMMAND, SUB_COMMAND_GROUP } from './commandLine.ts';
import { formErrorsObject, validateCommands, type FormError } from './commandValidation.ts';
import { DiscordSimError } from './DiscordSimError.ts';
import { Gateway, Intent } from './Gateway.ts';
import { validateMessagePayload } from './messageValidation.ts';
import { ALL_PERMISSIONS, basePermissions, channelPermissions, DEFAULT_BOT_PERMISSIONS, DEFAULT_EVERYONE_PERMISSIONS, Perm } from './permissions.ts';
import { parseRequestBody, type UploadedFile } from './requestBody.ts';
import { snowflake } from './snowflake.ts';
import type {
  ClickOptions,
  CommandOptionDef,
  DiscordSim,
  DiscordSimOptions,
  InteractionRecord,
  InteractionResponseRecord,
  InvokeOptions,
  RateLimitMatch,
  RegisteredCommand,
  RestCallRecord,
  SimAttachment,
  SimAttachmentInput,
  SimChannel,
  SimChannelInput,
  SimGuild,
  SimGuildInput,
  SimMember,
  SimMemberInput,
  SimMessage,
  SimOptionValues,
  SimRole,
  SimRoleInput,
} from './types.ts';

const EPHEMERAL = 64;
const LOADING = 128;
const NONCE_WINDOW_MS = 5 * 60_000;
const INTERACTION_TOKEN_TTL_MS = 15 * 60_000;
/** Channel types that hold messages (text, voice, announcement, threads, stage). */
const MESSAGE_CHANNEL_TYPES = new Set([0, 2, 5, 10, 11, 12, 13]);

interface GuildState extends SimGuild {
  roles: RoleState[];
}

interface StoredMessage extends SimMessage {
  type: number;
  tts: boolean;
  webhookId: string | null;
  interactionMetadata: Record<string, unknown> | null;
}

interface InteractionState {
  record: InteractionRecord;
  createdAt: number;
  ackType: number | null;
  /** The message a component belongs to. */
  sourceMessageId: string | null;
  messageIds: Set<string>;
}

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface Ctx {
  method: string;
  url: URL;
  json: Record<string, unknown>;
  files: UploadedFile[];
}

type Handler = (m: RegExpExecArray, ctx: Ctx) => Reply | Promise<Reply>;

function err(status: number, code: number, message: string, errors?: FormError[]): Reply {
  return { status, body: { message, code, ...(errors ? { errors: formErrorsObject(errors) } : {}) } };
}

const UNKNOWN_CHANNEL = () => err(404, 10003, 'Unknown Channel');
const UNKNOWN_GUILD = () => err(404, 10004, 'Unknown Guild');
const UNKNOWN_MEMBER = () => err(404, 10007, 'Unknown Member');
const UNKNOWN_MESSAGE = () => err(404, 10008, 'Unknown Message');
const UNKNOWN_ROLE = () => err(404, 10011, 'Unknown Role');
const UNKNOWN_WEBHOOK = () => err(404, 10015, 'Unknown Webhook');
const UNKNOWN_INTERACTION = () => err(404, 10062, 'Unknown interaction');
const MISSING_ACCESS = () => err(403, 50001, 'Missing Access');
const MISSING_PERMISSIONS = () => err(403, 50013, 'Missing Permissions');
const invalidForm = (errors: FormError[]) => err(400, 50035, 'Invalid Form Body', errors);
const safeDecode = (seg: string): string => {
  try {
    return decodeURIComponent(seg);
  } catch {
    return seg;
  }
};
const isMessage = (x: StoredMessage | Reply): x is StoredMessage => 'channelId' in x;

/** The simulator: one HTTP server for REST + CDN, with the gateway on the `/gateway` upgrade path. */
export class DiscordSimServer implements DiscordSim {
  readonly token: string;
  readonly applicationId: string;
  readonly botUserId: string;
  readonly restCalls: RestCallRecord[] = [];
  readonly interactions: InteractionRecord[] = [];

  private readonly botUsername: string;
  private readonly server: Server;
  private readonly gateway: Gateway;
  private readonly ackTimeoutMs: number;
  private port = 0;

  private readonly guilds = new Map<string, GuildState>();
  private readonly channels = new Map<string, { channel: SimChannel; guild: GuildState; deleted: boolean }>();
  private readonly lastMessageIds = new Map<string, string>();
  private readonly users = new Map<string, SimUser>();
  private readonly storedMessages = new Map<string, StoredMessage>();
  private readonly messageOrder: StoredMessage[] = [];
  private readonly nonces = new Map<string, { messageId: string; at: number }>();
  private readonly attachments = new Map<string, SimAttachment>();
  private readonly interactionStates = new Map<string, InteractionState>();
  private readonly globalCommands: RegisteredCommand[] = [];
  private readonly guildCommands = new Map<string, RegisteredCommand[]>();
  private readonly rateLimits: (RateLimitMatch & { retryAfterSec: number })[] = [];
  private readonly routes: [string, RegExp, Handler, boolean][];

  constructor(options: DiscordSimOptions = {}) {
    this.token = options.token ?? `${Buffer.from(snowflake()).toString('base64url')}.sim.${randomBytes(20).toString('base64url')}`;
    this.applicationId = options.applicationId ?? snowflake();
    this.botUserId = options.botUserId ?? this.applicationId;
    this.botUsername = options.botUsername ?? 'kickcord-sim';
    this.ackTimeoutMs = options.interactionAckTimeoutMs ?? 10_000;
    this.users.set(this.botUserId, { id: this.botUserId, username: this.botUsername, bot: true });
    this.gateway = new Gateway({
      token: this.token,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      gatewayUrl: () => this.gatewayUrl,
      readyData: () => this.readyData(),
      guildCreates: () => [...this.guilds.values()].filter((g) => !g.removed).map((g) => ({ id: g.id, d: this.guildCreatePayload(g) })),
      memberChunks: (req) => this.memberChunks(req),
    });
    this.server = createServer((req, res) => void this.onRequest(req, res));
    this.server.on('upgrade', (req, socket, head) => {
      if ((req.url ?? '').startsWith('/gateway')) this.gateway.handleUpgrade(req, socket, head);
      else socket.destroy();
    });
    this.routes = this.buildRoutes();
  }

  /** Start listening on 127.0.0.1. */
  async listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  get apiUrl(): string {
    return `${this.baseUrl}/api`;
  }
  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}/gateway`;
  }

  // ---------------------------------------------------------------- state helpers (test side)

  addGuild(input: SimGuildInput): SimGuild {
    const id = input.id ?? snowflake();
    if (this.guilds.get(id) && !this.guilds.get(id)?.removed) throw new DiscordSimError(`Guild ${id} already exists`);
    const joinedAt = new Date().toISOString();
    const roles: RoleState[] = [{ id, name: '@everyone', permissions: DEFAULT_EVERYONE_PERMISSIONS.toString(), position: 0, managed: false }];
    for (const r of input.roles ?? []) {
      roles.push({ id: r.id ?? snowflake(), name: r.name, permissions: r.permissions ?? '0', position: roles.length, managed: false });
    }
    const botRole: RoleState = { id: snowflake(), name: this.botUsername, permissions: DEFAULT_BOT_PERMISSIONS.toString(), position: roles.length, managed: true, botId: this.botUserId };
    roles.push(botRole);
    const guild: GuildState = { id, name: input.name, ownerId: '', channels: [], roles, members: [], removed: false };
    const roleIdFor = (ref: string) => roles.find((r) => r.id === ref || r.name === ref)?.id ?? ref;
    for (const m of input.members ?? []) {
      this.users.set(m.id, { id: m.id, username: m.username, bot: m.bot ?? false });
      guild.members.push({ id: m.id, username: m.username, roles: (m.roles ?? []).map(roleIdFor), bot: m.bot ?? false, joinedAt });
    }
    guild.members.push({ id: this.botUserId, username: this.botUsername, roles: [botRole.id], bot: true, joinedAt });
    guild.ownerId = input.ownerId ?? input.members?.[0]?.id ?? snowflake();
    for (const c of input.channels ?? []) this.attachChannel(guild, c);
    this.guilds.set(id, guild);
    this.gateway.dispatch('GUILD_CREATE', this.guildCreatePayload(guild), { guildId: id });
    return guild;
  }

  removeGuild(guildId: string): void {
    const guild = this.requireGuild(guildId);
    guild.removed = true;
    this.gateway.dispatch('GUILD_DELETE', { id: guildId }, { guildId });
  }

  getGuild(guildId: string): SimGuild | undefined {
    return this.guilds.get(guildId);
  }

  addChannel(guildId: string, input: SimChannelInput): SimChannel {
    const guild = this.requireGuild(guildId);
    const channel = this.attachChannel(guild, input);
    this.gateway.dispatch('CHANNEL_CREATE', apiChannel(channel, null), { intent: Intent.Guilds, guildId });
    return channel;
  }

  deleteChannel(guildId: string, channelId: string): void {
    const guild = this.requireGuild(guildId);
    const entry = this.channels.get(channelId);
    if (!entry || entry.guild !== guild || entry.deleted) throw new DiscordSimError(`Channel ${channelId} is not a live channel of guild ${guildId}`);
    entry.deleted = true;
    guild.channels = guild.channels.filter((c) => c.id !== channelId);
    this.gateway.dispatch('CHANNEL_DELETE', apiChannel(entry.channel, this.lastMessageIds.get(channelId) ?? null), { intent: Intent.Guilds, guildId });
  }

  addRole(guildId: string, input: SimRoleInput): SimRole {
    const guild = this.requireGuild(guildId);
    const role: RoleState = { id: input.id ?? snowflake(), name: input.name, permissions: input.permissions ?? '0', position: guild.roles.length, managed: false };
    guild.roles.push(role);
    this.gateway.dispatch('GUILD_ROLE_CREATE', { guild_id: guildId, role: apiRole(role) }, { intent: Intent.Guilds, guildId });
    return role;
  }

  addMember(guildId: string, input: SimMemberInput): SimMember {
    const guild = this.requireGuild(guildId);
    const existing = guild.members.find((m) => m.id === input.id);
    if (existing) return existing;
    this.users.set(input.id, { id: input.id, username: input.username, bot: input.bot ?? false });
    const roleIdFor = (ref: string) => guild.roles.find((r) => r.id === ref || r.name === ref)?.id ?? ref;
    const member: SimMember = { id: input.id, username: input.username, roles: (input.roles ?? []).map(roleIdFor), bot: input.bot ?? false, joinedAt: new Date().toISOString() };
    guild.members.push(member);
    this.gateway.dispatch('GUILD_MEMBER_ADD', { ...apiMember(member), guild_id: guildId }, { intent: Intent.GuildMembers, guildId });
    return member;
  }

  setChannelPermissions(channelId: string, perms: { canSend: boolean }): void {
    const entry = this.channels.get(channelId);
    if (!entry || entry.deleted) throw new DiscordSimError(`Unknown channel ${channelId}; add it with addGuild/addChannel first`);
    const ch = entry.channel;
    ch.permissionOverwrites = ch.permissionOverwrites.filter((o) => !(o.type === 1 && o.id === this.botUserId));
    if (!perms.canSend) ch.permissionOverwrites.push({ id: this.botUserId, type: 1, allow: '0', deny: Perm.SendMessages.toString() });
    this.gateway.dispatch('CHANNEL_UPDATE', apiChannel(ch, this.lastMessageIds.get(ch.id) ?? null), { intent: Intent.Guilds, guildId: ch.guildId });
  }

  addAttachment(input: SimAttachmentInput): SimAttachment {
    const id = snowflake();
    const content = typeof input.content === 'string' ? Buffer.from(input.content) : input.content;
    const attachment: SimAttachment = {
      id,
      filename: input.filename,
      contentType: input.contentType ?? null,
      size: content.length,
      url: `${this.baseUrl}/cdn/ephemeral-attachments/${this.applicationId}/${id}/${encodeURIComponent(input.filename)}`,
      content,
    };
    this.attachments.set(id, attachment);
    return attachment;
  }

  // ---------------------------------------------------------------- recorded state

  messages(channelId?: string): SimMessage[] {
    return this.messageOrder.filter((m) => !m.deleted && !m.ephemeral && (channelId === undefined || m.channelId === channelId));
  }

  allMessages(): SimMessage[] {
    return [...this.messageOrder];
  }

  registeredCommands(guildId?: string): RegisteredCommand[] {
    return guildId === undefined ? [...this.globalCommands] : [...(this.guildCommands.get(guildId) ?? [])];
  }

  rateLimitNext(match: RateLimitMatch, retryAfterSec: number): void {
    this.rateLimits.push({ ...match, pathPrefix: match.pathPrefix?.replace(/^\/api\/v\d+/, ''), retryAfterSec });
  }

  disconnectClient(): void {
    this.gateway.disconnectAll(4000, 'Simulated disconnect');
  }

  connectedClients(): number {
    return this.gateway.connectedCount();
  }

  gatewayStats(): { identifies: number; resumes: number; connected: number } {
    return { identifies: this.gateway.readyCount, resumes: this.gateway.resumeCount, connected: this.gateway.connectedCount() };
  }

  async close(): Promise<void> {
    await this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---------------------------------------------------------------- waiting

  private async poll<T>(check: () => T | undefined, timeoutMs: number, describe: () => string): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = check();
      if (found !== undefined) return found;
      if (Date.now() >= deadline) throw new DiscordSimError(`Timed out after ${timeoutMs} ms ${describe()}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  waitForMessage(channelId: string, predicate: (m: SimMessage) => boolean = () => true, timeoutMs = 5000): Promise<SimMessage> {
    return this.poll(
      () => this.messages(channelId).find(predicate),
      timeoutMs,
      () => {
        const seen = this.messages(channelId);
        return (
          `waiting for a matching message in channel ${channelId}; ${seen.length} message(s) there` +
          (seen.length ? `: ${seen.slice(-5).map((m) => JSON.stringify(m.content.slice(0, 80) || `[${m.embeds.length} embed(s)]`)).join(', ')}` : '')
        );
      },
    );
  }

  waitForInteractionResponse(
    record: InteractionRecord,
    predicate: (r: InteractionResponseRecord) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<InteractionResponseRecord> {
    return this.poll(
      () => record.responses.find(predicate),
      timeoutMs,
      () =>
        `waiting for a response to interaction ${record.id} (${record.commandName}); got ${record.responses.length}: ` +
        (record.responses.map((r) => `${r.kind}${r.type !== undefined ? `:${r.type}` : ''}`).join(', ') || 'none — did the bot handle interactionCreate?'),
    );
  }

  async waitForReady(timeoutMs = 5000): Promise<void> {
    await this.poll(() => (this.gateway.readyCount > 0 ? true : undefined), timeoutMs, () => 'waiting for a client to IDENTIFY and get READY');
  }

  // ---------------------------------------------------------------- interactions (test side)

  async invoke(guildId: string, userId: string, commandLine: string, opts: InvokeOptions = {}): Promise<InteractionRecord> {
    const guild = this.requireGuild(guildId);
    const member = this.memberOrCreate(guild, userId);
    const channel = this.pickChannel(guild, opts.channelId);
    const commands = [...(this.guildCommands.get(guildId) ?? []), ...this.globalCommands];
    const match = matchCommandLine(commandLine, commands);
    const autocomplete = opts.type === 'autocomplete';
    if (!autocomplete) checkRequiredOptions(match);
    const roles = opts.roles ?? member.roles;
    const memberPerms = opts.permissions !== undefined ? BigInt(opts.permissions) : this.memberChannelPerms(guild, channel, userId, roles);
    const required = match.command.default_member_permissions;
    if (!opts.bypassCommandPermissions && required !== null && required !== undefined) {
      const need = BigInt(required);
      const ok = (memberPerms & Perm.Administrator) !== 0n || (need !== 0n && (memberPerms & need) === need) || userId === guild.ownerId;
      if (!ok) {
        throw new DiscordSimError(
          `/${match.command.name} has default_member_permissions ${required}; member ${userId} has ${memberPerms}. Discord would not let them run it — pass opts.permissions (or bypassCommandPermissions).`,
        );
      }
    }
    const resolved: Record<string, Record<string, unknown>> = {};
    const leafOptions: Record<string, unknown>[] = [];
    const values: SimOptionValues = {};
    match.assignments.forEach(({ def, raw }, i) => {
      const focused = autocomplete && i === match.assignments.length - 1;
      const value = focused ? raw : this.coerceOption(guild, channel, def, raw, resolved, memberPerms);
      values[def.name] = value;
      leafOptions.push({ name: def.name, type: def.type, value, ...(focused ? { focused: true } : {}) });
    });
    let options: Record<string, unknown>[] = leafOptions;
    if (match.subcommand) options = [{ name: match.subcommand, type: SUB_COMMAND, options: leafOptions }];
    if (match.group) options = [{ name: match.group, type: SUB_COMMAND_GROUP, options }];
    const data: Record<string, unknown> = {
      id: match.command.id,
      name: match.command.name,
      type: 1,
      ...(match.command.guild_id ? { guild_id: match.command.guild_id } : {}),
      ...(options.length ? { options } : {}),
      ...(Object.keys(resolved).length ? { resolved } : {}),
    };
    const state = this.dispatchInteraction(guild, channel, member, autocomplete ? 4 : 2, data, { ...opts, roles, permissions: memberPerms });
    Object.assign(state.record, { commandName: match.command.name, subcommandGroup: match.group, subcommand: match.subcommand, options: values, rawOptions: options });
    return state.record;
  }

  async clickButton(message: SimMessage | { id: string; channelId: string }, customId: string, userId: string, opts: ClickOptions = {}): Promise<InteractionRecord> {
    const entry = this.channels.get(message.channelId);
    if (!entry || entry.deleted) throw new DiscordSimError(`clickButton: unknown channel ${message.channelId}`);
    const guild = entry.guild;
    const member = this.memberOrCreate(guild, userId);
    const stored = this.storedMessages.get(message.id);
    const componentType = opts.componentType ?? 2;
    const data = { custom_id: customId, component_type: componentType, ...(opts.values ? { values: opts.values } : {}) };
    const roles = opts.roles ?? member.roles;
    const perms = opts.permissions !== undefined ? BigInt(opts.permissions) : this.memberChannelPerms(guild, entry.channel, userId, roles);
    const apiMsg = stored
      ? this.apiMessage(stored)
      : { id: message.id, channel_id: message.channelId, type: 0, content: '', author: apiUser(this.botUser()), embeds: [], components: [], attachments: [], mentions: [], mention_roles: [], mention_everyone: false, pinned: false, tts: false, timestamp: new Date().toISOString(), edited_timestamp: null, flags: 0 };
    const state = this.dispatchInteraction(guild, entry.channel, member, 3, data, { ...opts, roles, permissions: perms }, apiMsg);
    state.sourceMessageId = message.id;
    Object.assign(state.record, { commandName: customId, options: opts.values ? { values: opts.values.join(',') } : {} });
    return state.record;
  }

  private dispatchInteraction(
    guild: GuildState,
    channel: SimChannel,
    member: SimMember,
    type: number,
    data: Record<string, unknown>,
    opts: { roles: string[]; permissions: bigint; locale?: string },
    message?: unknown,
  ): InteractionState {
    if (!this.gateway.hasSession()) {
      throw new DiscordSimError('No discord.js client has identified with the simulator; log in and await sim.waitForReady() before invoking commands.');
    }
    const id = snowflake();
    const token = Buffer.from(`interaction:${id}:${randomBytes(48).toString('base64url')}`).toString('base64url');
    const appPerms = this.memberChannelPerms(guild, channel, this.botUserId, this.memberOf(guild, this.botUserId)?.roles ?? []);
    const payload: Record<string, unknown> = {
      id,
      application_id: this.applicationId,
      type,
      token,
      version: 1,
      guild_id: guild.id,
      guild: { id: guild.id, locale: 'en-US', features: [] },
      guild_locale: 'en-US',
      channel_id: channel.id,
      channel: { ...apiChannel(channel, this.lastMessageIds.get(channel.id) ?? null), permissions: opts.permissions.toString() },
      member: { ...apiMember({ ...member, roles: opts.roles }), permissions: opts.permissions.toString() },
      locale: opts.locale ?? 'en-US',
      app_permissions: appPerms.toString(),
      entitlements: [],
      authorizing_integration_owners: { '0': guild.id },
      context: 0,
      attachment_size_limit: 10_485_760,
      data,
      ...(message ? { message } : {}),
    };
    const record: InteractionRecord = {
      id,
      token,
      type,
      guildId: guild.id,
      channelId: channel.id,
      userId: member.id,
      commandName: String(data.name ?? data.custom_id ?? ''),
      subcommandGroup: null,
      subcommand: null,
      options: {},
      rawOptions: [],
      payload,
      responses: [],
      originalMessageId: null,
    };
    const state: InteractionState = { record, createdAt: Date.now(), ackType: null, sourceMessageId: null, messageIds: new Set() };
    this.interactions.push(record);
    this.interactionStates.set(id, state);
    this.gateway.dispatch('INTERACTION_CREATE', payload, { guildId: guild.id });
    return state;
  }

  private coerceOption(guild: GuildState, channel: SimChannel, def: CommandOptionDef, raw: string, resolved: Record<string, Record<string, unknown>>, memberPerms: bigint): string | number | boolean {
    const fail = (why: string): never => {
      throw new DiscordSimError(`Option ${def.name}: ${why} (got ${JSON.stringify(raw)})`);
    };
    const add = (kind: string, id: string, obj: unknown) => {
      (resolved[kind] ??= {})[id] = obj;
    };
    const byChoice = (v: string | number): string | number => {
      if (!def.choices?.length) return v;
      const c = def.choices.find((ch) => ch.value === v || ch.name === raw || String(ch.value) === raw);
      return c ? c.value : fail(`must be one of ${def.choices.map((ch) => JSON.stringify(ch.value)).join(', ')}`);
    };
    const resolveUser = (ref: string): string | undefined => {
      const idm = /^<@!?(\d+)>$/.exec(ref) ?? /^(\d{5,})$/.exec(ref);
      if (idm) return this.users.has(idm[1] as string) ? idm[1] : undefined;
      const name = ref.replace(/^@/, '');
      return guild.members.find((m) => m.username === name)?.id ?? [...this.users.values()].find((u) => u.username === name)?.id;
    };
    const resolveRole = (ref: string): RoleState | undefined => {
      const idm = /^<@&(\d+)>$/.exec(ref) ?? /^(\d{5,})$/.exec(ref);
      if (idm) return guild.roles.find((r) => r.id === idm[1]);
      const name = ref.replace(/^@/, '');
      return guild.roles.find((r) => r.name === name || r.name === ref);
    };
    const addUser = (id: string) => {
      const user = this.users.get(id) as SimUser;
      add('users', id, apiUser(user));
      const m = this.memberOf(guild, id);
      if (m) add('members', id, { ...apiMember(m, false), permissions: this.memberChannelPerms(guild, channel, id, m.roles).toString() });
    };
    switch (def.type) {
      case 3: {
        if (def.min_length !== undefined && raw.length < def.min_length) fail(`shorter than min_length ${def.min_length}`);
        if (def.max_length !== undefined && raw.length > def.max_length) fail(`longer than max_length ${def.max_length}`);
        return byChoice(raw);
      }
      case 4:
      case 10: {
        const n = Number(raw);
        if (raw.trim() === '' || !Number.isFinite(n) || (def.type === 4 && !Number.isInteger(n))) {
          const c = def.choices?.find((ch) => ch.name === raw);
          if (c) return c.value;
          fail(def.type === 4 ? 'not an integer' : 'not a number');
        }
        if (def.min_value !== undefined && n < def.min_value) fail(`below min_value ${def.min_value}`);
        if (def.max_value !== undefined && n > def.max_value) fail(`above max_value ${def.max_value}`);
        return byChoice(n);
      }
      case 5: {
        const v = raw.toLowerCase();
        if (['true', 'yes', 'on', '1'].includes(v)) return true;
        if (['false', 'no', 'off', '0'].includes(v)) return false;
        return fail('not a boolean (true/false)');
      }
      case 6: {
        const id = resolveUser(raw) ?? fail('unknown user; use <@id>, @username or an id of a guild member');
        addUser(id);
        return id;
      }
      case 7: {
        const idm = /^<#(\d+)>$/.exec(raw) ?? /^(\d{5,})$/.exec(raw);
        const name = raw.replace(/^#/, '');
        const target = idm ? guild.channels.find((c) => c.id === idm[1]) : guild.channels.find((c) => c.name === name);
        if (!target) return fail(`unknown channel in guild ${guild.id}; use #name, <#id> or an id`);
        if (def.channel_types?.length && !def.channel_types.includes(target.type)) fail(`channel type ${target.type} is not in channel_types ${JSON.stringify(def.channel_types)}`);
        add('channels', target.id, {
          id: target.id,
          name: target.name,
          type: target.type,
          permissions: memberPerms.toString(),
          parent_id: null,
          guild_id: guild.id,
          flags: 0,
          nsfw: false,
          position: target.position,
          rate_limit_per_user: 0,
          topic: null,
          last_message_id: this.lastMessageIds.get(target.id) ?? null,
        });
        return target.id;
      }
      case 8: {
        const role = resolveRole(raw) ?? fail('unknown role; use @name, <@&id> or an id');
        add('roles', role.id, apiRole(role));
        return role.id;
      }
      case 9: {
        if (!raw.startsWith('<@') || raw.startsWith('<@&')) {
          const role = resolveRole(raw);
          if (role) {
            add('roles', role.id, apiRole(role));
            return role.id;
          }
        }
        const id = resolveUser(raw) ?? fail('unknown user or role');
        addUser(id);
        return id;
      }
      case 11: {
        const a = this.attachments.get(raw) ?? [...this.attachments.values()].find((x) => x.filename === raw);
        if (!a) return fail('unknown attachment; register it with sim.addAttachment() and pass its id');
        add('attachments', a.id, apiAttachment(a, true));
        return a.id;
      }
      default:
        return fail(`unsupported option type ${def.type}`);
    }
  }

  // ---------------------------------------------------------------- internal state helpers

  private botUser(): SimUser {
    return this.users.get(this.botUserId) as SimUser;
  }

  private requireGuild(guildId: string): GuildState {
    const g = this.guilds.get(guildId);
    if (!g || g.removed) throw new DiscordSimError(`Unknown guild ${guildId}; add it with sim.addGuild() first`);
    return g;
  }

  private memberOf(guild: GuildState, userId: string): SimMember | undefined {
    return guild.members.find((m) => m.id === userId);
  }

  private memberOrCreate(guild: GuildState, userId: string): SimMember {
    const existing = this.memberOf(guild, userId);
    if (existing) return existing;
    const known = this.users.get(userId);
    return this.addMember(guild.id, { id: userId, username: known?.username ?? `user${userId.slice(-4)}`, bot: known?.bot ?? false });
  }

  private pickChannel(guild: GuildState, channelId?: string): SimChannel {
    if (channelId) {
      const ch = guild.channels.find((c) => c.id === channelId);
      if (!ch) throw new DiscordSimError(`Channel ${channelId} is not a live channel of guild ${guild.id}`);
      return ch;
    }
    const ch = guild.channels.find((c) => c.type === 0);
    if (!ch) throw new DiscordSimError(`Guild ${guild.id} has no text channel; pass opts.channelId or add one`);
    return ch;
  }

  private attachChannel(guild: GuildState, c: SimChannelInput): SimChannel {
    const channel: SimChannel = { id: c.id ?? snowflake(), guildId: guild.id, name: c.name, type: c.type ?? 0, position: guild.channels.length, permissionOverwrites: [] };
    guild.channels.push(channel);
    this.channels.set(channel.id, { channel, guild, deleted: false });
    return channel;
  }

  private memberChannelPerms(guild: GuildState, channel: SimChannel | null, userId: string, roleIds: string[]): bigint {
    const base = basePermissions({ guildId: guild.id, ownerId: guild.ownerId, userId, roleIds, roles: guild.roles });
    if (!channel) return base;
    return channelPermissions(base, { guildId: guild.id, userId, roleIds, overwrites: channel.permissionOverwrites });
  }

  private readyData(): Record<string, unknown> {
    return {
      v: 10,
      user: { ...apiUser(this.botUser()), bot: true, verified: true, mfa_enabled: false, flags: 0, email: null },
      guilds: [...this.guilds.values()].filter((g) => !g.removed).map((g) => ({ id: g.id, unavailable: true })),
      application: { id: this.applicationId, flags: 0 },
      user_settings: {},
      private_channels: [],
      presences: [],
      relationships: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      auth: {},
      _trace: ['["discord-sim"]'],
    };
  }

  private apiGuild(g: GuildState): Record<string, unknown> {
    return {
      id: g.id,
      name: g.name,
      icon: null,
      splash: null,
      discovery_splash: null,
      banner: null,
      description: null,
      owner_id: g.ownerId,
      region: 'deprecated',
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      features: [],
      mfa_level: 0,
      application_id: null,
      system_channel_id: null,
      system_channel_flags: 0,
      rules_channel_id: null,
      public_updates_channel_id: null,
      safety_alerts_channel_id: null,
      vanity_url_code: null,
      premium_tier: 0,
      premium_subscription_count: 0,
      premium_progress_bar_enabled: false,
      preferred_locale: 'en-US',
      nsfw_level: 0,
      max_members: 500000,
      max_video_channel_users: 25,
      roles: g.roles.map(apiRole),
      emojis: [],
      stickers: [],
    };
  }

  private guildCreatePayload(g: GuildState): Record<string, unknown> {
    return {
      ...this.apiGuild(g),
      joined_at: this.memberOf(g, this.botUserId)?.joinedAt ?? new Date().toISOString(),
      large: false,
      unavailable: false,
      member_count: g.members.length,
      members: g.members.map((m) => apiMember(m)),
      channels: g.channels.map((c) => {
        const { guild_id: _omit, ...rest } = apiChannel(c, this.lastMessageIds.get(c.id) ?? null);
        return rest;
      }),
      threads: [],
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  private memberChunks(req: Record<string, unknown>): unknown[] {
    const ids = Array.isArray(req.guild_id) ? (req.guild_id as unknown[]).map(String) : [String(req.guild_id)];
    const out: unknown[] = [];
    for (const gid of ids) {
      const g = this.guilds.get(gid);
      if (!g || g.removed) continue;
      const userIds = Array.isArray(req.user_ids) ? (req.user_ids as unknown[]).map(String) : req.user_ids ? [String(req.user_ids)] : null;
      const query = typeof req.query === 'string' ? req.query.toLowerCase() : '';
      const limit = Number(req.limit ?? 0);
      let members = userIds ? g.members.filter((m) => userIds.includes(m.id)) : g.members.filter((m) => m.username.toLowerCase().startsWith(query));
      if (limit > 0) members = members.slice(0, limit);
      out.push({
        guild_id: gid,
        members: members.map((m) => apiMember(m)),
        chunk_index: 0,
        chunk_count: 1,
        ...(userIds ? { not_found: userIds.filter((id) => !g.members.some((m) => m.id === id)) } : {}),
        ...(req.nonce !== undefined ? { nonce: req.nonce } : {}),
      });
    }
    return out;
  }

  // ---------------------------------------------------------------- messages

  private apiMessage(m: StoredMessage): Record<string, unknown> {
    const mentions = [...m.content.matchAll(/<@!?(\d+)>/g)].map((x) => x[1] as string).filter((id, i, a) => a.indexOf(id) === i && this.users.has(id));
    const everyoneAllowed = (() => {
      const am = m.allowedMentions as { parse?: string[] } | null;
      return !am || (Array.isArray(am.parse) && am.parse.includes('everyone'));
    })();
    return {
      id: m.id,
      channel_id: m.channelId,
      type: m.type,
      author: apiUser(this.botUser()),
      content: m.content,
      embeds: m.embeds,
      components: m.components,
      attachments: m.attachments.map((a) => apiAttachment(a)),
      mentions: mentions.map((id) => apiUser(this.users.get(id) as SimUser)),
      mention_roles: [...m.content.matchAll(/<@&(\d+)>/g)].map((x) => x[1]),
      mention_everyone: everyoneAllowed && /@(everyone|here)/.test(m.content),
      pinned: false,
      tts: m.tts,
      timestamp: m.createdAt.toISOString(),
      edited_timestamp: m.editedAt ? m.editedAt.toISOString() : null,
      flags: m.flags,
      ...(m.nonce !== null ? { nonce: m.nonce } : {}),
      ...(m.webhookId ? { webhook_id: m.webhookId, application_id: this.applicationId } : {}),
      ...(m.interactionMetadata ? { interaction_metadata: m.interactionMetadata } : {}),
    };
  }

  private storeAttachments(channelId: string, files: UploadedFile[], payloadAttachments: unknown): SimAttachment[] {
    const meta = Array.isArray(payloadAttachments) ? (payloadAttachments as { id?: unknown; filename?: unknown }[]) : [];
    return files.map((f) => {
      const m = meta.find((a) => String(a.id) === String(f.index));
      const filename = typeof m?.filename === 'string' ? m.filename : f.filename;
      const id = snowflake();
      const a: SimAttachment = {
        id,
        filename,
        contentType: f.contentType,
        size: f.content.length,
        url: `${this.baseUrl}/cdn/attachments/${channelId}/${id}/${encodeURIComponent(filename)}`,
        content: f.content,
      };
      this.attachments.set(id, a);
      return a;
    });
  }

  private normalizeEmbeds(embeds: unknown): unknown[] {
    if (!Array.isArray(embeds)) return [];
    return embeds.map((e: unknown) => ({ type: 'rich', ...(e as Record<string, unknown>) }));
  }

  /** Validate + create a message in a channel (no permission checks). */
  private createMessage(channel: SimChannel, body: Record<string, unknown>, files: UploadedFile[], extra: Partial<StoredMessage> = {}): StoredMessage | Reply {
    const errors = validateMessagePayload(body);
    if (errors.length) return invalidForm(errors);
    const hasContent = typeof body.content === 'string' && body.content.length > 0;
    const hasEmbeds = Array.isArray(body.embeds) && body.embeds.length > 0;
    const hasComponents = Array.isArray(body.components) && body.components.length > 0;
    const hasOther = files.length > 0 || Array.isArray(body.sticker_ids) || body.poll !== undefined;
    if (!hasContent && !hasEmbeds && !hasComponents && !hasOther && !extra.flags) return err(400, 50006, 'Cannot send an empty message');
    const flags = Number(body.flags ?? 0) | (extra.flags ?? 0);
    const m: StoredMessage = {
      id: snowflake(),
      channelId: channel.id,
      guildId: channel.guildId,
      content: typeof body.content === 'string' ? body.content : '',
      embeds: this.normalizeEmbeds(body.embeds),
      components: Array.isArray(body.components) ? body.components : [],
      allowedMentions: body.allowed_mentions ?? null,
      nonce: typeof body.nonce === 'string' || typeof body.nonce === 'number' ? body.nonce : null,
      attachments: [],
      flags,
      interactionId: null,
      ephemeral: (flags & EPHEMERAL) !== 0,
      deleted: false,
      createdAt: new Date(),
      editedAt: null,
      type: 0,
      tts: body.tts === true,
      webhookId: null,
      interactionMetadata: null,
      ...extra,
    };
    m.flags = flags;
    m.attachments = this.storeAttachments(channel.id, files, body.attachments);
    this.storedMessages.set(m.id, m);
    this.messageOrder.push(m);
    if (!m.ephemeral) {
      this.lastMessageIds.set(channel.id, m.id);
      const guild = this.guilds.get(channel.guildId);
      const me = guild ? this.memberOf(guild, this.botUserId) : undefined;
      this.gateway.dispatch(
        'MESSAGE_CREATE',
        { ...this.apiMessage(m), guild_id: channel.guildId, ...(me ? { member: apiMember(me, false) } : {}) },
        { intent: Intent.GuildMessages, guildId: channel.guildId },
      );
    }
    return m;
  }

  /** Apply an edit body to a stored message. */
  private editMessage(m: StoredMessage, body: Record<string, unknown>, files: UploadedFile[]): StoredMessage | Reply {
    const errors = validateMessagePayload(body);
    if (errors.length) return invalidForm(errors);
    if ('content' in body) m.content = typeof body.content === 'string' ? body.content : '';
    if ('embeds' in body) m.embeds = this.normalizeEmbeds(body.embeds);
    if ('components' in body) m.components = Array.isArray(body.components) ? body.components : [];
    if ('allowed_mentions' in body) m.allowedMentions = body.allowed_mentions ?? null;
    if ('flags' in body && body.flags !== null && body.flags !== undefined) m.flags = (m.flags & (EPHEMERAL | LOADING)) | (Number(body.flags) & ~(EPHEMERAL | LOADING));
    if ('attachments' in body && Array.isArray(body.attachments)) {
      const keep = new Set((body.attachments as { id?: unknown }[]).map((a) => String(a.id)));
      m.attachments = m.attachments.filter((a) => keep.has(a.id));
    }
    if (files.length) m.attachments.push(...this.storeAttachments(m.channelId, files, body.attachments));
    m.flags &= ~LOADING;
    m.editedAt = new Date();
    if (!m.ephemeral) this.gateway.dispatch('MESSAGE_UPDATE', { ...this.apiMessage(m), guild_id: m.guildId }, { intent: Intent.GuildMessages, ...(m.guildId ? { guildId: m.guildId } : {}) });
    return m;
  }

  private deleteMessage(m: StoredMessage): void {
    m.deleted = true;
    if (!m.ephemeral) this.gateway.dispatch('MESSAGE_DELETE', { id: m.id, channel_id: m.channelId, guild_id: m.guildId }, { intent: Intent.GuildMessages, ...(m.guildId ? { guildId: m.guildId } : {}) });
  }

  // ---------------------------------------------------------------- HTTP

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const method = (req.method ?? 'GET').toUpperCase();
    if (url.pathname.startsWith('/cdn/')) {
      this.serveCdn(url, res);
      return;
    }
    const body = await parseRequestBody(req);
    const path = url.pathname.replace(/^\/api\/v10(?=\/)/, '').split('/').map(safeDecode).join('/');
    const record: RestCallRecord = { method, path: path + url.search, body: body.json, status: 0, at: new Date() };
    this.restCalls.push(record);
    let reply: Reply;
    try {
      reply = await this.handle(method, path, url, req, body.invalid ? null : body.json, body.files, body.invalid);
    } catch (e) {
      reply = { status: 500, body: { message: `discord-sim internal error: ${(e as Error).message}`, code: 0 } };
    }
    record.status = reply.status;
    const headers: Record<string, string> = { via: '1.1 discord-sim', ...(reply.headers ?? {}) };
    if (reply.body === undefined) {
      res.writeHead(reply.status, headers).end();
    } else {
      res.writeHead(reply.status, { ...headers, 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
    }
  }

  private serveCdn(url: URL, res: ServerResponse): void {
    const m = /^\/cdn\/(?:ephemeral-)?attachments\/\d+\/(\d+)\//.exec(url.pathname);
    const a = m ? this.attachments.get(m[1] as string) : undefined;
    if (!a) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
      return;
    }
    res.writeHead(200, { 'content-type': a.contentType ?? 'application/octet-stream', 'content-length': String(a.size) }).end(a.content);
  }

  private async handle(method: string, path: string, url: URL, req: IncomingMessage, json: unknown, files: UploadedFile[], invalid: boolean): Promise<Reply> {
    if (!url.pathname.startsWith('/api/v10/')) return err(404, 0, '404: Not Found');
    for (const [m, re, handler, auth] of this.routes) {
      if (m !== method) continue;
      const match = re.exec(path);
      if (!match) continue;
      if (auth && req.headers.authorization !== `Bot ${this.token}`) return err(401, 0, '401: Unauthorized');
      const limited = this.takeRateLimit(method, path);
      if (limited) return limited;
      if (invalid) return err(400, 50109, 'The request body contains invalid JSON.');
      return handler(match, { method, url, json: (json ?? {}) as Record<string, unknown>, files });
    }
    return err(404, 0, '404: Not Found');
  }

  private takeRateLimit(method: string, path: string): Reply | null {
    const i = this.rateLimits.findIndex((r) => (!r.method || r.method.toUpperCase() === method) && (!r.pathPrefix || path.startsWith(r.pathPrefix)));
    if (i < 0) return null;
    const [rule] = this.rateLimits.splice(i, 1);
    const retry = (rule as { retryAfterSec: number }).retryAfterSec;
    return {
      status: 429,
      body: { message: 'You are being rate limited.', retry_after: retry, global: false },
      headers: {
        'retry-after': String(retry),
        'x-ratelimit-limit': '5',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': ((Date.now() + retry * 1000) / 1000).toFixed(3),
        'x-ratelimit-reset-after': String(retry),
        'x-ratelimit-bucket': `sim${Buffer.from(path.split('/').slice(0, 3).join('/')).toString('hex').slice(0, 24)}`,
        'x-ratelimit-scope': 'user',
      },
    };
  }

  private channelForRest(channelId: string): { channel: SimChannel; guild: GuildState } | Reply {
    const entry = this.channels.get(channelId);
    if (!entry || entry.deleted) return UNKNOWN_CHANNEL();
    if (entry.guild.removed) return MISSING_ACCESS();
    const perms = this.memberChannelPerms(entry.guild, entry.channel, this.botUserId, this.memberOf(entry.guild, this.botUserId)?.roles ?? []);
    if ((perms & Perm.ViewChannel) === 0n) return MISSING_ACCESS();
    return entry;
  }

  private guildForRest(guildId: string): GuildState | Reply {
    const g = this.guilds.get(guildId);
    if (!g) return UNKNOWN_GUILD();
    if (g.removed) return MISSING_ACCESS();
    return g;
  }

  private interactionByToken(appId: string, token: string): InteractionState | null {
    if (appId !== this.applicationId) return null;
    for (const s of this.interactionStates.values()) if (s.record.token === token) return s;
    return null;
  }

  private buildRoutes(): [string, RegExp, Handler, boolean][] {
    const isReply = (x: unknown): x is Reply => typeof x === 'object' && x !== null && 'status' in x && !('channelId' in x);
    const ok = (body: unknown, status = 200): Reply => ({ status, body });
    const commandsFor = (guildId: string | undefined): RegisteredCommand[] | Reply => {
      if (guildId === undefined) return this.globalCommands;
      const g = this.guilds.get(guildId);
      if (!g || g.removed) return MISSING_ACCESS();
      let list = this.guildCommands.get(guildId);
      if (!list) this.guildCommands.set(guildId, (list = []));
      return list;
    };
    const toCommand = (raw: Record<string, unknown>, guildId: string | undefined, existing: RegisteredCommand | undefined): RegisteredCommand => ({
      type: 1,
      description: '',
      default_member_permissions: null,
      dm_permission: true,
      nsfw: false,
      integration_types: [0],
      contexts: null,
      ...raw,
      id: existing?.id ?? snowflake(),
      application_id: this.applicationId,
      ...(guildId ? { guild_id: guildId } : {}),
      version: snowflake(),
      name: String(raw.name),
    }) as RegisteredCommand;
    const appCheck = (app: string | undefined): Reply | null => (app === this.applicationId ? null : MISSING_ACCESS());

    const routes: [string, RegExp, Handler, boolean][] = [
      ['GET', /^\/gateway$/, () => ok({ url: this.gatewayUrl }), false],
      ['GET', /^\/gateway\/bot$/, () => ok({ url: this.gatewayUrl, shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 } }), true],
      ['GET', /^\/users\/@me$/, () => ok({ ...apiUser(this.botUser()), bot: true, verified: true, mfa_enabled: false, flags: 0, email: null, locale: 'en-US' }), true],
      ['GET', /^\/users\/(\d+)$/, (m) => {
        const u = this.users.get(m[1] as string);
        return u ? ok(apiUser(u)) : err(404, 10013, 'Unknown User');
      }, true],
      ['GET', /^\/applications\/@me$/, () => ok({
        id: this.applicationId, name: this.botUsername, icon: null, description: '', summary: '', type: null, bot_public: true, bot_require_code_grant: false,
        verify_key: 'a'.repeat(64), flags: 0, team: null, owner: { id: snowflake(), username: 'sim-owner', discriminator: '0', avatar: null, global_name: null, public_flags: 0 },
        bot: { ...apiUser(this.botUser()), bot: true }, approximate_guild_count: [...this.guilds.values()].filter((g) => !g.removed).length,
        install_params: { scopes: ['bot', 'applications.commands'], permissions: DEFAULT_BOT_PERMISSIONS.toString() }, integration_types_config: { '0': {} },
      }), true],
      // -------- application commands
      ['PUT', /^\/applications\/(\d+)\/(?:guilds\/(\d+)\/)?commands$/, (m, ctx) => {
        const bad = appCheck(m[1]);
        if (bad) return bad;
        const list = commandsFor(m[2]);
        if (isReply(list)) return list;
        const body = ctx.json as unknown;
        const errors = validateCommands(body);
        if (errors.length) return invalidForm(errors);
        const next = (body as Record<string, unknown>[]).map((raw) => toCommand(raw, m[2], list.find((c) => c.name === raw.name && c.type === ((raw.type as number | undefined) ?? 1))));
        list.splice(0, list.length, ...next);
        return ok(next);
      }, true],
      ['POST', /^\/applications\/(\d+)\/(?:guilds\/(\d+)\/)?commands$/, (m, ctx) => {
        const bad = appCheck(m[1]);
        if (bad) return bad;
        const list = commandsFor(m[2]);
        if (isReply(list)) return list;
        const errors = validateCommands([ctx.json]);
        if (errors.length) return invalidForm(errors.map((e) => ({ ...e, path: e.path.slice(1) })));
        const type = (ctx.json.type as number | undefined) ?? 1;
        const i = list.findIndex((c) => c.name === ctx.json.name && c.type === type);
        const cmd = toCommand(ctx.json, m[2], list[i]);
        if (i >= 0) list[i] = cmd;
        else list.push(cmd);
        return ok(cmd, i >= 0 ? 200 : 201);
      }, true],
      ['GET', /^\/applications\/(\d+)\/(?:guilds\/(\d+)\/)?commands$/, (m) => {
        const bad = appCheck(m[1]);
        if (bad) return bad;
        const list = commandsFor(m[2]);
        return isReply(list) ? list : ok(list);
      }, true],
      ['GET', /^\/applications\/(\d+)\/(?:guilds\/(\d+)\/)?commands\/(\d+)$/, (m) => {
        const list = appCheck(m[1]) ?? commandsFor(m[2]);
        if (isReply(list)) return list;
        const cmd = list.find((c) => c.id === m[3]);
        return cmd ? ok(cmd) : err(404, 10063, 'Unknown application command');
      }, true],
      ['DELETE', /^\/applications\/(\d+)\/(?:guilds\/(\d+)\/)?commands\/(\d+)$/, (m) => {
        const list = appCheck(m[1]) ?? commandsFor(m[2]);
        if (isReply(list)) return list;
        const i = list.findIndex((c) => c.id === m[3]);
        if (i < 0) return err(404, 10063, 'Unknown application command');
        list.splice(i, 1);
        return { status: 204 };
      }, true],
      // -------- channels & messages
      ['GET', /^\/channels\/(\d+)$/, (m) => {
        const e = this.channelForRest(m[1] as string);
        return isReply(e) ? e : ok(apiChannel(e.channel, this.lastMessageIds.get(e.channel.id) ?? null));
      }, true],
      ['POST', /^\/channels\/(\d+)\/typing$/, (m) => {
        const e = this.channelForRest(m[1] as string);
        return isReply(e) ? e : { status: 204 };
      }, true],
      ['GET', /^\/channels\/(\d+)\/messages$/, (m, ctx) => {
        const e = this.channelForRest(m[1] as string);
        if (isReply(e)) return e;
        const limit = Math.min(100, Number(ctx.url.searchParams.get('limit') ?? 50));
        const list = this.messages(e.channel.id).slice().reverse().slice(0, limit);
        return ok(list.map((x) => this.apiMessage(x as StoredMessage)));
      }, true],
      ['GET', /^\/channels\/(\d+)\/messages\/(\d+)$/, (m) => {
        const e = this.channelForRest(m[1] as string);
        if (isReply(e)) return e;
        const msg = this.storedMessages.get(m[2] as string);
        return msg && !msg.deleted && !msg.ephemeral && msg.channelId === e.channel.id ? ok(this.apiMessage(msg)) : UNKNOWN_MESSAGE();
      }, true],
      ['POST', /^\/channels\/(\d+)\/messages$/, (m, ctx) => {
        const e = this.channelForRest(m[1] as string);
        if (isReply(e)) return e;
        if (!MESSAGE_CHANNEL_TYPES.has(e.channel.type)) return err(400, 50008, 'Cannot send messages in a non-text channel');
        const perms = this.memberChannelPerms(e.guild, e.channel, this.botUserId, this.memberOf(e.guild, this.botUserId)?.roles ?? []);
        if ((perms & Perm.SendMessages) === 0n) return MISSING_PERMISSIONS();
        if (ctx.files.length && (perms & Perm.AttachFiles) === 0n) return MISSING_PERMISSIONS();
        const nonce = ctx.json.nonce;
        const nonceKey = typeof nonce === 'string' || typeof nonce === 'number' ? `${e.channel.id}:${String(nonce)}` : null;
        if (nonceKey !== null && String(nonce).length > 25) return invalidForm([{ path: ['nonce'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' }]);
        if (nonceKey && ctx.json.enforce_nonce === true) {
          const prior = this.nonces.get(nonceKey);
          const priorMsg = prior && Date.now() - prior.at < NONCE_WINDOW_MS ? this.storedMessages.get(prior.messageId) : undefined;
          if (priorMsg) return ok(this.apiMessage(priorMsg));
        }
        const created = this.createMessage(e.channel, ctx.json, ctx.files);
        if (isReply(created)) return created;
        if (nonceKey && ctx.json.enforce_nonce === true) this.nonces.set(nonceKey, { messageId: created.id, at: Date.now() });
        return ok(this.apiMessage(created));
      }, true],
      ['PATCH', /^\/channels\/(\d+)\/messages\/(\d+)$/, (m, ctx) => {
        const e = this.channelForRest(m[1] as string);
        if (isReply(e)) return e;
        const msg = this.storedMessages.get(m[2] as string);
        if (!msg || msg.deleted || msg.ephemeral || msg.channelId !== e.channel.id) return UNKNOWN_MESSAGE();
        const edited = this.editMessage(msg, ctx.json, ctx.files);
        return isReply(edited) ? edited : ok(this.apiMessage(edited));
      }, true],
      ['DELETE', /^\/channels\/(\d+)\/messages\/(\d+)$/, (m) => {
        const e = this.channelForRest(m[1] as string);
        if (isReply(e)) return e;
        const msg = this.storedMessages.get(m[2] as string);
        if (!msg || msg.deleted || msg.ephemeral || msg.channelId !== e.channel.id) return UNKNOWN_MESSAGE();
        this.deleteMessage(msg);
        return { status: 204 };
      }, true],
      // -------- guilds
      ['GET', /^\/guilds\/(\d+)$/, (m, ctx) => {
        const g = this.guildForRest(m[1] as string);
        if (isReply(g)) return g;
        const counts = ctx.url.searchParams.get('with_counts') === 'true';
        return ok({ ...this.apiGuild(g), ...(counts ? { approximate_member_count: g.members.length, approximate_presence_count: 0 } : {}) });
      }, true],
      ['GET', /^\/guilds\/(\d+)\/channels$/, (m) => {
        const g = this.guildForRest(m[1] as string);
        return isReply(g) ? g : ok(g.channels.map((c) => apiChannel(c, this.lastMessageIds.get(c.id) ?? null)));
      }, true],
      ['GET', /^\/guilds\/(\d+)\/roles$/, (m) => {
        const g = this.guildForRest(m[1] as string);
        return isReply(g) ? g : ok(g.roles.map(apiRole));
      }, true],
      ['GET', /^\/guilds\/(\d+)\/members$/, (m, ctx) => {
        const g = this.guildForRest(m[1] as string);
        if (isReply(g)) return g;
        const limit = Math.min(1000, Number(ctx.url.searchParams.get('limit') ?? 1));
        const after = ctx.url.searchParams.get('after') ?? '0';
        return ok(g.members.filter((x) => BigInt(x.id) > BigInt(after)).sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1)).slice(0, limit).map((x) => apiMember(x)));
      }, true],
      ['GET', /^\/guilds\/(\d+)\/members\/(\d+)$/, (m) => {
        const g = this.guildForRest(m[1] as string);
        if (isReply(g)) return g;
        const mem = this.memberOf(g, m[2] as string);
        return mem ? ok(apiMember(mem)) : UNKNOWN_MEMBER();
      }, true],
      ['PUT', /^\/guilds\/(\d+)\/members\/(\d+)\/roles\/(\d+)$/, (m) => this.changeMemberRole(m, true), true],
      ['DELETE', /^\/guilds\/(\d+)\/members\/(\d+)\/roles\/(\d+)$/, (m) => this.changeMemberRole(m, false), true],
      // -------- interactions
      ['POST', /^\/interactions\/(\d+)\/([^/]+)\/callback$/, (m, ctx) => this.interactionCallback(m[1] as string, m[2] as string, ctx), false],
      ['POST', /^\/webhooks\/(\d+)\/([^/]+)$/, (m, ctx) => this.followUp(m[1] as string, m[2] as string, ctx), false],
      ['GET', /^\/webhooks\/(\d+)\/([^/]+)\/messages\/(@original|\d+)$/, (m) => this.webhookMessage('GET', m, { json: {}, files: [] }), false],
      ['PATCH', /^\/webhooks\/(\d+)\/([^/]+)\/messages\/(@original|\d+)$/, (m, ctx) => this.webhookMessage('PATCH', m, ctx), false],
      ['DELETE', /^\/webhooks\/(\d+)\/([^/]+)\/messages\/(@original|\d+)$/, (m) => this.webhookMessage('DELETE', m, { json: {}, files: [] }), false],
    ];
    return routes;
  }

  private changeMemberRole(m: RegExpExecArray, add: boolean): Reply {
    const g = this.guildForRest(m[1] as string);
    if ('status' in g) return g as Reply;
    const member = this.memberOf(g, m[2] as string);
    if (!member) return UNKNOWN_MEMBER();
    const role = g.roles.find((r) => r.id === m[3]);
    if (!role || role.id === g.id) return UNKNOWN_ROLE();
    const me = this.memberOf(g, this.botUserId);
    const myPerms = basePermissions({ guildId: g.id, ownerId: g.ownerId, userId: this.botUserId, roleIds: me?.roles ?? [], roles: g.roles });
    const myTop = Math.max(0, ...g.roles.filter((r) => me?.roles.includes(r.id)).map((r) => r.position));
    if ((myPerms & Perm.ManageRoles) === 0n || (role.position >= myTop && myPerms !== ALL_PERMISSIONS)) return MISSING_PERMISSIONS();
    const had = member.roles.includes(role.id);
    if (add && !had) member.roles.push(role.id);
    if (!add && had) member.roles = member.roles.filter((r) => r !== role.id);
    if (add !== had) this.gateway.dispatch('GUILD_MEMBER_UPDATE', { ...apiMember(member), guild_id: g.id }, { intent: Intent.GuildMembers, guildId: g.id });
    return { status: 204 };
  }

  // ---------------------------------------------------------------- interaction REST

  private respond(state: InteractionState, r: Omit<InteractionResponseRecord, 'at'>): void {
    state.record.responses.push({ ...r, at: new Date() });
  }

  private interactionCallback(id: string, token: string, ctx: Ctx): Reply {
    const state = this.interactionStates.get(id);
    if (!state || state.record.token !== token) return UNKNOWN_INTERACTION();
    if (state.ackType === null && Date.now() - state.createdAt >= this.ackTimeoutMs) return UNKNOWN_INTERACTION();
    if (state.ackType !== null) return err(400, 40060, 'Interaction has already been acknowledged.');
    const type = Number(ctx.json.type);
    const data = (ctx.json.data ?? {}) as Record<string, unknown>;
    const files = ctx.files.map((f) => ({ filename: f.filename, content: f.content }));
    const entry = this.channels.get(state.record.channelId);
    const itype = state.record.type;
    const wrongType = () => err(400, 40004, `Interaction response type ${type} is not valid for interaction type ${itype}`);
    let message: StoredMessage | null = null;
    let ephemeral = (Number(data.flags ?? 0) & EPHEMERAL) !== 0;
    switch (type) {
      case 4:
      case 5: {
        if (itype === 4) return wrongType();
        if (!entry || entry.deleted) return UNKNOWN_CHANNEL();
        const meta = { id: state.record.id, type: itype, user: apiUser(this.users.get(state.record.userId) as SimUser), authorizing_integration_owners: { '0': state.record.guildId }, ...(itype === 2 ? { name: state.record.commandName } : {}) };
        const body = type === 5 ? { flags: Number(data.flags ?? 0) } : data;
        const created = this.createMessage(entry.channel, body, ctx.files, {
          type: itype === 2 ? 20 : 19,
          interactionId: state.record.id,
          webhookId: this.applicationId,
          interactionMetadata: meta,
          ...(type === 5 ? { flags: LOADING } : {}),
        });
        if (!isMessage(created)) return created;
        message = created;
        state.record.originalMessageId = message.id;
        state.messageIds.add(message.id);
        break;
      }
      case 6:
      case 7: {
        if (itype !== 3) return wrongType();
        const src = state.sourceMessageId ? this.storedMessages.get(state.sourceMessageId) : undefined;
        if (src) {
          state.record.originalMessageId = src.id;
          state.messageIds.add(src.id);
          ephemeral = src.ephemeral;
          if (type === 7) {
            const edited = this.editMessage(src, data, ctx.files);
            if (!isMessage(edited)) return edited;
          }
          message = src;
        }
        break;
      }
      case 8:
        if (itype !== 4) return wrongType();
        ephemeral = true;
        break;
      case 9:
        if (itype === 4) return wrongType();
        ephemeral = true;
        break;
      default:
        return invalidForm([{ path: ['type'], code: 'BASE_TYPE_CHOICES', message: `Value must be one of {4, 5, 6, 7, 8, 9, 10, 12}.` }]);
    }
    state.ackType = type;
    this.respond(state, { kind: 'callback', type, data, ephemeral, ...(files.length ? { files } : {}), ...(message ? { messageId: message.id } : {}) });
    if (ctx.url.searchParams.get('with_response') === 'true') {
      return {
        status: 200,
        body: {
          interaction: { id: state.record.id, type: itype, response_message_id: message?.id, response_message_loading: type === 5, response_message_ephemeral: ephemeral },
          resource: { type, ...(message ? { message: this.apiMessage(message) } : {}) },
        },
      };
    }
    return { status: 204 };
  }

  private liveInteraction(appId: string, token: string): InteractionState | Reply {
    const state = this.interactionByToken(appId, token);
    if (!state || state.ackType === null || Date.now() - state.createdAt > INTERACTION_TOKEN_TTL_MS) return UNKNOWN_WEBHOOK();
    return state;
  }

  private followUp(appId: string, token: string, ctx: Pick<Ctx, 'json' | 'files'>): Reply {
    const state = this.liveInteraction(appId, token);
    if ('status' in state) return state;
    const files = ctx.files.map((f) => ({ filename: f.filename, content: f.content }));
    const original = state.record.originalMessageId ? this.storedMessages.get(state.record.originalMessageId) : undefined;
    // Discord: a follow-up right after a deferred reply edits the loading message instead of creating one.
    if (original && (original.flags & LOADING) !== 0) {
      const edited = this.editMessage(original, ctx.json, ctx.files);
      if (!isMessage(edited)) return edited;
      this.respond(state, { kind: 'followup', data: ctx.json, ephemeral: edited.ephemeral, messageId: edited.id, ...(files.length ? { files } : {}) });
      return { status: 200, body: this.apiMessage(edited) };
    }
    const entry = this.channels.get(state.record.channelId);
    if (!entry || entry.deleted) return UNKNOWN_CHANNEL();
    const created = this.createMessage(entry.channel, ctx.json, ctx.files, { interactionId: state.record.id, webhookId: this.applicationId, type: 0 });
    if (!isMessage(created)) return created;
    state.messageIds.add(created.id);
    this.respond(state, { kind: 'followup', data: ctx.json, ephemeral: created.ephemeral, messageId: created.id, ...(files.length ? { files } : {}) });
    return { status: 200, body: this.apiMessage(created) };
  }

  private webhookMessage(method: 'GET' | 'PATCH' | 'DELETE', m: RegExpExecArray, ctx: Pick<Ctx, 'json' | 'files'>): Reply {
    const state = this.liveInteraction(m[1] as string, m[2] as string);
    if ('status' in state) return state;
    const ref = m[3] as string;
    const id = ref === '@original' ? state.record.originalMessageId : ref;
    const msg = id && state.messageIds.has(id) ? this.storedMessages.get(id) : undefined;
    if (!msg || msg.deleted) return UNKNOWN_MESSAGE();
    if (method === 'GET') return { status: 200, body: this.apiMessage(msg) };
    if (method === 'DELETE') {
      this.deleteMessage(msg);
      this.respond(state, { kind: 'delete', data: { messageId: msg.id }, ephemeral: msg.ephemeral, messageId: msg.id });
      return { status: 204 };
    }
    const edited = this.editMessage(msg, ctx.json, ctx.files);
    if (!isMessage(edited)) return edited;
    const files = ctx.files.map((f) => ({ filename: f.filename, content: f.content }));
    this.respond(state, { kind: 'edit', data: ctx.json, ephemeral: edited.ephemeral, messageId: edited.id, ...(files.length ? { files } : {}) });
    return { status: 200, body: this.apiMessage(edited) };
  }
}
