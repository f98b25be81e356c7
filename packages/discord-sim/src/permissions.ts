/** Discord permission bits the simulator checks or grants. */
export const Perm = {
  CreateInstantInvite: 1n << 0n,
  Administrator: 1n << 3n,
  ManageChannels: 1n << 4n,
  ManageGuild: 1n << 5n,
  AddReactions: 1n << 6n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  ManageMessages: 1n << 13n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
  ReadMessageHistory: 1n << 16n,
  MentionEveryone: 1n << 17n,
  UseExternalEmojis: 1n << 18n,
  Connect: 1n << 20n,
  Speak: 1n << 21n,
  ChangeNickname: 1n << 26n,
  ManageRoles: 1n << 28n,
  UseApplicationCommands: 1n << 31n,
  SendMessagesInThreads: 1n << 38n,
} as const;

/** Every permission bit (what an owner or administrator has). */
export const ALL_PERMISSIONS = (1n << 51n) - 1n;

/** What @everyone may do in a fresh guild. */
export const DEFAULT_EVERYONE_PERMISSIONS =
  Perm.CreateInstantInvite | Perm.AddReactions | Perm.ViewChannel | Perm.SendMessages | Perm.EmbedLinks | Perm.AttachFiles |
  Perm.ReadMessageHistory | Perm.UseExternalEmojis | Perm.Connect | Perm.Speak | Perm.ChangeNickname |
  Perm.UseApplicationCommands | Perm.SendMessagesInThreads;

/** The bot's managed role (what an invite with typical bot scopes grants). */
export const DEFAULT_BOT_PERMISSIONS =
  DEFAULT_EVERYONE_PERMISSIONS | Perm.MentionEveryone | Perm.ManageRoles | Perm.ManageMessages;

/** A permission overwrite as Discord sends it. */
export interface Overwrite {
  id: string;
  type: 0 | 1;
  allow: string;
  deny: string;
}

/** Guild-level permissions of a member. */
export function basePermissions(opts: { guildId: string; ownerId: string; userId: string; roleIds: string[]; roles: { id: string; permissions: string }[] }): bigint {
  if (opts.userId === opts.ownerId) return ALL_PERMISSIONS;
  let perms = 0n;
  for (const role of opts.roles) {
    if (role.id === opts.guildId || opts.roleIds.includes(role.id)) perms |= BigInt(role.permissions);
  }
  return (perms & Perm.Administrator) !== 0n ? ALL_PERMISSIONS : perms;
}

/** Apply a channel's overwrites (everyone, then roles, then member) to guild-level permissions. */
export function channelPermissions(base: bigint, opts: { guildId: string; userId: string; roleIds: string[]; overwrites: Overwrite[] }): bigint {
  if ((base & Perm.Administrator) !== 0n) return ALL_PERMISSIONS;
  let perms = base;
  const everyone = opts.overwrites.find((o) => o.id === opts.guildId);
  if (everyone) perms = (perms & ~BigInt(everyone.deny)) | BigInt(everyone.allow);
  let allow = 0n;
  let deny = 0n;
  for (const o of opts.overwrites) {
    if (o.type === 0 && o.id !== opts.guildId && opts.roleIds.includes(o.id)) {
      allow |= BigInt(o.allow);
      deny |= BigInt(o.deny);
    }
  }
  perms = (perms & ~deny) | allow;
  const member = opts.overwrites.find((o) => o.type === 1 && o.id === opts.userId);
  if (member) perms = (perms & ~BigInt(member.deny)) | BigInt(member.allow);
  return perms;
}
