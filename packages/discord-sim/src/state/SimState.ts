import type { RoleState, SimUser } from '../apiObjects.ts';
import { DiscordSimError } from '../DiscordSimError.ts';
import { basePermissions, channelPermissions } from '../permissions.ts';
import { snowflake } from '../snowflake.ts';
import type {
  InteractionRecord,
  RegisteredCommand,
  SimAttachment,
  SimChannel,
  SimChannelInput,
  SimGuild,
  SimMember,
  SimMessage,
} from '../types.ts';

/** A guild as the simulator keeps it (roles carry the bot marker). */
export interface GuildState extends SimGuild {
  roles: RoleState[];
}

/** A channel with the guild it belongs to; deleted channels stay known so REST can answer 404. */
export interface ChannelEntry {
  channel: SimChannel;
  guild: GuildState;
  deleted: boolean;
}

/** A message with the wire fields the public {@link SimMessage} does not expose. */
export interface StoredMessage extends SimMessage {
  type: number;
  tts: boolean;
  webhookId: string | null;
  interactionMetadata: Record<string, unknown> | null;
}

/** An interaction and what the bot has done with it so far. */
export interface InteractionState {
  record: InteractionRecord;
  createdAt: number;
  ackType: number | null;
  /** The message a component belongs to. */
  sourceMessageId: string | null;
  messageIds: Set<string>;
}

/** Who the simulated bot is. */
export interface SimIdentity {
  token: string;
  applicationId: string;
  botUserId: string;
  botUsername: string;
}

/**
 * The simulator's in-memory world: guilds, channels, users, messages, attachments, interactions and
 * application commands, plus the lookups every other part needs. It dispatches nothing itself.
 */
export class SimState {
  readonly guilds = new Map<string, GuildState>();
  readonly channels = new Map<string, ChannelEntry>();
  readonly lastMessageIds = new Map<string, string>();
  readonly users = new Map<string, SimUser>();
  readonly storedMessages = new Map<string, StoredMessage>();
  readonly messageOrder: StoredMessage[] = [];
  readonly nonces = new Map<string, { messageId: string; at: number }>();
  readonly attachments = new Map<string, SimAttachment>();
  readonly interactions: InteractionRecord[] = [];
  readonly interactionStates = new Map<string, InteractionState>();
  readonly globalCommands: RegisteredCommand[] = [];
  readonly guildCommands = new Map<string, RegisteredCommand[]>();

  constructor(readonly identity: SimIdentity) {
    this.users.set(identity.botUserId, { id: identity.botUserId, username: identity.botUsername, bot: true });
  }

  botUser(): SimUser {
    return this.users.get(this.identity.botUserId) as SimUser;
  }

  /** Guilds that have not been removed, in creation order. */
  liveGuilds(): GuildState[] {
    return [...this.guilds.values()].filter((g) => !g.removed);
  }

  requireGuild(guildId: string): GuildState {
    const g = this.guilds.get(guildId);
    if (!g || g.removed) throw new DiscordSimError(`Unknown guild ${guildId}; add it with sim.addGuild() first`);
    return g;
  }

  memberOf(guild: GuildState, userId: string): SimMember | undefined {
    return guild.members.find((m) => m.id === userId);
  }

  lastMessageId(channelId: string): string | null {
    return this.lastMessageIds.get(channelId) ?? null;
  }

  pickChannel(guild: GuildState, channelId?: string): SimChannel {
    if (channelId) {
      const ch = guild.channels.find((c) => c.id === channelId);
      if (!ch) throw new DiscordSimError(`Channel ${channelId} is not a live channel of guild ${guild.id}`);
      return ch;
    }
    const ch = guild.channels.find((c) => c.type === 0);
    if (!ch) throw new DiscordSimError(`Guild ${guild.id} has no text channel; pass opts.channelId or add one`);
    return ch;
  }

  attachChannel(guild: GuildState, c: SimChannelInput): SimChannel {
    const channel: SimChannel = { id: c.id ?? snowflake(), guildId: guild.id, name: c.name, type: c.type ?? 0, position: guild.channels.length, permissionOverwrites: [] };
    guild.channels.push(channel);
    this.channels.set(channel.id, { channel, guild, deleted: false });
    return channel;
  }

  /** A member's permissions in a channel (or guild-wide when `channel` is null). */
  memberChannelPerms(guild: GuildState, channel: SimChannel | null, userId: string, roleIds: string[]): bigint {
    const base = basePermissions({ guildId: guild.id, ownerId: guild.ownerId, userId, roleIds, roles: guild.roles });
    if (!channel) return base;
    return channelPermissions(base, { guildId: guild.id, userId, roleIds, overwrites: channel.permissionOverwrites });
  }

  /** The bot's own permissions in a channel. */
  botChannelPerms(guild: GuildState, channel: SimChannel): bigint {
    return this.memberChannelPerms(guild, channel, this.identity.botUserId, this.memberOf(guild, this.identity.botUserId)?.roles ?? []);
  }

  interactionByToken(appId: string, token: string): InteractionState | null {
    if (appId !== this.identity.applicationId) return null;
    for (const s of this.interactionStates.values()) if (s.record.token === token) return s;
    return null;
  }
}
