import { apiAttachment, apiMember, apiRole, apiUser, type RoleState, type SimUser } from '../apiObjects.ts';
import { DiscordSimError } from '../DiscordSimError.ts';
import type { GuildState, SimState } from '../state/SimState.ts';
import type { CommandOptionDef, SimChannel } from '../types.ts';

/** `resolved` of an interaction's data, filled as option values are resolved. */
export type ResolvedData = Record<string, Record<string, unknown>>;

/**
 * Turn one raw word of an `invoke` command line into the option value Discord would send, checking it
 * against the option's definition (choices, ranges, channel types) and filling `resolved` for
 * user/channel/role/mentionable/attachment options. Throws {@link DiscordSimError} on a bad value.
 */
export function coerceOption(
  state: SimState,
  guild: GuildState,
  channel: SimChannel,
  def: CommandOptionDef,
  raw: string,
  resolved: ResolvedData,
  memberPerms: bigint,
): string | number | boolean {
  const fail = (why: string): never => {
    throw new DiscordSimError(`Option ${def.name}: ${why} (got ${JSON.stringify(raw)})`);
  };
  const add = (kind: string, id: string, obj: unknown) => {
    (resolved[kind] ??= {})[id] = obj;
  };
  const byChoice = (v: string | number): string | number => {
    if (!def.choices?.length) return v;
    const c = def.choices.find((ch) => ch.value === v || ch.name === raw || String(ch.value) === raw);
    return c ? c.value : fail(`must be one of ${def.choices.map((ch) => JSON.stringify(ch.value)).join(', ')}`);
  };
  const resolveUser = (ref: string): string | undefined => {
    const idm = /^<@!?(\d+)>$/.exec(ref) ?? /^(\d{5,})$/.exec(ref);
    if (idm) return state.users.has(idm[1] as string) ? idm[1] : undefined;
    const name = ref.replace(/^@/, '');
    return guild.members.find((m) => m.username === name)?.id ?? [...state.users.values()].find((u) => u.username === name)?.id;
  };
  const resolveRole = (ref: string): RoleState | undefined => {
    const idm = /^<@&(\d+)>$/.exec(ref) ?? /^(\d{5,})$/.exec(ref);
    if (idm) return guild.roles.find((r) => r.id === idm[1]);
    const name = ref.replace(/^@/, '');
    return guild.roles.find((r) => r.name === name || r.name === ref);
  };
  const addUser = (id: string) => {
    const user = state.users.get(id) as SimUser;
    add('users', id, apiUser(user));
    const m = state.memberOf(guild, id);
    if (m) add('members', id, { ...apiMember(m, false), permissions: state.memberChannelPerms(guild, channel, id, m.roles).toString() });
  };
  switch (def.type) {
    case 3: {
      if (def.min_length !== undefined && raw.length < def.min_length) fail(`shorter than min_length ${def.min_length}`);
      if (def.max_length !== undefined && raw.length > def.max_length) fail(`longer than max_length ${def.max_length}`);
      return byChoice(raw);
    }
    case 4:
    case 10: {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n) || (def.type === 4 && !Number.isInteger(n))) {
        const c = def.choices?.find((ch) => ch.name === raw);
        if (c) return c.value;
        fail(def.type === 4 ? 'not an integer' : 'not a number');
      }
      if (def.min_value !== undefined && n < def.min_value) fail(`below min_value ${def.min_value}`);
      if (def.max_value !== undefined && n > def.max_value) fail(`above max_value ${def.max_value}`);
      return byChoice(n);
    }
    case 5: {
      const v = raw.toLowerCase();
      if (['true', 'yes', 'on', '1'].includes(v)) return true;
      if (['false', 'no', 'off', '0'].includes(v)) return false;
      return fail('not a boolean (true/false)');
    }
    case 6: {
      const id = resolveUser(raw) ?? fail('unknown user; use <@id>, @username or an id of a guild member');
      addUser(id);
      return id;
    }
    case 7: {
      const idm = /^<#(\d+)>$/.exec(raw) ?? /^(\d{5,})$/.exec(raw);
      const name = raw.replace(/^#/, '');
      const target = idm ? guild.channels.find((c) => c.id === idm[1]) : guild.channels.find((c) => c.name === name);
      if (!target) return fail(`unknown channel in guild ${guild.id}; use #name, <#id> or an id`);
      if (def.channel_types?.length && !def.channel_types.includes(target.type)) fail(`channel type ${target.type} is not in channel_types ${JSON.stringify(def.channel_types)}`);
      add('channels', target.id, {
        id: target.id,
        name: target.name,
        type: target.type,
        permissions: memberPerms.toString(),
        parent_id: null,
        guild_id: guild.id,
        flags: 0,
        nsfw: false,
        position: target.position,
        rate_limit_per_user: 0,
        topic: null,
        last_message_id: state.lastMessageId(target.id),
      });
      return target.id;
    }
    case 8: {
      const role = resolveRole(raw) ?? fail('unknown role; use @name, <@&id> or an id');
      add('roles', role.id, apiRole(role));
      return role.id;
    }
    case 9: {
      if (!raw.startsWith('<@') || raw.startsWith('<@&')) {
        const role = resolveRole(raw);
        if (role) {
          add('roles', role.id, apiRole(role));
          return role.id;
        }
      }
      const id = resolveUser(raw) ?? fail('unknown user or role');
      addUser(id);
      return id;
    }
    case 11: {
      const a = state.attachments.get(raw) ?? [...state.attachments.values()].find((x) => x.filename === raw);
      if (!a) return fail('unknown attachment; register it with sim.addAttachment() and pass its id');
      add('attachments', a.id, apiAttachment(a, true));
      return a.id;
    }
    default:
      return fail(`unsupported option type ${def.type}`);
  }
}
