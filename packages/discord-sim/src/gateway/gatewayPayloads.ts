import { apiChannel, apiGuild, apiMember, apiUser } from '../apiObjects.ts';
import type { GuildState, SimState } from '../state/SimState.ts';

/** READY `d` without the gateway session fields, listing the given guilds as unavailable. */
export function readyData(state: SimState, guilds: GuildState[]): Record<string, unknown> {
  return {
    v: 10,
    user: { ...apiUser(state.botUser()), bot: true, verified: true, mfa_enabled: false, flags: 0, email: null },
    guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
    application: { id: state.identity.applicationId, flags: 0 },
    user_settings: {},
    private_channels: [],
    presences: [],
    relationships: [],
    guild_join_requests: [],
    geo_ordered_rtc_regions: [],
    auth: {},
    _trace: ['["discord-sim"]'],
  };
}

/** The GUILD_CREATE payload of a guild: the guild object plus channels, members and the bot's join time. */
export function guildCreatePayload(state: SimState, g: GuildState): Record<string, unknown> {
  return {
    ...apiGuild(g),
    joined_at: state.memberOf(g, state.identity.botUserId)?.joinedAt ?? new Date().toISOString(),
    large: false,
    unavailable: false,
    member_count: g.members.length,
    members: g.members.map((m) => apiMember(m)),
    channels: g.channels.map((c) => {
      const { guild_id: _omit, ...rest } = apiChannel(c, state.lastMessageId(c.id));
      return rest;
    }),
    threads: [],
    presences: [],
    voice_states: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

/** GUILD_MEMBERS_CHUNK payloads answering an op 8 Request Guild Members. */
export function memberChunks(state: SimState, req: Record<string, unknown>): unknown[] {
  const ids = Array.isArray(req.guild_id) ? (req.guild_id as unknown[]).map(String) : [String(req.guild_id)];
  const out: unknown[] = [];
  for (const gid of ids) {
    const g = state.guilds.get(gid);
    if (!g || g.removed) continue;
    const userIds = Array.isArray(req.user_ids) ? (req.user_ids as unknown[]).map(String) : req.user_ids ? [String(req.user_ids)] : null;
    const query = typeof req.query === 'string' ? req.query.toLowerCase() : '';
    const limit = Number(req.limit ?? 0);
    let members = userIds ? g.members.filter((m) => userIds.includes(m.id)) : g.members.filter((m) => m.username.toLowerCase().startsWith(query));
    if (limit > 0) members = members.slice(0, limit);
    out.push({
      guild_id: gid,
      members: members.map((m) => apiMember(m)),
      chunk_index: 0,
      chunk_count: 1,
      ...(userIds ? { not_found: userIds.filter((id) => !g.members.some((m) => m.id === id)) } : {}),
      ...(req.nonce !== undefined ? { nonce: req.nonce } : {}),
    });
  }
  return out;
}
