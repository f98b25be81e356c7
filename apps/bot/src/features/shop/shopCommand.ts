import { findLinkByDiscord } from '@kickcord/connections';
import { formatPointsAmount } from '@kickcord/core';
import type { AccountLink, ShopItem, ShopItemKind } from '@kickcord/db';
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  ChannelType,
  EmbedBuilder,
  MessageFlags,
  SlashCommandBuilder,
  StringSelectMenuBuilder,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type SlashCommandSubcommandBuilder,
  type StringSelectMenuInteraction,
} from 'discord.js';
import type { BotContext } from '../../context.ts';
import { isModerator, requireModerator } from '../../discord/permissions.ts';
import type { SlashCommand } from '../../discord/SlashCommand.ts';
import { routeSubcommands } from '../../discord/subcommands.ts';
import { formatPoints } from '../../formatPoints.ts';
import { interactionCall, runGuildAction } from '../../guildActions/guildActionsProcessor.ts';
import { UserFacingError } from '../../UserFacingError.ts';
import { queueMessage, SHOP_COMPONENT_PREFIX } from './redemptionQueue.ts';
import { purchaseItem, type PurchaseResult } from './redemptions.ts';
import { addShopItemAction, AlreadyDecidedError, editShopItemAction, fulfilRedemptionAction, refundRedemptionAction, removeShopItemAction, shopSettingsAction } from './shopActions.ts';
import { describeShopItem, listShopItems, SHOP_LIMITS, type ShopItemFields } from './shopItems.ts';

const KINDS: { name: string; value: ShopItemKind }[] = [
  { name: 'Discord role', value: 'role' },
  { name: 'Custom reward (redemption queue)', value: 'reward' },
  { name: 'Kick chat message', value: 'chat' },
];

/** Options an item's add and edit share. */
function itemOptions(s: SlashCommandSubcommandBuilder, adding: boolean): SlashCommandSubcommandBuilder {
  s.addStringOption((o) => o.setName('name').setDescription(adding ? 'What viewers type: !redeem <name>' : 'The item').setRequired(true).setMaxLength(32).setAutocomplete(!adding));
  if (adding) s.addStringOption((o) => o.setName('kind').setDescription('What the buyer gets').setRequired(true).addChoices(...KINDS));
  s.addIntegerOption((o) => o.setName('price').setDescription('Points it costs').setRequired(adding).setMinValue(1))
    .addIntegerOption((o) => o.setName('stock').setDescription(adding ? 'Units for sale (leave out: unlimited)' : 'Units left (-1: unlimited)').setMinValue(adding ? 0 : -1).setMaxValue(SHOP_LIMITS.maxStock))
    .addIntegerOption((o) => o.setName('per-viewer').setDescription('Purchases one viewer may make (0: no limit)').setMinValue(0).setMaxValue(SHOP_LIMITS.maxPerViewer))
    .addIntegerOption((o) => o.setName('cooldown').setDescription('Seconds a viewer waits between purchases (0: none)').setMinValue(0).setMaxValue(SHOP_LIMITS.maxCooldownSec))
    .addStringOption((o) => o.setName('input').setDescription(adding ? 'Ask the buyer for text, e.g. "song link" (leave out: no input)' : 'Ask the buyer for text ("-": no input)').setMaxLength(SHOP_LIMITS.maxPromptLength))
    .addStringOption((o) => o.setName('description').setDescription('A short description').setMaxLength(SHOP_LIMITS.maxDescriptionLength))
    .addRoleOption((o) => o.setName('role').setDescription('Role items: the role to give'))
    .addIntegerOption((o) => o.setName('days').setDescription('Role items: days the role is kept (0: permanent)').setMinValue(0).setMaxValue(SHOP_LIMITS.maxRoleDays))
    .addStringOption((o) => o.setName('message').setDescription('Chat items: the Kick chat message, with {user} {item} {price}').setMaxLength(500));
  if (!adding) s.addBooleanOption((o) => o.setName('enabled').setDescription('Offer the item to viewers'));
  return s;
}

const data = new SlashCommandBuilder()
  .setName('shop')
  .setDescription('The points shop: spend points on roles, rewards and chat messages')
  .setContexts(0)
  .addSubcommand((s) => s.setName('browse').setDescription('See the shop and buy with your points (needs a linked Kick account)'))
  .addSubcommand((s) =>
    s
      .setName('buy')
      .setDescription('Buy an item with your points (needs a linked Kick account)')
      .addStringOption((o) => o.setName('item').setDescription('The item').setRequired(true).setMaxLength(32).setAutocomplete(true))
      .addStringOption((o) => o.setName('input').setDescription('What the item asks for, if anything').setMaxLength(SHOP_LIMITS.maxInputLength)),
  )
  .addSubcommand((s) => itemOptions(s.setName('add').setDescription('Moderators: add an item'), true))
  .addSubcommand((s) => itemOptions(s.setName('edit').setDescription('Moderators: change an item'), false))
  .addSubcommand((s) =>
    s
      .setName('remove')
      .setDescription('Moderators: remove an item')
      .addStringOption((o) => o.setName('name').setDescription('The item').setRequired(true).setMaxLength(32).setAutocomplete(true)),
  )
  .addSubcommand((s) => s.setName('list').setDescription('Moderators: every item with stock, limits and the queue channel'))
  .addSubcommand((s) =>
    s
      .setName('settings')
      .setDescription('Moderators: where purchases wait for a moderator')
      .addChannelOption((o) => o.setName('queue-channel').setDescription("The moderators' channel for the redemption queue").addChannelTypes(ChannelType.GuildText).setRequired(true)),
  );

/** The `/shop add|edit` options that were given, as item fields (absent ones left out). */
function fieldsFrom(interaction: ChatInputCommandInteraction<'cached'>): Partial<ShopItemFields> {
  const o = interaction.options;
  const out: Partial<ShopItemFields> = {};
  const kind = o.getString('kind') as ShopItemKind | null;
  if (kind) out.kind = kind;
  const price = o.getInteger('price');
  if (price !== null) out.price = price;
  const stock = o.getInteger('stock');
  if (stock !== null) out.stock = stock < 0 ? null : stock;
  const perViewer = o.getInteger('per-viewer');
  if (perViewer !== null) out.perViewerLimit = perViewer;
  const cooldown = o.getInteger('cooldown');
  if (cooldown !== null) out.cooldownSec = cooldown;
  const input = o.getString('input');
  if (input !== null) out.inputPrompt = input.trim() === '-' ? null : input.trim();
  const description = o.getString('description');
  if (description !== null) out.description = description.trim();
  const role = o.getRole('role');
  if (role) out.roleId = role.id;
  const days = o.getInteger('days');
  if (days !== null) out.roleDays = days === 0 ? null : days;
  const message = o.getString('message');
  if (message !== null) out.template = message;
  const enabled = o.getBoolean('enabled');
  if (enabled !== null) out.enabled = enabled;
  return out;
}

async function add(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  requireModerator(interaction, '/shop add');
  const { enabled: _enabled, ...f } = fieldsFrom(interaction);
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const outcome = await runGuildAction(ctx, addShopItemAction, interactionCall(interaction), { name: interaction.options.getString('name', true), kind: f.kind ?? 'reward', price: f.price ?? 0, ...f });
  await interaction.editReply({ content: outcome.message, allowedMentions: { parse: [] } });
}

async function edit(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  requireModerator(interaction, '/shop edit');
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const outcome = await runGuildAction(ctx, editShopItemAction, interactionCall(interaction), { name: interaction.options.getString('name', true), changes: fieldsFrom(interaction) });
  await interaction.editReply({ content: outcome.message, allowedMentions: { parse: [] } });
}

async function remove(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  requireModerator(interaction, '/shop remove');
  const outcome = await runGuildAction(ctx, removeShopItemAction, interactionCall(interaction), { name: interaction.options.getString('name', true) });
  await interaction.reply({ content: outcome.message, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
}

async function list(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  requireModerator(interaction, '/shop list');
  const [items, settings, pending] = await Promise.all([
    listShopItems(ctx, interaction.guildId),
    ctx.prisma.guildSettings.findUnique({ where: { guildId: interaction.guildId }, select: { shopQueueChannelId: true } }),
    ctx.prisma.shopRedemption.count({ where: { guildId: interaction.guildId, status: 'pending' } }),
  ]);
  const queue = settings?.shopQueueChannelId ? `<#${settings.shopQueueChannelId}>` : 'not set (`/shop settings`)';
  const lines = items.map((i) => describeShopItem(i));
  await interaction.reply({
    embeds: [new EmbedBuilder().setTitle('🛒 Shop items').setDescription([...(lines.length > 0 ? lines : ['No items yet: `/shop add`.']), '', `Redemption queue: ${queue} · ${pending} waiting`].join('\n').slice(0, 4000)).setColor(0x53fc18)],
    flags: MessageFlags.Ephemeral,
    allowedMentions: { parse: [] },
  });
}

async function settings(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  requireModerator(interaction, '/shop settings');
  const channel = interaction.options.getChannel('queue-channel', true);
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const outcome = await runGuildAction(ctx, shopSettingsAction, interactionCall(interaction), { queueChannelId: channel.id });
  await interaction.editReply({ content: outcome.message });
}

/** The buyer's linked Kick account, or a clear error saying how to link. */
async function requireLinked(ctx: BotContext, discordUserId: string): Promise<AccountLink> {
  const linked = await findLinkByDiscord(ctx.prisma, discordUserId);
  if (!linked) throw new UserFacingError('The shop spends your Kick points: link your Kick account first with `/link start`.');
  return linked;
}

/** The ephemeral answer to a Discord purchase (the buyer may see their own input here). */
export function purchaseAnswer(result: PurchaseResult): string {
  switch (result.outcome) {
    case 'bought':
    case 'duplicate': {
      const { item, delivery } = result;
      if (delivery.state === 'refunded') return `⚠️ ${item.name} could not be delivered: ${delivery.reason} You got your ${formatPointsAmount(item.price)} back.`;
      const left = result.outcome === 'bought' ? ` You have ${formatPointsAmount(result.balance)} left.` : '';
      if (item.kind === 'role') return `✅ You bought **${item.name}**: <@&${item.roleId}> is yours${item.roleDays ? ` for ${item.roleDays} ${item.roleDays === 1 ? 'day' : 'days'}` : ''}.${left}`;
      if (item.kind === 'chat') return `✅ You bought **${item.name}**: it is posted in Kick chat.${left}`;
      return `✅ You redeemed **${item.name}** for ${formatPointsAmount(item.price)}. A moderator will take care of it.${left}`;
    }
    case 'unknown-item':
      return 'There is no such item (it may have been removed). See `/shop browse`.';
    case 'sold-out':
      return `**${result.item.name}** is sold out.`;
    case 'limit':
      return `You already bought **${result.item.name}** as often as one viewer may (${result.item.perViewerLimit}).`;
    case 'cooldown':
      return `You can buy **${result.item.name}** again in ${result.retryInSec}s.`;
    case 'insufficient':
      return `**${result.item.name}** costs ${formatPointsAmount(result.item.price)} — you have ${formatPoints(result.balance)}.`;
    case 'input-required':
      return `**${result.item.name}** asks for ${result.item.inputPrompt ?? 'some text'}: use \`/shop buy item:${result.item.name} input:…\`.`;
    case 'input-too-long':
      return `That input is too long: at most ${SHOP_LIMITS.maxInputLength} characters.`;
    case 'not-linked':
      return 'Link your Kick account first with `/link start`.';
  }
}

async function buy(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const linked = await requireLinked(ctx, interaction.user.id);
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const result = await purchaseItem(ctx, {
    guildId: interaction.guildId,
    itemName: interaction.options.getString('item', true),
    buyer: { kickUserId: linked.kickUserId, username: linked.kickUsername, discordUserId: interaction.user.id },
    input: interaction.options.getString('input'),
    source: { kind: 'discord', interactionId: interaction.id },
  });
  await interaction.editReply({ content: purchaseAnswer(result), allowedMentions: { parse: [] } });
}

function itemMenu(items: readonly ShopItem[]): ActionRowBuilder<StringSelectMenuBuilder> {
  return new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(
    new StringSelectMenuBuilder()
      .setCustomId(`${SHOP_COMPONENT_PREFIX}:pick`)
      .setPlaceholder('Choose an item')
      .addOptions(items.slice(0, 25).map((i) => ({ label: i.name, value: i.id, description: `${formatPointsAmount(i.price)}${i.stock === 0 ? ' · sold out' : i.stock !== null ? ` · ${i.stock} left` : ''}${i.description ? ` · ${i.description}` : ''}`.slice(0, 100) }))),
  );
}

async function browse(interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const linked = await requireLinked(ctx, interaction.user.id);
  const [items, stats] = await Promise.all([
    listShopItems(ctx, interaction.guildId, { enabledOnly: true }),
    ctx.prisma.viewerStats.findUnique({ where: { guildId_kickUserId: { guildId: interaction.guildId, kickUserId: linked.kickUserId } }, select: { points: true } }),
  ]);
  if (items.length === 0) throw new UserFacingError('The shop is empty right now.');
  await interaction.reply({
    embeds: [new EmbedBuilder().setTitle('🛒 Shop').setDescription(`${items.map((i) => describeShopItem(i)).join('\n')}\n\nYou have ${formatPointsAmount(stats?.points ?? 0)} (Kick: ${linked.kickUsername}).`.slice(0, 4000)).setColor(0x53fc18)],
    components: [itemMenu(items)],
    flags: MessageFlags.Ephemeral,
    allowedMentions: { parse: [] },
  });
}

/** The select menu of `/shop browse`: shows the chosen item with its Buy button. */
async function onSelect(interaction: StringSelectMenuInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const item = await ctx.prisma.shopItem.findFirst({ where: { id: interaction.values[0] ?? '', guildId: interaction.guildId, enabled: true } });
  if (!item) throw new UserFacingError('That item is no longer in the shop.');
  const items = await listShopItems(ctx, interaction.guildId, { enabledOnly: true });
  const canBuy = !item.inputPrompt && item.stock !== 0;
  const note = item.inputPrompt ? `\n\nThis item asks for ${item.inputPrompt}: use \`/shop buy item:${item.name} input:…\`.` : '';
  await interaction.update({
    embeds: [new EmbedBuilder().setTitle(`🛒 ${item.name}`).setDescription(`${describeShopItem(item)}${item.description ? `\n${item.description}` : ''}${note}`.slice(0, 4000)).setColor(0x53fc18)],
    components: [
      itemMenu(items),
      new ActionRowBuilder<ButtonBuilder>().addComponents(
        new ButtonBuilder().setCustomId(`${SHOP_COMPONENT_PREFIX}:buy:${item.id}`).setLabel(`Buy for ${formatPointsAmount(item.price)}`).setStyle(ButtonStyle.Primary).setDisabled(!canBuy),
      ),
    ],
    allowedMentions: { parse: [] },
  });
}

/** Buy (from `/shop browse`), Fulfil and Refund (the redemption queue; moderators only). */
async function onButton(interaction: ButtonInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const [, action = '', id = ''] = interaction.customId.split(':');
  if (action === 'buy') {
    const linked = await requireLinked(ctx, interaction.user.id);
    const item = await ctx.prisma.shopItem.findFirst({ where: { id, guildId: interaction.guildId } });
    if (!item) throw new UserFacingError('That item is no longer in the shop.');
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const result = await purchaseItem(ctx, {
      guildId: interaction.guildId,
      itemName: item.name,
      buyer: { kickUserId: linked.kickUserId, username: linked.kickUsername, discordUserId: interaction.user.id },
      input: null,
      source: { kind: 'discord', interactionId: interaction.id },
    });
    await interaction.editReply({ content: purchaseAnswer(result), allowedMentions: { parse: [] } });
    return;
  }
  if (action !== 'fulfil' && action !== 'refund') throw new UserFacingError('This button has expired.');
  if (!isModerator(interaction.memberPermissions)) throw new UserFacingError('Only moderators (Manage Server) fulfil or refund purchases.');
  try {
    await runGuildAction(ctx, action === 'fulfil' ? fulfilRedemptionAction : refundRedemptionAction, interactionCall(interaction), { redemptionId: id });
  } catch (error) {
    if (!(error instanceof AlreadyDecidedError)) throw error;
    // Someone decided first: the message shows their decision, and the clicker is told who.
    await interaction.update({ ...queueMessage(error.decided.redemption, error.decided.item), allowedMentions: { parse: [] } });
    await interaction.followUp({ content: error.message, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
    return;
  }
  const { item, ...redemption } = await ctx.prisma.shopRedemption.findUniqueOrThrow({ where: { id }, include: { item: true } });
  await interaction.update({ ...queueMessage(redemption, item), allowedMentions: { parse: [] } });
}

async function autocomplete(interaction: AutocompleteInteraction<'cached'>, ctx: BotContext): Promise<void> {
  const typed = String(interaction.options.getFocused()).trim().toLowerCase();
  const sub = interaction.options.getSubcommand(false);
  const items = await listShopItems(ctx, interaction.guildId, { enabledOnly: sub === 'buy' });
  await interaction.respond(items.filter((i) => i.name.includes(typed)).slice(0, 25).map((i) => ({ name: `${i.name} — ${formatPointsAmount(i.price)}`.slice(0, 100), value: i.name })));
}

/**
 * `/shop browse|buy` for linked viewers, `/shop add|edit|remove|list|settings` for moderators (checked here, since
 * the command itself is open to everyone), and the shop's buttons and select menu.
 */
export const shopCommand: SlashCommand = {
  data: data.toJSON(),
  moderatorOnly: false,
  ...routeSubcommands({ browse, buy, add, edit, remove, list, settings }),
  autocomplete,
  buttonPrefix: SHOP_COMPONENT_PREFIX,
  onButton,
  onSelect,
};
