import { DiscordUserApi, LINKED_ROLES_METADATA, type RoleConnectionMetadataRecord } from '@kickcord/connections';
import type { BotEnv } from '../../env.ts';

/**
 * Registers kickcord's Linked Roles metadata with Discord (`PUT /applications/{id}/role-connections/metadata`,
 * bot token): what server admins can require in a linked role. Idempotent; `pnpm discord:register` runs it.
 */
export async function registerRoleConnectionMetadata(
  env: Pick<BotEnv, 'DISCORD_TOKEN' | 'DISCORD_CLIENT_ID' | 'DISCORD_API_URL'>,
  api: Pick<DiscordUserApi, 'putRoleConnectionMetadata'> = new DiscordUserApi({ apiUrl: env.DISCORD_API_URL }),
): Promise<RoleConnectionMetadataRecord[]> {
  return api.putRoleConnectionMetadata(env.DISCORD_TOKEN, env.DISCORD_CLIENT_ID, LINKED_ROLES_METADATA);
}
