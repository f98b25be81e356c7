/**
 * kickcord's Linked Roles metadata (what a server admin can require in a linked role) and how a viewer's values
 * become the role connection Discord stores.
 */

/** Discord's metadata types (Application Role Connection Metadata). */
export const RoleConnectionMetadataType = {
  IntegerLessThanOrEqual: 1,
  IntegerGreaterThanOrEqual: 2,
  IntegerEqual: 3,
  IntegerNotEqual: 4,
  DatetimeLessThanOrEqual: 5,
  DatetimeGreaterThanOrEqual: 6,
  BooleanEqual: 7,
  BooleanNotEqual: 8,
} as const;

/** One metadata record as `PUT /applications/{id}/role-connections/metadata` takes it. */
export interface RoleConnectionMetadataRecord {
  key: string;
  name: string;
  description: string;
  type: number;
}

/**
 * What `pnpm discord:register` registers. Values are per Discord user (one role connection per user per app),
 * while kickcord keeps points and watchtime per server: see {@link roleConnectionBody} for the rule.
 */
export const LINKED_ROLES_METADATA: readonly RoleConnectionMetadataRecord[] = [
  { key: 'kick_subscriber', name: 'Kick subscriber', description: 'Has an active Kick subscription to a channel connected to kickcord', type: RoleConnectionMetadataType.BooleanEqual },
  { key: 'watch_hours', name: 'Watch hours', description: 'Hours of active watchtime (at least)', type: RoleConnectionMetadataType.IntegerGreaterThanOrEqual },
  { key: 'points', name: 'Points', description: 'Loyalty points balance (at least)', type: RoleConnectionMetadataType.IntegerGreaterThanOrEqual },
  { key: 'linked_since', name: 'Linked for', description: 'Days since the Kick account was linked', type: RoleConnectionMetadataType.DatetimeLessThanOrEqual },
  { key: 'subscribed_since', name: 'Subscribed for', description: 'Days of unbroken Kick subscription (as kickcord saw it)', type: RoleConnectionMetadataType.DatetimeLessThanOrEqual },
];

/** The platform name Discord shows on the user's profile next to the connection. */
export const ROLE_CONNECTION_PLATFORM_NAME = 'Kick';

/** A linked viewer's values, already reduced across servers. */
export interface LinkedRoleValues {
  kickUsername: string;
  kickSubscriber: boolean;
  /** Whole hours of active watchtime (rounded down). */
  watchHours: number;
  points: number;
  linkedSince: Date;
  /** Start of the longest-running current subscription (null when not subscribed). */
  subscribedSince: Date | null;
}

/** The body of `PUT /users/@me/applications/{id}/role-connection`. */
export interface RoleConnectionBody {
  platform_name: string;
  platform_username: string | null;
  metadata: Record<string, string>;
}

/**
 * The role connection for a Discord user: the linked Kick account's values, or — without a link — the
 * platform name alone and no metadata, so no linked role requirement is met.
 *
 * Values are kept per server but a role connection is per user: kickcord writes the **largest** points and
 * watch hours across the servers that track the Kick account, `kick_subscriber` when any kickcord-connected
 * channel has an unexpired subscription from them, `linked_since` when they linked their Kick account, and
 * `subscribed_since` the start of their longest unbroken current subscription (so a server can require
 * "Kick sub for 3+ months").
 */
export function roleConnectionBody(values: LinkedRoleValues | null): RoleConnectionBody {
  if (!values) return { platform_name: ROLE_CONNECTION_PLATFORM_NAME, platform_username: null, metadata: {} };
  return {
    platform_name: ROLE_CONNECTION_PLATFORM_NAME,
    platform_username: values.kickUsername.slice(0, 100),
    metadata: {
      kick_subscriber: values.kickSubscriber ? '1' : '0',
      watch_hours: String(values.watchHours),
      points: String(values.points),
      linked_since: values.linkedSince.toISOString(),
      // Absent when not subscribed: a "subscribed for N days" requirement is then not met.
      ...(values.kickSubscriber && values.subscribedSince ? { subscribed_since: values.subscribedSince.toISOString() } : {}),
    },
  };
}

/** Whether two role connections are the same (metadata compared key by key). */
export function sameRoleConnection(a: RoleConnectionBody | null, b: RoleConnectionBody): boolean {
  if (!a || a.platform_name !== b.platform_name || a.platform_username !== b.platform_username) return false;
  const ka = Object.keys(a.metadata ?? {});
  const kb = Object.keys(b.metadata);
  return ka.length === kb.length && kb.every((k) => a.metadata[k] === b.metadata[k]);
}
