/**
 * The shop's changes as guild actions: `/shop add|edit|remove|settings`, the redemption queue's Fulfil and Refund
 * buttons, and the web dashboard's shop page all run these, so both places check the same things, answer with the
 * same words and leave the same audit entries.
 */
import { formatPointsAmount } from '@kickcord/core';
import { auditChanges, BalanceLimitError, type ShopItem, type ShopRedemption } from '@kickcord/db';
import { z } from 'zod';
import type { BotContext } from '../../context.ts';
import { diagnoseRoles } from '../../discord/memberRoles.ts';
import { auditAction, defineGuildAction, type GuildActionCall } from '../../guildActions/GuildAction.ts';
import { requireGuildRole, requireGuildTextChannel } from '../../guildActions/guildDirectory.ts';
import { forgetGuildSettings } from '../../guildSettings.ts';
import { UserFacingError } from '../../UserFacingError.ts';
import { postWaitingRedemptions, updateQueueMessage } from './redemptionQueue.ts';
import { fulfilRedemption, refundRedemption, type DecisionResult } from './redemptions.ts';
import { addShopItem, deleteShopItem, describeShopItem, nextShopItemFields, pickFields, requireShopItem, requireShopItemById, updateShopItem, type ShopItemFields } from './shopItems.ts';

/** What a shop item can be. */
export const SHOP_ITEM_KINDS = ['role', 'reward', 'chat'] as const;
/** Longest chat message template (the slash command option's limit). */
export const MAX_SHOP_TEMPLATE_LENGTH = 500;

const snowflake = z.string().regex(/^\d{15,21}$/, 'must be a Discord id');
const whole = (what: string) => z.number({ error: `${what} must be a whole number.` });
const kindSchema = z.enum(SHOP_ITEM_KINDS, { error: () => 'Choose what the buyer gets: role, reward or chat.' });

/** The item fields both `/shop add` and `/shop edit` set (the numbers' ranges are checked by `validateShopItem`). */
const fieldShapes = {
  kind: kindSchema,
  price: whole('The price'),
  stock: whole('The stock').nullable(),
  perViewerLimit: whole('The per-viewer limit'),
  cooldownSec: whole('The cooldown (seconds)'),
  inputPrompt: z.string().max(1_000).nullable(),
  description: z.string().max(1_000),
  roleId: snowflake.nullable(),
  roleDays: whole('The role duration (days)').nullable(),
  template: z.string().max(MAX_SHOP_TEMPLATE_LENGTH, `A chat message template is at most ${MAX_SHOP_TEMPLATE_LENGTH} characters.`).nullable(),
  enabled: z.boolean(),
};

/** Which item: its id (the dashboard) or its name (the slash commands). */
const itemRef = { itemId: z.string().min(1).max(64).optional(), name: z.string().max(64).optional() };

async function requireItem(ctx: BotContext, call: GuildActionCall, ref: { itemId?: string | undefined; name?: string | undefined }): Promise<ShopItem> {
  if (ref.itemId) return requireShopItemById(ctx, call.guildId, ref.itemId);
  if (ref.name !== undefined) return requireShopItem(ctx, call.guildId, ref.name);
  throw new UserFacingError('Choose an item.');
}

/** Refuses a role of another server, and a role kickcord cannot give (saying what to fix). */
async function checkItemRole(ctx: BotContext, guildId: string, roleId: string): Promise<void> {
  if (roleId !== guildId) await requireGuildRole(ctx, guildId, roleId);
  // Asked over REST (a worker has no gateway cache); when Discord cannot say, the purchase checks again.
  const problem = await diagnoseRoles(ctx.discordRest, guildId, [roleId])
    .then((found) => found.get(roleId) ?? null)
    .catch(() => null);
  if (problem) throw new UserFacingError(`${problem.text.charAt(0).toUpperCase()}${problem.text.slice(1)}.`);
}

/** Refuses a reward item while no redemption queue channel is set (its purchases would wait unseen). */
async function requireQueueChannel(ctx: BotContext, guildId: string): Promise<void> {
  const settings = await ctx.prisma.guildSettings.findUnique({ where: { guildId }, select: { shopQueueChannelId: true } });
  if (!settings?.shopQueueChannelId) throw new UserFacingError('Rewards wait for a moderator in the redemption queue: choose its channel first with `/shop settings queue-channel:`.');
}

/** An item's settings for the audit log. */
function auditFields(fields: ShopItemFields): Record<string, string | number | boolean | null> {
  return { ...fields };
}

/** `/shop add`, and the dashboard's "Add item". */
export const addShopItemAction = defineGuildAction({
  name: 'shop.item.add',
  input: z.object({
    name: z.string().max(64),
    kind: kindSchema,
    price: fieldShapes.price,
    stock: fieldShapes.stock.default(null),
    perViewerLimit: fieldShapes.perViewerLimit.default(0),
    cooldownSec: fieldShapes.cooldownSec.default(0),
    inputPrompt: fieldShapes.inputPrompt.default(null),
    description: fieldShapes.description.default(''),
    roleId: fieldShapes.roleId.default(null),
    roleDays: fieldShapes.roleDays.default(null),
    template: fieldShapes.template.default(null),
  }),
  async run(ctx, call, input) {
    const { name, ...rest } = input;
    const fields: ShopItemFields = { ...rest, inputPrompt: rest.inputPrompt === null ? null : rest.inputPrompt.trim(), description: rest.description.trim(), enabled: true };
    if (fields.roleId) await checkItemRole(ctx, call.guildId, fields.roleId);
    if (fields.kind === 'reward') await requireQueueChannel(ctx, call.guildId);
    const item = await addShopItem(ctx, { guildId: call.guildId, actorDiscordId: call.actor.id, name, ...fields });
    await auditAction(ctx, call, 'shop.item.add', { item: item.name, ...auditFields(pickFields(item)) });
    return { message: `Added ${describeShopItem(item)}.\nViewers buy it with \`!redeem ${item.name}\` in Kick chat or \`/shop buy\` in Discord.`, data: { itemId: item.id } };
  },
});

/** `/shop edit`, and the dashboard's item form: changes the fields given; the item is checked as a whole. */
export const editShopItemAction = defineGuildAction({
  name: 'shop.item.edit',
  input: z.object({ ...itemRef, changes: z.object(fieldShapes).partial() }),
  async run(ctx, call, input) {
    const item = await requireItem(ctx, call, input);
    const changes = Object.fromEntries(Object.entries(input.changes).filter(([, v]) => v !== undefined)) as Partial<ShopItemFields>;
    if (Object.keys(changes).length === 0) throw new UserFacingError('Give at least one option to change.');
    if (changes.inputPrompt) changes.inputPrompt = changes.inputPrompt.trim();
    if (changes.description !== undefined) changes.description = changes.description.trim();
    // A role chosen anew is checked (the dashboard's form sends the item's role with every save).
    if (changes.roleId && changes.roleId !== item.roleId) await checkItemRole(ctx, call.guildId, changes.roleId);
    if (nextShopItemFields(item, changes).kind === 'reward' && item.kind !== 'reward') await requireQueueChannel(ctx, call.guildId);
    const updated = await updateShopItem(ctx, item, changes);
    const changed = auditChanges(auditFields(pickFields(item)), auditFields(pickFields(updated)));
    if (Object.keys(changed).length > 0) await auditAction(ctx, call, 'shop.item.edit', { item: item.name, ...changed });
    return { message: `Updated ${describeShopItem(updated)}.`, data: { itemId: updated.id } };
  },
});

/** The dashboard's Pause / Resume (`/shop edit enabled:` does the same through the edit). */
export const pauseShopItemAction = defineGuildAction({
  name: 'shop.item.pause',
  input: z.object({ ...itemRef, enabled: z.boolean() }),
  async run(ctx, call, input) {
    const item = await requireItem(ctx, call, input);
    if (item.enabled === input.enabled) return { message: input.enabled ? `**${item.name}** is already on sale.` : `**${item.name}** is already paused.` };
    await ctx.prisma.shopItem.update({ where: { id: item.id }, data: { enabled: input.enabled } });
    await auditAction(ctx, call, 'shop.item.pause', { item: item.name, enabled: { from: item.enabled, to: input.enabled } });
    return { message: input.enabled ? `▶️ **${item.name}** is on sale again.` : `⏸️ **${item.name}** is paused: viewers cannot buy it until you resume it.` };
  },
});

/** `/shop remove`, and the dashboard's Delete (refused while purchases of it wait or its timed roles run). */
export const removeShopItemAction = defineGuildAction({
  name: 'shop.item.remove',
  input: z.object(itemRef),
  async run(ctx, call, input) {
    const item = await requireItem(ctx, call, input);
    await deleteShopItem(ctx, item);
    await auditAction(ctx, call, 'shop.item.remove', { item: item.name, kind: item.kind, price: item.price });
    return { message: `Removed **${item.name}** from the shop.` };
  },
});

/** `/shop settings`, and the dashboard's redemptions channel: where purchases wait for a moderator. */
export const shopSettingsAction = defineGuildAction({
  name: 'shop.settings',
  input: z.object({ queueChannelId: snowflake }),
  async run(ctx, call, input) {
    const channel = await requireGuildTextChannel(ctx, call.guildId, input.queueChannelId);
    const before = await ctx.prisma.guildSettings.findUnique({ where: { guildId: call.guildId }, select: { shopQueueChannelId: true } });
    await ctx.prisma.guildSettings.upsert({ where: { guildId: call.guildId }, create: { guildId: call.guildId, shopQueueChannelId: channel.id }, update: { shopQueueChannelId: channel.id } });
    await forgetGuildSettings(ctx, call.guildId);
    if ((before?.shopQueueChannelId ?? null) !== channel.id) await auditAction(ctx, call, 'shop.settings', { queueChannel: { from: before?.shopQueueChannelId ?? null, to: channel.id } });
    const posted = await postWaitingRedemptions(ctx, call.guildId);
    return {
      message: `Purchases that need a moderator now wait in <#${channel.id}> with Fulfil and Refund buttons.${posted > 0 ? ` ${posted} waiting ${posted === 1 ? 'purchase was' : 'purchases were'} posted there.` : ''}`,
    };
  },
});

/** A Fulfil or Refund of a purchase that someone else decided first; carries the purchase as it now is. */
export class AlreadyDecidedError extends UserFacingError {
  constructor(
    message: string,
    readonly decided: { redemption: ShopRedemption; item: ShopItem },
  ) {
    super(message);
  }
}

/** The answer to a decision: refusals for an unknown or already decided purchase, an audit entry otherwise. */
async function decided(ctx: BotContext, call: GuildActionCall, verb: 'fulfil' | 'refund', result: DecisionResult): Promise<{ message: string; data: { redemptionId: string; status: string } }> {
  if (result.outcome === 'unknown') throw new UserFacingError('This purchase no longer exists.');
  const { redemption, item } = result;
  if (result.outcome === 'already') {
    throw new AlreadyDecidedError(`This purchase was already ${redemption.status}${redemption.decidedByDiscordId ? ` by <@${redemption.decidedByDiscordId}>` : ''}.`, { redemption, item });
  }
  await auditAction(ctx, call, `shop.redemption.${verb}`, { redemption: redemption.id, item: item.name, viewer: redemption.username, price: redemption.price });
  // A button updates its own message; a decision made elsewhere updates the queue message over REST.
  if (call.source !== 'discord') await updateQueueMessage(ctx, redemption, item);
  const message = verb === 'fulfil' ? `✅ Fulfilled **${item.name}** for **${redemption.username}**.` : `↩️ Refunded **${item.name}**: ${formatPointsAmount(redemption.price)} went back to **${redemption.username}**.`;
  return { message, data: { redemptionId: redemption.id, status: redemption.status } };
}

const redemptionInput = z.object({ redemptionId: z.string().min(1).max(64) });

/** The queue's Fulfil button, and the dashboard's: marks a waiting purchase done (once). */
export const fulfilRedemptionAction = defineGuildAction({
  name: 'shop.redemption.fulfil',
  input: redemptionInput,
  async run(ctx, call, input) {
    return decided(ctx, call, 'fulfil', await fulfilRedemption(ctx, { guildId: call.guildId, redemptionId: input.redemptionId, actorDiscordId: call.actor.id }));
  },
});

/** The queue's Refund button, and the dashboard's: gives the exact price back (once) and the unit back to stock. */
export const refundRedemptionAction = defineGuildAction({
  name: 'shop.redemption.refund',
  input: redemptionInput,
  async run(ctx, call, input) {
    let result: DecisionResult;
    try {
      result = await refundRedemption(ctx, { guildId: call.guildId, redemptionId: input.redemptionId, actorDiscordId: call.actor.id });
    } catch (error) {
      if (error instanceof BalanceLimitError) throw new UserFacingError("The refund would carry the viewer's balance past the maximum, so nothing was refunded.");
      throw error;
    }
    return decided(ctx, call, 'refund', result);
  },
});

/** Every shop action. */
export const shopActions = [addShopItemAction, editShopItemAction, pauseShopItemAction, removeShopItemAction, shopSettingsAction, fulfilRedemptionAction, refundRedemptionAction] as const;
