import { DiscordSimServer } from './DiscordSimServer.ts';
import type { DiscordSim, DiscordSimOptions } from './types.ts';

/**
 * Start a local fake of Discord's REST API + gateway that a real discord.js 14 client can use:
 * `new Client({ intents, rest: { api: sim.apiUrl } })` then `client.login(sim.token)`.
 * Listens on 127.0.0.1 (port 0 = any free port); call `close()` when done.
 */
export async function startDiscordSim(options: DiscordSimOptions = {}): Promise<DiscordSim> {
  const sim = new DiscordSimServer(options);
  await sim.listen(options.port ?? 0);
  return sim;
}

export { DiscordSimError } from './DiscordSimError.ts';
export { tokenizeCommandLine } from './commandLine.ts';
export { snowflake, snowflakeTime } from './snowflake.ts';
export { shardOf } from './gateway/sharding.ts';
export { Perm, ALL_PERMISSIONS, DEFAULT_EVERYONE_PERMISSIONS, DEFAULT_BOT_PERMISSIONS } from './permissions.ts';
export type {
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
  SimRoleUpdate,
} from './types.ts';
export { SIM_OAUTH_SCOPES } from './oauth2/UserOAuth.ts';
export type { OAuthConsent } from './oauth2/UserOAuth.ts';
export type { RoleConnectionMetadataRecord, UserRoleConnection } from './oauth2/roleConnections.ts';
export type {
  GatewayCloseRecord,
  GatewayIdentifyRecord,
  GatewaySessionInfo,
  GatewayStats,
  RateLimitOptions,
  RateLimitStats,
  RouteLimit,
  ShardingOptions,
} from './limitTypes.ts';
