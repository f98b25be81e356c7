import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DiscordSimError } from './DiscordSimError.ts';
import { Gateway } from './gateway/Gateway.ts';
import { guildCreatePayload, memberChunks, readyData } from './gateway/gatewayPayloads.ts';
import { DEFAULT_SHARDING } from './gateway/sharding.ts';
import { InteractionDispatcher } from './interactions/InteractionDispatcher.ts';
import { InteractionResponses } from './interactions/InteractionResponses.ts';
import { MessageStore } from './messages/MessageStore.ts';
import { RoleConnectionStore, type RoleConnectionMetadataRecord, type UserRoleConnection } from './oauth2/roleConnections.ts';
import { UserOAuth, type OAuthConsent } from './oauth2/UserOAuth.ts';
import type { GatewayStats, RateLimitOptions, RateLimitStats } from './limitTypes.ts';
import { RateLimiter } from './rest/RateLimiter.ts';
import { RestApi } from './rest/RestApi.ts';
import type { RestDeps } from './rest/RestDeps.ts';
import { channelRoutes } from './rest/routes/channelRoutes.ts';
import { commandRoutes } from './rest/routes/commandRoutes.ts';
import { gatewayRoutes } from './rest/routes/gatewayRoutes.ts';
import { guildRoutes } from './rest/routes/guildRoutes.ts';
import { interactionRoutes } from './rest/routes/interactionRoutes.ts';
import { oauth2Routes } from './rest/routes/oauth2Routes.ts';
import { roleConnectionRoutes } from './rest/routes/roleConnectionRoutes.ts';
import { userRoutes } from './rest/routes/userRoutes.ts';
import { snowflake } from './snowflake.ts';
import { GuildAdmin } from './state/GuildAdmin.ts';
import { SimState } from './state/SimState.ts';
import type {
  ClickOptions,
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
  SimRole,
  SimRoleInput,
  SimRoleUpdate,
} from './types.ts';

/**
 * The simulator: one HTTP server for REST + CDN, with the gateway on the `/gateway` upgrade path.
 * A facade that wires the parts — {@link SimState} (the world), {@link Gateway} (sessions and dispatch),
 * {@link GuildAdmin} (test-side changes), {@link MessageStore}, the interaction builder and responder,
 * and {@link RestApi} with its route modules.
 */
export class DiscordSimServer implements DiscordSim {
  private readonly state: SimState;
  private readonly server: Server;
  private readonly gateway: Gateway;
  private readonly admin: GuildAdmin;
  private readonly interactionDispatcher: InteractionDispatcher;
  private readonly rest: RestApi;
  private readonly limiter: RateLimiter;
  private readonly oauth: UserOAuth;
  private readonly roleConnections = new RoleConnectionStore();
  private port = 0;

  constructor(options: DiscordSimOptions = {}) {
    const applicationId = options.applicationId ?? snowflake();
    this.state = new SimState({
      token: options.token ?? `${Buffer.from(snowflake()).toString('base64url')}.sim.${randomBytes(20).toString('base64url')}`,
      applicationId,
      botUserId: options.botUserId ?? applicationId,
      botUsername: options.botUsername ?? 'kickcord-sim',
    });
    const baseUrl = () => this.baseUrl;
    const gatewayUrl = () => this.gatewayUrl;
    const sharding = { ...DEFAULT_SHARDING, ...definedOnly(options.sharding ?? {}) };
    this.gateway = new Gateway({
      token: this.state.identity.token,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      sharding,
      gatewayUrl,
      guildIds: () => this.state.liveGuilds().map((g) => g.id),
      readyData: (ids) => readyData(this.state, ids.map((id) => this.state.requireGuild(id))),
      guildCreate: (id) => guildCreatePayload(this.state, this.state.requireGuild(id)),
      memberChunks: (req) => memberChunks(this.state, req),
    });
    const messages = new MessageStore(this.state, this.gateway, baseUrl);
    this.admin = new GuildAdmin(this.state, this.gateway, baseUrl);
    this.interactionDispatcher = new InteractionDispatcher(this.state, this.gateway, this.admin, messages);
    const responses = new InteractionResponses(this.state, messages, options.interactionAckTimeoutMs ?? 10_000);
    const deps: RestDeps = { state: this.state, gateway: this.gateway, messages, gatewayUrl, guildsPerShard: sharding.guildsPerShard };
    this.limiter = new RateLimiter(options.rateLimits);
    this.oauth = new UserOAuth(this.state, options.oauth2 ?? {});
    this.rest = new RestApi(
      this.state,
      [
        ...gatewayRoutes(deps),
        // Before userRoutes: their bearer-token routes share paths with the bot's (`GET /users/@me`).
        ...oauth2Routes(deps, this.oauth),
        ...roleConnectionRoutes(deps, this.oauth, this.roleConnections),
        ...userRoutes(deps),
        ...commandRoutes(deps),
        ...channelRoutes(deps),
        ...guildRoutes(deps),
        ...interactionRoutes(responses),
      ],
      this.limiter,
      baseUrl,
      (url, acceptsHtml) => this.oauth.authorize(url, acceptsHtml),
    );
    this.server = createServer((req, res) => void this.rest.onRequest(req, res));
    this.server.on('upgrade', (req, socket, head) => {
      if ((req.url ?? '').startsWith('/gateway')) this.gateway.handleUpgrade(req, socket, head);
      else socket.destroy();
    });
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
  get token(): string {
    return this.state.identity.token;
  }
  get applicationId(): string {
    return this.state.identity.applicationId;
  }
  get botUserId(): string {
    return this.state.identity.botUserId;
  }
  get oauthClientSecret(): string {
    return this.oauth.clientSecret;
  }
  get restCalls(): RestCallRecord[] {
    return this.rest.calls;
  }
  get interactions(): InteractionRecord[] {
    return this.state.interactions;
  }

  // ---------------------------------------------------------------- world (test side)

  addGuild(input: SimGuildInput): SimGuild {
    return this.admin.addGuild(input);
  }
  addGuilds(count: number, input?: (index: number) => Omit<SimGuildInput, 'id'>): SimGuild[] {
    return this.admin.addGuilds(count, input);
  }
  removeGuild(guildId: string): void {
    this.admin.removeGuild(guildId);
  }
  getGuild(guildId: string): SimGuild | undefined {
    return this.state.guilds.get(guildId);
  }
  addChannel(guildId: string, input: SimChannelInput): SimChannel {
    return this.admin.addChannel(guildId, input);
  }
  deleteChannel(guildId: string, channelId: string): void {
    this.admin.deleteChannel(guildId, channelId);
  }
  addRole(guildId: string, input: SimRoleInput): SimRole {
    return this.admin.addRole(guildId, input);
  }
  updateRole(guildId: string, roleId: string, update: SimRoleUpdate): SimRole {
    return this.admin.updateRole(guildId, roleId, update);
  }
  addMember(guildId: string, input: SimMemberInput): SimMember {
    return this.admin.addMember(guildId, input);
  }
  setChannelPermissions(channelId: string, perms: { canSend: boolean }): void {
    this.admin.setChannelPermissions(channelId, perms);
  }
  addAttachment(input: SimAttachmentInput): SimAttachment {
    return this.admin.addAttachment(input);
  }

  addUser(input: { id: string; username: string }): void {
    this.state.users.set(input.id, { id: input.id, username: input.username, bot: false });
  }

  // ---------------------------------------------------------------- user OAuth2 and Linked Roles (test side)

  setOAuthConsent(consent: OAuthConsent | null): void {
    this.oauth.setConsent(consent);
  }
  addOAuthRedirectUri(uri: string): void {
    this.oauth.redirectUris.add(uri);
  }
  revokeUserAuthorization(userId: string): void {
    this.oauth.revokeUser(userId);
  }
  expireUserAccessTokens(userId: string): void {
    this.oauth.expireAccessTokens(userId);
  }
  roleConnectionMetadata(): RoleConnectionMetadataRecord[] {
    return this.roleConnections.records.map((r) => ({ ...r }));
  }
  roleConnection(userId: string): UserRoleConnection | null {
    const c = this.roleConnections.connections.get(userId);
    return c ? { ...c, metadata: { ...c.metadata } } : null;
  }

  // ---------------------------------------------------------------- interactions (test side)

  async invoke(guildId: string, userId: string, commandLine: string, opts: InvokeOptions = {}): Promise<InteractionRecord> {
    return this.interactionDispatcher.invoke(guildId, userId, commandLine, opts);
  }
  async clickButton(message: SimMessage | { id: string; channelId: string }, customId: string, userId: string, opts: ClickOptions = {}): Promise<InteractionRecord> {
    return this.interactionDispatcher.clickButton(message, customId, userId, opts);
  }

  // ---------------------------------------------------------------- recorded state

  messages(channelId?: string): SimMessage[] {
    return this.state.messageOrder.filter((m) => !m.deleted && !m.ephemeral && (channelId === undefined || m.channelId === channelId));
  }
  allMessages(): SimMessage[] {
    return [...this.state.messageOrder];
  }
  registeredCommands(guildId?: string): RegisteredCommand[] {
    return guildId === undefined ? [...this.state.globalCommands] : [...(this.state.guildCommands.get(guildId) ?? [])];
  }
  rateLimitNext(match: RateLimitMatch, retryAfterSec: number): void {
    this.rest.rateLimitNext(match, retryAfterSec);
  }
  disconnectClient(): void {
    this.gateway.disconnectAll(4000, 'Simulated disconnect');
  }
  connectedClients(): number {
    return this.gateway.connectedCount();
  }
  configureRateLimits(options: RateLimitOptions | false): void {
    this.limiter.configure(options);
  }
  rateLimitStats(): RateLimitStats {
    return this.limiter.snapshot();
  }
  resetRateLimitStats(): void {
    this.limiter.resetStats();
  }
  gatewayStats(): GatewayStats {
    const g = this.gateway;
    return {
      identifies: g.readyCount,
      resumes: g.resumeCount,
      connected: g.connectedCount(),
      identifyLog: g.identifyLog.map((r) => ({ ...r })),
      identifyRateLimitViolations: g.identifyLog.filter((r) => r.tooFast).length,
      sessionStartLimit: g.sessionStartLimit(),
      sessions: g.sessionInfo(),
      closes: [...g.closes],
    };
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
}

/** The fields of `o` that are not undefined (so spreading it over defaults keeps the defaults). */
function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
