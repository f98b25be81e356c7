import { compileTemplate, formatPointsAmount } from '@kickcord/core';
import { MAX_BALANCE, type ShopItem, type ShopItemKind } from '@kickcord/db';
import type { BotContext } from '../../context.ts';
import { isUniqueViolation } from '../../database/isUniqueViolation.ts';
import { formatPoints } from '../../formatPoints.ts';
import { UserFacingError } from '../../UserFacingError.ts';

/** Variables a chat-message item's template may use. The buyer's free input is deliberately not one of them. */
export const SHOP_TEMPLATE_VARIABLES = ['user', 'item', 'price', 'random'] as const;
/** What an item name must look like (it is typed in Kick chat: `!redeem <name>`). */
export const SHOP_ITEM_NAME_PATTERN = /^[a-z0-9_-]{1,32}$/;
/** Limits of an item's numbers. */
export const SHOP_LIMITS = { maxStock: 1_000_000, maxPerViewer: 1_000_000, maxCooldownSec: 30 * 86_400, maxRoleDays: 3650, maxInputLength: 200, maxPromptLength: 100, maxDescriptionLength: 200 } as const;
/** Items one guild may have (Discord select menus show 25; Kick's `!shop` line names the first ones). */
export const MAX_SHOP_ITEMS = 25;

/** The fields of an item a moderator sets (`/shop add`, `/shop edit`). */
export interface ShopItemFields {
  kind: ShopItemKind;
  price: number;
  stock: number | null;
  perViewerLimit: number;
  cooldownSec: number;
  inputPrompt: string | null;
  description: string;
  roleId: string | null;
  roleDays: number | null;
  template: string | null;
  enabled: boolean;
}

/** Lower-cases and checks an item name, or throws a {@link UserFacingError} saying what is allowed. */
export function normalizeItemName(raw: string): string {
  const name = raw.trim().toLowerCase();
  if (!SHOP_ITEM_NAME_PATTERN.test(name)) throw new UserFacingError('Item names are 1–32 characters: letters, digits, `-` and `_` (viewers type `!redeem <name>`).');
  return name;
}

function wholeNumber(value: number | null, what: string, min: number, max: number): void {
  if (value === null) return;
  if (!Number.isInteger(value) || value < min || value > max) throw new UserFacingError(`${what} must be a whole number from ${formatPoints(min)} to ${formatPoints(max)}.`);
}

/** Checks a complete item (every field after an add or edit), throwing a {@link UserFacingError} naming the first problem. */
export function validateShopItem(item: ShopItemFields): void {
  wholeNumber(item.price, 'The price', 1, MAX_BALANCE);
  wholeNumber(item.stock, 'The stock', 0, SHOP_LIMITS.maxStock);
  wholeNumber(item.perViewerLimit, 'The per-viewer limit', 0, SHOP_LIMITS.maxPerViewer);
  wholeNumber(item.cooldownSec, 'The cooldown (seconds)', 0, SHOP_LIMITS.maxCooldownSec);
  if (item.inputPrompt !== null && (item.inputPrompt.trim().length === 0 || item.inputPrompt.length > SHOP_LIMITS.maxPromptLength)) {
    throw new UserFacingError(`The input prompt is 1–${SHOP_LIMITS.maxPromptLength} characters (or leave it out for an item without viewer input).`);
  }
  if (item.description.length > SHOP_LIMITS.maxDescriptionLength) throw new UserFacingError(`The description is at most ${SHOP_LIMITS.maxDescriptionLength} characters.`);
  if (item.kind === 'role') {
    if (!item.roleId) throw new UserFacingError('A role item needs a `role`.');
    wholeNumber(item.roleDays, 'The role duration (days)', 1, SHOP_LIMITS.maxRoleDays);
  }
  if (item.kind === 'chat') {
    if (!item.template) throw new UserFacingError('A chat message item needs a `message` template, e.g. `{user} redeemed {item}! 💧`.');
    const compiled = compileTemplate(item.template, { allowed: SHOP_TEMPLATE_VARIABLES });
    if (!compiled.ok) throw new UserFacingError(`The message template has mistakes: ${compiled.errors.map((e) => e.message).join(' ')}`);
  }
}

/** Adds an item to the guild's shop. */
export async function addShopItem(ctx: BotContext, input: { guildId: string; actorDiscordId: string; name: string } & ShopItemFields): Promise<ShopItem> {
  const name = normalizeItemName(input.name);
  const { guildId, actorDiscordId, name: _raw, ...fields } = input;
  validateShopItem(fields);
  if ((await ctx.prisma.shopItem.count({ where: { guildId } })) >= MAX_SHOP_ITEMS) throw new UserFacingError(`A shop holds at most ${MAX_SHOP_ITEMS} items: remove one first.`);
  try {
    return await ctx.prisma.shopItem.create({ data: { guildId, name, createdByDiscordId: actorDiscordId, ...fields, roleId: fields.kind === 'role' ? fields.roleId : null, roleDays: fields.kind === 'role' ? fields.roleDays : null, template: fields.kind === 'chat' ? fields.template : null } });
  } catch (error) {
    if (isUniqueViolation(error)) throw new UserFacingError(`There is already an item named \`${name}\`: use \`/shop edit\`.`);
    throw error;
  }
}

/** The guild's item by name, or a {@link UserFacingError}. */
export async function requireShopItem(ctx: Pick<BotContext, 'prisma'>, guildId: string, rawName: string): Promise<ShopItem> {
  const name = rawName.trim().toLowerCase();
  const item = await ctx.prisma.shopItem.findUnique({ where: { guildId_name: { guildId, name } } });
  if (!item) throw new UserFacingError(`There is no item named \`${name.slice(0, 32)}\`. See \`/shop list\`.`);
  return item;
}

/** The guild's item with id `itemId` (an item of another guild is "not in the shop"), or a {@link UserFacingError}. */
export async function requireShopItemById(ctx: Pick<BotContext, 'prisma'>, guildId: string, itemId: string): Promise<ShopItem> {
  const item = await ctx.prisma.shopItem.findFirst({ where: { id: itemId, guildId } });
  if (!item) throw new UserFacingError('That item is no longer in the shop.');
  return item;
}

/** Changes some fields of an item; the result is checked as a whole (e.g. turning an item into a role item needs a role). */
export async function editShopItem(ctx: BotContext, input: { guildId: string; name: string; changes: Partial<ShopItemFields> }): Promise<ShopItem> {
  return updateShopItem(ctx, await requireShopItem(ctx, input.guildId, input.name), input.changes);
}

/** {@link editShopItem} for an item already read. */
export async function updateShopItem(ctx: Pick<BotContext, 'prisma'>, item: ShopItem, rawChanges: Partial<ShopItemFields>): Promise<ShopItem> {
  const changes = Object.fromEntries(Object.entries(rawChanges).filter(([, v]) => v !== undefined)) as Partial<ShopItemFields>;
  const next = nextShopItemFields(item, changes);
  validateShopItem(next);
  return ctx.prisma.shopItem.update({ where: { id: item.id }, data: { ...changes, roleId: next.kind === 'role' ? next.roleId : null, roleDays: next.kind === 'role' ? next.roleDays : null, template: next.kind === 'chat' ? next.template : null } });
}

/** An item's fields after `changes` (undefined ones left as they are). */
export function nextShopItemFields(item: ShopItem, changes: Partial<ShopItemFields>): ShopItemFields {
  const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as Partial<ShopItemFields>;
  return { ...pickFields(item), ...defined };
}

/** The fields a moderator sets, of a stored item. */
export function pickFields(item: ShopItem): ShopItemFields {
  const { kind, price, stock, perViewerLimit, cooldownSec, inputPrompt, description, roleId, roleDays, template, enabled } = item;
  return { kind, price, stock, perViewerLimit, cooldownSec, inputPrompt, description, roleId, roleDays, template, enabled };
}

/**
 * Removes an item. Refused while a purchase of it waits in the redemption queue (fulfil or refund it first) or
 * while a timed role bought with it is still to be removed, so no viewer loses what they paid for.
 */
export async function removeShopItem(ctx: Pick<BotContext, 'prisma'>, input: { guildId: string; name: string }): Promise<ShopItem> {
  const item = await requireShopItem(ctx, input.guildId, input.name);
  await deleteShopItem(ctx, item);
  return item;
}

/** {@link removeShopItem} for an item already read (with the same refusals). */
export async function deleteShopItem(ctx: Pick<BotContext, 'prisma'>, item: ShopItem): Promise<void> {
  const pending = await ctx.prisma.shopRedemption.count({ where: { itemId: item.id, status: 'pending' } });
  if (pending > 0) throw new UserFacingError(`${pending} ${pending === 1 ? 'purchase' : 'purchases'} of \`${item.name}\` still wait in the redemption queue: fulfil or refund them first (or disable the item with \`/shop edit enabled:false\`).`);
  const timed = await ctx.prisma.shopRedemption.count({ where: { itemId: item.id, status: 'fulfilled', roleExpiresAt: { not: null }, roleRemovedAt: null } });
  if (timed > 0) throw new UserFacingError(`${timed} timed ${timed === 1 ? 'role' : 'roles'} bought with \`${item.name}\` still run: disable the item with \`/shop edit enabled:false\` until they end.`);
  await ctx.prisma.shopItem.delete({ where: { id: item.id } });
}

/** The guild's items, by price then name (`enabledOnly` for what viewers see). */
export async function listShopItems(ctx: Pick<BotContext, 'prisma'>, guildId: string, options: { enabledOnly?: boolean } = {}): Promise<ShopItem[]> {
  return ctx.prisma.shopItem.findMany({ where: { guildId, ...(options.enabledOnly ? { enabled: true } : {}) }, orderBy: [{ price: 'asc' }, { name: 'asc' }] });
}

/** One line describing an item for Discord: kind, price, stock, limits. */
export function describeShopItem(item: ShopItem): string {
  const kind = item.kind === 'role' ? `role <@&${item.roleId}>${item.roleDays ? ` for ${item.roleDays} ${item.roleDays === 1 ? 'day' : 'days'}` : ''}` : item.kind === 'chat' ? 'Kick chat message' : 'reward (moderators fulfil it)';
  const parts = [`**${item.name}** — ${formatPointsAmount(item.price)} · ${kind}`];
  if (item.stock !== null) parts.push(item.stock === 0 ? 'sold out' : `${formatPoints(item.stock)} left`);
  if (item.perViewerLimit > 0) parts.push(`${item.perViewerLimit} per viewer`);
  if (item.cooldownSec > 0) parts.push(`cooldown ${item.cooldownSec}s`);
  if (item.inputPrompt) parts.push(`asks: ${item.inputPrompt}`);
  if (!item.enabled) parts.push('disabled');
  return parts.join(' · ');
}
