import { Routes, type REST, type RESTGetAPIGatewayBotResult } from 'discord.js';
import { GatewayStartError } from './GatewayStartError.ts';
import { formatShardIds } from './shardIds.ts';

/** The shards one gateway process holds. */
export interface ShardPlan {
  /** Total shards of the bot (the `num_shards` every process sends in IDENTIFY). */
  shardCount: number;
  /** The shard ids this process holds, ascending. */
  shardIds: number[];
  /** Discord's recommendation from `GET /gateway/bot` (when it was asked). */
  recommendedShards?: number;
}

/**
 * Decides which shards this process holds. `auto` asks Discord (`GET /gateway/bot` → `shards`) for the count;
 * discord.js's own `'auto'` would take every shard, which is wrong for a process that holds a subset.
 * `shardIds` unset = every shard of the count.
 */
export async function resolveShardPlan(config: { shardCount: number | 'auto'; shardIds: readonly number[] | undefined }, rest: Pick<REST, 'get'>): Promise<ShardPlan> {
  let shardCount: number;
  let recommendedShards: number | undefined;
  if (config.shardCount === 'auto') {
    const info = (await rest.get(Routes.gatewayBot())) as RESTGetAPIGatewayBotResult;
    recommendedShards = Math.max(1, info.shards);
    shardCount = recommendedShards;
  } else {
    shardCount = config.shardCount;
  }
  const shardIds = config.shardIds ? [...config.shardIds] : Array.from({ length: shardCount }, (_, i) => i);
  const outside = shardIds.filter((id) => id >= shardCount);
  if (outside.length > 0) {
    const ids = formatShardIds(outside);
    throw new GatewayStartError(
      config.shardCount === 'auto'
        ? `DISCORD_SHARD_IDS names shard ${ids}, but Discord recommends ${shardCount} shard${shardCount === 1 ? '' : 's'} (ids 0-${shardCount - 1}) for DISCORD_SHARD_COUNT=auto: ` +
            `set DISCORD_SHARD_COUNT to the total number of shards every process shares (e.g. ${Math.max(...outside) + 1}), or give ids below ${shardCount}.`
        : `DISCORD_SHARD_IDS names shard ${ids}, but DISCORD_SHARD_COUNT=${shardCount} means shard ids 0-${shardCount - 1}.`,
    );
  }
  return { shardCount, shardIds, ...(recommendedShards === undefined ? {} : { recommendedShards }) };
}
