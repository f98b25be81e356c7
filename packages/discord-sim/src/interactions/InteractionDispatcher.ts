import { randomBytes } from 'node:crypto';
import { apiChannel, apiMember, apiUser } from '../apiObjects.ts';
import { checkRequiredOptions, matchCommandLine, SUB_COMMAND, SUB_COMMAND_GROUP } from '../commandLine.ts';
import { DiscordSimError } from '../DiscordSimError.ts';
import type { Gateway } from '../gateway/Gateway.ts';
import type { MessageStore } from '../messages/MessageStore.ts';
import { Perm } from '../permissions.ts';
import type { GuildAdmin } from '../state/GuildAdmin.ts';
import type { GuildState, InteractionState, SimState } from '../state/SimState.ts';
import { snowflake } from '../snowflake.ts';
import type { ClickOptions, InteractionRecord, InvokeOptions, SimChannel, SimMember, SimMessage, SimOptionValues } from '../types.ts';
import { coerceOption, type ResolvedData } from './coerceOption.ts';

/**
 * Builds INTERACTION_CREATE payloads the way Discord does — slash commands and autocomplete from a
 * command line (`invoke`), component clicks (`clickButton`) — records them, and dispatches them.
 */
export class InteractionDispatcher {
  constructor(
    private readonly state: SimState,
    private readonly gateway: Gateway,
    private readonly admin: GuildAdmin,
    private readonly messages: MessageStore,
  ) {}

  invoke(guildId: string, userId: string, commandLine: string, opts: InvokeOptions = {}): InteractionRecord {
    const guild = this.state.requireGuild(guildId);
    const member = this.admin.memberOrCreate(guild, userId);
    const channel = this.state.pickChannel(guild, opts.channelId);
    const commands = [...(this.state.guildCommands.get(guildId) ?? []), ...this.state.globalCommands];
    const match = matchCommandLine(commandLine, commands);
    const autocomplete = opts.type === 'autocomplete';
    if (!autocomplete) checkRequiredOptions(match);
    const roles = opts.roles ?? member.roles;
    const memberPerms = opts.permissions !== undefined ? BigInt(opts.permissions) : this.state.memberChannelPerms(guild, channel, userId, roles);
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
    const resolved: ResolvedData = {};
    const leafOptions: Record<string, unknown>[] = [];
    const values: SimOptionValues = {};
    match.assignments.forEach(({ def, raw }, i) => {
      const focused = autocomplete && i === match.assignments.length - 1;
      const value = focused ? raw : coerceOption(this.state, guild, channel, def, raw, resolved, memberPerms);
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
    const state = this.dispatch(guild, channel, member, autocomplete ? 4 : 2, data, { ...opts, roles, permissions: memberPerms });
    Object.assign(state.record, { commandName: match.command.name, subcommandGroup: match.group, subcommand: match.subcommand, options: values, rawOptions: options });
    return state.record;
  }

  clickButton(message: SimMessage | { id: string; channelId: string }, customId: string, userId: string, opts: ClickOptions = {}): InteractionRecord {
    const entry = this.state.channels.get(message.channelId);
    if (!entry || entry.deleted) throw new DiscordSimError(`clickButton: unknown channel ${message.channelId}`);
    const guild = entry.guild;
    const member = this.admin.memberOrCreate(guild, userId);
    const stored = this.state.storedMessages.get(message.id);
    const componentType = opts.componentType ?? 2;
    const data = { custom_id: customId, component_type: componentType, ...(opts.values ? { values: opts.values } : {}) };
    const roles = opts.roles ?? member.roles;
    const perms = opts.permissions !== undefined ? BigInt(opts.permissions) : this.state.memberChannelPerms(guild, entry.channel, userId, roles);
    const apiMsg = stored
      ? this.messages.apiMessage(stored)
      : { id: message.id, channel_id: message.channelId, type: 0, content: '', author: apiUser(this.state.botUser()), embeds: [], components: [], attachments: [], mentions: [], mention_roles: [], mention_everyone: false, pinned: false, tts: false, timestamp: new Date().toISOString(), edited_timestamp: null, flags: 0 };
    const state = this.dispatch(guild, entry.channel, member, 3, data, { ...opts, roles, permissions: perms }, apiMsg);
    state.sourceMessageId = message.id;
    Object.assign(state.record, { commandName: customId, options: opts.values ? { values: opts.values.join(',') } : {} });
    return state.record;
  }

  private dispatch(
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
    if (!this.gateway.holdsGuild(guild.id)) {
      const shards = this.gateway.sessionInfo().map((s) => `[${s.shard.join(', ')}]`);
      throw new DiscordSimError(`No gateway session holds the shard of guild ${guild.id} (sessions: ${shards.join(' ')}); start a client for its shard — (guild_id >> 22) % num_shards.`);
    }
    const { applicationId } = this.state.identity;
    const id = snowflake();
    const token = Buffer.from(`interaction:${id}:${randomBytes(48).toString('base64url')}`).toString('base64url');
    const appPerms = this.state.botChannelPerms(guild, channel);
    const payload: Record<string, unknown> = {
      id,
      application_id: applicationId,
      type,
      token,
      version: 1,
      guild_id: guild.id,
      guild: { id: guild.id, locale: 'en-US', features: [] },
      guild_locale: 'en-US',
      channel_id: channel.id,
      channel: { ...apiChannel(channel, this.state.lastMessageId(channel.id)), permissions: opts.permissions.toString() },
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
    this.state.interactions.push(record);
    this.state.interactionStates.set(id, state);
    this.gateway.dispatch('INTERACTION_CREATE', payload, { guildId: guild.id, single: true });
    return state;
  }
}
