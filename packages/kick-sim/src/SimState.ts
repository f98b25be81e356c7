import { ulid } from 'ulid';
import { FIRST_USER_ID, SIM_CATEGORIES } from './constants.ts';
import { KickSimError } from './KickSimError.ts';
import { randomToken } from './random.ts';
import type { ApiCallRecord, ChatLogEntry, SimApp, SimCategory, SimClock, SimSubscription, SimUser } from './types.ts';

/** An issued OAuth token (access or refresh). */
export interface TokenRecord {
  token: string;
  kind: 'access' | 'refresh';
  /** `user` tokens act for `userId`; `app` tokens (client_credentials) for the app. */
  tokenType: 'user' | 'app';
  clientId: string;
  userId: number | null;
  scopes: string[];
  expiresAt: number;
  revoked: boolean;
  /** Access ↔ refresh token issued together. */
  pairToken: string | null;
}

/** A pending authorization code. */
export interface AuthCodeRecord {
  code: string;
  clientId: string;
  userId: number;
  redirectUri: string;
  scopes: string[];
  codeChallenge: string;
  expiresAt: number;
  used: boolean;
}

/** A consent page waiting for Approve/Deny. */
export interface PendingAuthorization {
  id: string;
  clientId: string;
  userId: number;
  redirectUri: string;
  state: string;
  scopes: string[];
  codeChallenge: string;
}

/** A ban/timeout in a channel. */
export interface BanRecord {
  broadcasterUserId: number;
  userId: number;
  reason: string;
  createdAt: Date;
  expiresAt: Date | null;
}

/** Kicks gifted in a channel (feeds the leaderboard). */
export interface KicksRecord {
  broadcasterUserId: number;
  senderUserId: number;
  amount: number;
  at: Date;
}

/** All mutable simulator state. Pure data + lookups; no HTTP here. */
export class SimState {
  readonly apps = new Map<string, SimApp>();
  readonly users = new Map<number, SimUser>();
  readonly tokens = new Map<string, TokenRecord>();
  readonly codes = new Map<string, AuthCodeRecord>();
  readonly pending = new Map<string, PendingAuthorization>();
  readonly subscriptions = new Map<string, SimSubscription>();
  readonly chat: ChatLogEntry[] = [];
  readonly bans: BanRecord[] = [];
  readonly kicks: KicksRecord[] = [];
  readonly followers = new Map<number, Set<number>>();
  readonly subscribers = new Map<number, Set<number>>();
  readonly apiCalls: ApiCallRecord[] = [];
  authorizingUserId: number | null = null;
  private nextUserId = FIRST_USER_ID;

  constructor(readonly clock: SimClock) {}

  nowMs(): number {
    return this.clock.now().getTime();
  }

  createUser(input: { username: string; userId?: number; email?: string; isLive?: boolean; profilePicture?: string; isBot?: boolean }): SimUser {
    const username = input.username.trim();
    if (!/^[A-Za-z0-9_]{1,25}$/.test(username)) {
      throw new KickSimError(`Invalid username "${input.username}": use 1–25 letters, digits or underscores, as Kick does.`);
    }
    if (this.findUserBySlug(username)) throw new KickSimError(`A user named "${username}" already exists; pick another username or use findUserBySlug().`);
    let userId = input.userId;
    if (userId !== undefined) {
      if (!Number.isSafeInteger(userId) || userId <= 0) throw new KickSimError(`userId must be a positive integer, got ${userId}.`);
      if (this.users.has(userId)) throw new KickSimError(`User id ${userId} is already taken; omit userId to get a fresh one.`);
    } else {
      while (this.users.has(this.nextUserId)) this.nextUserId++;
      userId = this.nextUserId++;
    }
    const now = this.clock.now();
    const justChatting = SIM_CATEGORIES[0] as SimCategory & { tags: string[] };
    const user: SimUser = {
      userId,
      username,
      email: input.email ?? `${username.toLowerCase()}@users.kick-sim.local`,
      profilePicture: input.profilePicture ?? `https://files.kick.com/images/user/${userId}/profile_image/sim.webp`,
      isVerified: false,
      isBot: input.isBot ?? false,
      channel: {
        broadcasterUserId: userId,
        slug: username.toLowerCase(),
        description: `${username}'s channel`,
        bannerPicture: `https://files.kick.com/images/channel/${userId}/banner_image/sim.webp`,
        streamTitle: '',
        category: { id: justChatting.id, name: justChatting.name, thumbnail: justChatting.thumbnail },
        customTags: [],
        isLive: input.isLive ?? false,
        isMature: false,
        language: 'en',
        startTime: input.isLive ? now : null,
        viewerCount: 0,
        thumbnail: `https://images.kick.com/video_thumbnails/${userId}/sim.webp`,
        activeSubscribersCount: 0,
        canceledSubscribersCount: 0,
      },
    };
    if (input.isLive) user.channel.streamTitle = `${username} is live`;
    this.users.set(userId, user);
    return user;
  }

  findUserBySlug(slugOrName: string): SimUser | undefined {
    const slug = slugOrName.toLowerCase();
    for (const user of this.users.values()) if (user.channel.slug === slug) return user;
    return undefined;
  }

  /** A user by id, or a descriptive error. */
  requireUser(userId: number, role = 'user'): SimUser {
    const user = this.users.get(userId);
    if (!user) throw new KickSimError(`No ${role} with id ${userId} in the simulator; create it with createUser() first.`);
    return user;
  }

  requireApp(clientId: string): SimApp {
    const app = this.apps.get(clientId);
    if (!app) throw new KickSimError(`No app with client id "${clientId}"; register it with registerApp() first.`);
    return app;
  }

  issueToken(input: { kind: 'access' | 'refresh'; tokenType: 'user' | 'app'; clientId: string; userId: number | null; scopes: string[]; ttlSec: number; pairToken?: string | null }): TokenRecord {
    const record: TokenRecord = {
      token: randomToken(),
      kind: input.kind,
      tokenType: input.tokenType,
      clientId: input.clientId,
      userId: input.userId,
      scopes: [...input.scopes],
      expiresAt: this.nowMs() + input.ttlSec * 1000,
      revoked: false,
      pairToken: input.pairToken ?? null,
    };
    this.tokens.set(record.token, record);
    return record;
  }

  /** Issues an access token (and for users a paired refresh token). */
  issueTokenPair(input: { tokenType: 'user' | 'app'; clientId: string; userId: number | null; scopes: string[]; accessTtlSec: number; refreshTtlSec: number }): { access: TokenRecord; refresh: TokenRecord | null } {
    const access = this.issueToken({ kind: 'access', tokenType: input.tokenType, clientId: input.clientId, userId: input.userId, scopes: input.scopes, ttlSec: input.accessTtlSec });
    if (input.tokenType === 'app') return { access, refresh: null };
    const refresh = this.issueToken({ kind: 'refresh', tokenType: 'user', clientId: input.clientId, userId: input.userId, scopes: input.scopes, ttlSec: input.refreshTtlSec, pairToken: access.token });
    access.pairToken = refresh.token;
    return { access, refresh };
  }

  /** A live (not expired, not revoked) token of the given kind. */
  activeToken(token: string, kind: 'access' | 'refresh'): TokenRecord | null {
    const record = this.tokens.get(token);
    if (!record || record.kind !== kind || record.revoked || record.expiresAt <= this.nowMs()) return null;
    return record;
  }

  newSubscription(clientId: string, broadcasterUserId: number, event: string, version: number): SimSubscription {
    const now = this.clock.now();
    const sub: SimSubscription = { id: ulid(), clientId, broadcasterUserId, event, version, method: 'webhook', createdAt: now, updatedAt: now };
    this.subscriptions.set(sub.id, sub);
    return sub;
  }

  subscriptionCount(clientId: string): number {
    let n = 0;
    for (const sub of this.subscriptions.values()) if (sub.clientId === clientId) n++;
    return n;
  }

  /** Active ban/timeout of `userId` in a channel, if any. */
  activeBan(broadcasterUserId: number, userId: number): BanRecord | undefined {
    const now = this.nowMs();
    return this.bans.find((b) => b.broadcasterUserId === broadcasterUserId && b.userId === userId && (b.expiresAt === null || b.expiresAt.getTime() > now));
  }

  /** Removes a user's ban in a channel; returns whether one existed. */
  unban(broadcasterUserId: number, userId: number): boolean {
    let removed = false;
    for (let i = this.bans.length - 1; i >= 0; i--) {
      const ban = this.bans[i];
      if (ban && ban.broadcasterUserId === broadcasterUserId && ban.userId === userId) {
        this.bans.splice(i, 1);
        removed = true;
      }
    }
    return removed;
  }

  setOf(map: Map<number, Set<number>>, key: number): Set<number> {
    let set = map.get(key);
    if (!set) {
      set = new Set();
      map.set(key, set);
    }
    return set;
  }
}
