import { Events, GatewayCloseCodes, Routes, type Client, type REST, type RESTGetAPIGatewayBotResult } from 'discord.js';
import { GatewayStartError } from './GatewayStartError.ts';
import type { ShardPlan } from './resolveShardPlan.ts';
import { formatShardIds } from './shardIds.ts';

/** How @discordjs/ws words the errors of the close codes it gives up on (when the code itself was not seen). */
const CLOSE_CODE_BY_MESSAGE: Readonly<Record<string, number>> = {
  'Sharding is required': GatewayCloseCodes.ShardingRequired,
  'Invalid shard': GatewayCloseCodes.InvalidShard,
  'Authentication failed': GatewayCloseCodes.AuthenticationFailed,
  'Used invalid intents': GatewayCloseCodes.InvalidIntents,
  'Used disallowed intents': GatewayCloseCodes.DisallowedIntents,
};

function describePlan(plan: Pick<ShardPlan, 'shardIds' | 'shardCount'>): string {
  return plan.shardCount === 1 ? 'unsharded (DISCORD_SHARD_COUNT=1)' : `as shard ${formatShardIds(plan.shardIds)} of ${plan.shardCount} (DISCORD_SHARD_IDS=${formatShardIds(plan.shardIds)}, DISCORD_SHARD_COUNT=${plan.shardCount})`;
}

/**
 * What to tell the operator when Discord closed the gateway with `code` and will not take this process back
 * as configured; undefined for codes that are not about the configuration.
 */
export function explainGatewayClose(code: number, plan: Pick<ShardPlan, 'shardIds' | 'shardCount'>, recommendedShards?: number): string | undefined {
  switch (code) {
    case GatewayCloseCodes.ShardingRequired: {
      const atLeast = Math.max(recommendedShards ?? 0, plan.shardCount + 1);
      return (
        `Discord requires sharding for this many guilds (close code 4011): this process identified ${describePlan(plan)}. ` +
        `Set DISCORD_SHARD_COUNT=auto (or a number ≥ ${atLeast}${recommendedShards ? `; Discord recommends ${recommendedShards}` : ''}) and give each gateway process its DISCORD_SHARD_IDS.`
      );
    }
    case GatewayCloseCodes.InvalidShard:
      return (
        `Discord refused the shard (close code 4010 Invalid shard): this process identified ${describePlan(plan)}. ` +
        'DISCORD_SHARD_IDS must list ids below DISCORD_SHARD_COUNT, and every gateway process must use the same DISCORD_SHARD_COUNT.'
      );
    case GatewayCloseCodes.AuthenticationFailed:
      return 'Discord rejected DISCORD_TOKEN on the gateway (close code 4004 Authentication failed): copy the token again from the Developer Portal (your application → Bot → Reset Token).';
    case GatewayCloseCodes.InvalidIntents:
    case GatewayCloseCodes.DisallowedIntents:
      return `Discord refused the gateway intents (close code ${code}): kickcord needs only the Guilds intent, which is not privileged; check the application in the Developer Portal.`;
    default:
      return undefined;
  }
}

/**
 * Logs the client in with its shards. When Discord closes the gateway for good (sharding required, invalid
 * shard, bad token), the client is destroyed and a {@link GatewayStartError} names the setting to change.
 */
export async function loginGateway(client: Client, input: { token: string; plan: Pick<ShardPlan, 'shardIds' | 'shardCount'>; rest: Pick<REST, 'get'> }): Promise<void> {
  const closeCodes: number[] = [];
  const onDisconnect = (event: { code: number }) => closeCodes.push(event.code);
  client.on(Events.ShardDisconnect, onDisconnect);
  try {
    await client.login(input.token);
  } catch (error) {
    await client.destroy().catch(() => undefined);
    const message = error instanceof Error ? error.message : '';
    const code = closeCodes.find((c) => explainGatewayClose(c, input.plan) !== undefined) ?? CLOSE_CODE_BY_MESSAGE[message];
    if (code === undefined) throw error;
    let recommended: number | undefined;
    if (code === GatewayCloseCodes.ShardingRequired) {
      recommended = await input.rest
        .get(Routes.gatewayBot())
        .then((info) => (info as RESTGetAPIGatewayBotResult).shards)
        .catch(() => undefined);
    }
    throw new GatewayStartError(explainGatewayClose(code, input.plan, recommended) ?? message, code);
  } finally {
    client.off(Events.ShardDisconnect, onDisconnect);
  }
}
