import { randomUUID } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import {
  BAN_MAX_MINUTES,
  BAN_MIN_MINUTES,
  CHAT_MAX_LENGTH,
  ENDPOINT_SCOPES,
  LIVESTREAMS_DEFAULT_LIMIT,
  LIVESTREAMS_MAX_LIMIT,
  MAX_LOOKUP_IDS,
  SIM_CATEGORIES,
  SIM_EVENT_TYPES,
} from './constants.ts';
import type { CallLocals, SimContext } from './context.ts';
import { bearerToken, parseId, queryList, queryString, sendError, sendOk } from './http.ts';
import type { TokenRecord } from './SimState.ts';
import type { ChatLogEntry, SimBadge, SimSubscription, SimUser } from './types.ts';

/** Kick's "no time" value for a stream that is not running. */
const ZERO_TIME = '0001-01-01T00:00:00Z';

function tokenOf(res: Response): TokenRecord {
  const token = (res.locals as CallLocals).token;
  if (!token) throw new Error('kick-sim bug: route ran without the auth guard');
  return token;
}

function channelJson(user: SimUser): Record<string, unknown> {
  const c = user.channel;
  return {
    broadcaster_user_id: user.userId,
    slug: c.slug,
    channel_description: c.description,
    banner_picture: c.bannerPicture,
    stream_title: c.streamTitle,
    active_subscribers_count: c.activeSubscribersCount,
    canceled_subscribers_count: c.canceledSubscribersCount,
    category: { ...c.category },
    stream: {
      url: '',
      key: '',
      is_live: c.isLive,
      is_mature: c.isMature,
      language: c.language,
      start_time: c.isLive && c.startTime ? c.startTime.toISOString() : ZERO_TIME,
      viewer_count: c.isLive ? c.viewerCount : 0,
      thumbnail: c.thumbnail,
      custom_tags: [...c.customTags],
    },
  };
}

function livestreamJson(user: SimUser): Record<string, unknown> {
  const c = user.channel;
  return {
    broadcaster_user_id: user.userId,
    channel_id: user.userId,
    slug: c.slug,
    stream_title: c.streamTitle,
    language: c.language,
    has_mature_content: c.isMature,
    viewer_count: c.viewerCount,
    thumbnail: c.thumbnail,
    started_at: c.startTime ? c.startTime.toISOString() : ZERO_TIME,
    category: { ...c.category },
    custom_tags: [...c.customTags],
    profile_picture: user.profilePicture,
  };
}

function subscriptionJson(sub: SimSubscription): Record<string, unknown> {
  return {
    id: sub.id,
    app_id: sub.clientId,
    broadcaster_user_id: sub.broadcasterUserId,
    event: sub.event,
    version: sub.version,
    method: sub.method,
    created_at: sub.createdAt.toISOString(),
    updated_at: sub.updatedAt.toISOString(),
  };
}

/** Offset-based opaque cursor. */
function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}
function decodeCursor(cursor: string | undefined): number | null {
  if (!cursor) return 0;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { o?: unknown };
    return typeof parsed.o === 'number' && Number.isSafeInteger(parsed.o) && parsed.o >= 0 ? parsed.o : null;
  } catch {
    return null;
  }
}

/** Reads `limit` + `cursor`, or answers 400 and returns null. */
function pageParams(req: Request, res: Response): { limit: number; offset: number } | null {
  const rawLimit = queryString(req, 'limit');
  const limit = rawLimit === undefined ? LIVESTREAMS_DEFAULT_LIMIT : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > LIVESTREAMS_MAX_LIMIT) {
    sendError(res, 400, `limit must be an integer between 1 and ${LIVESTREAMS_MAX_LIMIT}`);
    return null;
  }
  const offset = decodeCursor(queryString(req, 'cursor'));
  if (offset === null) {
    sendError(res, 400, 'invalid cursor');
    return null;
  }
  return { limit, offset };
}

function sendPage<T>(res: Response, items: T[], page: { limit: number; offset: number }): void {
  const slice = items.slice(page.offset, page.offset + page.limit);
  const nextOffset = page.offset + page.limit;
  sendOk(res, slice, 200, { pagination: { next_cursor: nextOffset < items.length ? encodeCursor(nextOffset) : '' } });
}

/** Parses a JSON body with zod; answers 400 with the first issue on failure. */
function parseBody<T>(schema: z.ZodType<T>, req: Request, res: Response): T | null {
  const result = schema.safeParse(req.body ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  sendError(res, 400, issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'invalid request body');
  return null;
}

const idSchema = z.union([z.number().int().positive(), z.string().regex(/^\d+$/).transform(Number)]);

const patchChannelSchema = z.object({
  category_id: idSchema.optional(),
  stream_title: z.string().max(140).optional(),
  custom_tags: z.array(z.string().max(30)).max(10).optional(),
});
const chatSchema = z.object({
  type: z.enum(['user', 'bot']),
  content: z.string(),
  broadcaster_user_id: idSchema.optional(),
  reply_to_message_id: z.string().min(1).optional(),
});
const banSchema = z.object({
  broadcaster_user_id: idSchema,
  user_id: idSchema,
  duration: z.number().int().optional(),
  reason: z.string().max(100).optional(),
});
const unbanSchema = z.object({ broadcaster_user_id: idSchema, user_id: idSchema });
const subscribeSchema = z.object({
  events: z.array(z.object({ name: z.string().min(1), version: z.number().int() })).min(1),
  method: z.literal('webhook').default('webhook'),
  broadcaster_user_id: idSchema.optional(),
});

/** api.kick.com: every /public/v1 and /public/v2 endpoint of kick-api.md. */
export function createApiRouter(ctx: SimContext): Router {
  const router = express.Router();
  const { state } = ctx;

  /** 401 without a live token; 403 when a USER token lacks the endpoint's scope (or `userOnly` and it is an app token). */
  const guard =
    (key: string, options: { userOnly?: boolean } = {}) =>
    (req: Request, res: Response, next: NextFunction): void => {
      const presented = bearerToken(req);
      if (!presented) return sendError(res, 401, 'Unauthorized: missing Authorization: Bearer <token> header');
      const token = state.activeToken(presented, 'access');
      if (!token) return sendError(res, 401, 'Unauthorized: invalid or expired access token');
      (res.locals as CallLocals).token = token;
      if (options.userOnly && token.tokenType !== 'user') return sendError(res, 403, 'This endpoint requires a user access token');
      const scope = ENDPOINT_SCOPES[key];
      if (scope === undefined) throw new Error(`kick-sim bug: no scope entry for ${key}`);
      if (token.tokenType === 'user' && scope !== null && !token.scopes.includes(scope)) {
        return sendError(res, 403, `Forbidden: missing scope ${scope}`);
      }
      next();
    };

  router.use(express.json({ limit: '1mb' }));

  router.get('/public/v1/public-key', (_req, res) => sendOk(res, { public_key: ctx.publicKeyPem }));

  router.get('/public/v1/users', guard('GET /public/v1/users'), (req, res) => {
    const token = tokenOf(res);
    const raw = queryList(req, 'id');
    if (raw.length > MAX_LOOKUP_IDS) return sendError(res, 400, `at most ${MAX_LOOKUP_IDS} ids per request`);
    const ids = raw.map(parseId);
    if (ids.some((id) => id === null)) return sendError(res, 400, 'id must be a positive integer');
    let lookup = ids as number[];
    if (lookup.length === 0) {
      if (token.userId === null) return sendError(res, 400, 'id is required when using an app access token');
      lookup = [token.userId];
    }
    const users = [...new Set(lookup)].map((id) => state.users.get(id)).filter((u): u is SimUser => u !== undefined);
    sendOk(
      res,
      users.map((u) => ({ user_id: u.userId, name: u.username, email: u.userId === token.userId ? u.email : '', profile_picture: u.profilePicture })),
    );
  });

  router.get('/public/v1/channels', guard('GET /public/v1/channels'), (req, res) => {
    const token = tokenOf(res);
    const rawIds = queryList(req, 'broadcaster_user_id');
    const slugs = queryList(req, 'slug');
    if (rawIds.length > 0 && slugs.length > 0) return sendError(res, 400, 'broadcaster_user_id and slug cannot be used together');
    if (rawIds.length > MAX_LOOKUP_IDS || slugs.length > MAX_LOOKUP_IDS) return sendError(res, 400, `at most ${MAX_LOOKUP_IDS} values per request`);
    let users: SimUser[];
    if (slugs.length > 0) {
      if (slugs.some((s) => s.length > 25)) return sendError(res, 400, 'slug is too long');
      users = slugs.map((s) => state.findUserBySlug(s)).filter((u): u is SimUser => u !== undefined);
    } else if (rawIds.length > 0) {
      const ids = rawIds.map(parseId);
      if (ids.some((id) => id === null)) return sendError(res, 400, 'broadcaster_user_id must be a positive integer');
      users = (ids as number[]).map((id) => state.users.get(id)).filter((u): u is SimUser => u !== undefined);
    } else {
      if (token.userId === null) return sendError(res, 400, 'broadcaster_user_id or slug is required when using an app access token');
      users = [state.requireUser(token.userId)];
    }
    const unique = [...new Map(users.map((u) => [u.userId, u])).values()];
    sendOk(res, unique.map(channelJson));
  });

  router.patch('/public/v1/channels', guard('PATCH /public/v1/channels', { userOnly: true }), (req, res) => {
    const token = tokenOf(res);
    const body = parseBody(patchChannelSchema, req, res);
    if (!body) return;
    if (body.category_id === undefined && body.stream_title === undefined && body.custom_tags === undefined) {
      return sendError(res, 400, 'provide at least one of category_id, stream_title, custom_tags');
    }
    const channel = state.requireUser(token.userId as number).channel;
    if (body.category_id !== undefined) {
      const category = SIM_CATEGORIES.find((c) => c.id === body.category_id);
      if (!category) return sendError(res, 400, 'Category not found');
      channel.category = { id: category.id, name: category.name, thumbnail: category.thumbnail };
    }
    if (body.stream_title !== undefined) channel.streamTitle = body.stream_title;
    if (body.custom_tags !== undefined) channel.customTags = [...body.custom_tags];
    ctx.announceMetadata(channel.broadcasterUserId);
    res.status(204).end();
  });

  router.get('/public/v2/livestreams', guard('GET /public/v2/livestreams'), (req, res) => {
    const page = pageParams(req, res);
    if (!page) return;
    const categoryId = queryString(req, 'category_id');
    const language = queryString(req, 'language_code');
    const broadcasterIds = queryList(req, 'broadcaster_user_id').map(parseId);
    if (categoryId !== undefined && parseId(categoryId) === null) return sendError(res, 400, 'category_id must be a positive integer');
    if (broadcasterIds.some((id) => id === null)) return sendError(res, 400, 'broadcaster_user_id must be a positive integer');
    const live = [...state.users.values()]
      .filter((u) => u.channel.isLive)
      .filter((u) => categoryId === undefined || u.channel.category.id === Number(categoryId))
      .filter((u) => language === undefined || u.channel.language === language)
      .filter((u) => broadcasterIds.length === 0 || broadcasterIds.includes(u.userId))
      .sort((a, b) => b.channel.viewerCount - a.channel.viewerCount || a.userId - b.userId);
    sendPage(res, live.map(livestreamJson), page);
  });

  router.get('/public/v2/categories', guard('GET /public/v2/categories'), (req, res) => {
    const page = pageParams(req, res);
    if (!page) return;
    const name = queryString(req, 'name')?.toLowerCase();
    const tag = queryString(req, 'tag')?.toLowerCase();
    const ids = queryList(req, 'id').map(parseId);
    if (ids.some((id) => id === null)) return sendError(res, 400, 'id must be a positive integer');
    const items = SIM_CATEGORIES.filter((c) => name === undefined || c.name.toLowerCase().includes(name))
      .filter((c) => tag === undefined || c.tags.some((t) => t.toLowerCase() === tag))
      .filter((c) => ids.length === 0 || ids.includes(c.id))
      .map((c) => ({ id: c.id, name: c.name, thumbnail: c.thumbnail, tags: [...c.tags] }));
    sendPage(res, items, page);
  });

  router.get('/public/v1/categories/:id', guard('GET /public/v1/categories/:id'), (req, res) => {
    const id = parseId(req.params['id']);
    if (id === null) return sendError(res, 400, 'category id must be a positive integer');
    const category = SIM_CATEGORIES.find((c) => c.id === id);
    if (!category) return sendError(res, 404, 'Category not found');
    sendOk(res, { id: category.id, name: category.name, thumbnail: category.thumbnail });
  });

  router.post('/public/v1/chat', guard('POST /public/v1/chat', { userOnly: true }), (req, res) => {
    const token = tokenOf(res);
    const body = parseBody(chatSchema, req, res);
    if (!body) return;
    if (body.content.trim().length === 0) return sendError(res, 400, 'content is required');
    if ([...body.content].length > CHAT_MAX_LENGTH) return sendError(res, 400, `content must not exceed ${CHAT_MAX_LENGTH} characters`);
    const owner = state.requireUser(token.userId as number);
    const app = state.requireApp(token.clientId);
    let broadcaster: SimUser;
    let sender: SimUser;
    let badges: SimBadge[] = [];
    if (body.type === 'bot') {
      broadcaster = owner;
      sender = app.botUser;
    } else {
      if (body.broadcaster_user_id === undefined) return sendError(res, 400, 'broadcaster_user_id is required for type "user"');
      const target = state.users.get(body.broadcaster_user_id);
      if (!target) return sendError(res, 400, 'Channel not found');
      broadcaster = target;
      sender = owner;
      if (state.activeBan(broadcaster.userId, sender.userId)) return sendError(res, 400, 'You are banned from this channel');
      if (sender.userId === broadcaster.userId) badges = [{ text: 'Broadcaster', type: 'broadcaster' }];
    }
    const entry: ChatLogEntry = {
      messageId: randomUUID(),
      broadcasterUserId: broadcaster.userId,
      senderUserId: sender.userId,
      senderUsername: sender.username,
      content: body.content,
      type: body.type,
      replyToMessageId: body.reply_to_message_id ?? null,
      createdAt: state.clock.now(),
      deletedAt: null,
      clientId: token.clientId,
    };
    state.chat.push(entry);
    ctx.announceChat(entry, badges);
    sendOk(res, { is_sent: true, message_id: entry.messageId });
  });

  router.delete('/public/v1/chat/:messageId', guard('DELETE /public/v1/chat/:messageId', { userOnly: true }), (req, res) => {
    const token = tokenOf(res);
    const entry = state.chat.find((m) => m.messageId === req.params['messageId']);
    if (!entry) return sendError(res, 404, 'Message not found');
    if (entry.broadcasterUserId !== token.userId) return sendError(res, 403, 'You cannot moderate this channel');
    entry.deletedAt ??= state.clock.now();
    res.status(204).end();
  });

  router.post('/public/v1/moderation/bans', guard('POST /public/v1/moderation/bans', { userOnly: true }), (req, res) => {
    const token = tokenOf(res);
    const body = parseBody(banSchema, req, res);
    if (!body) return;
    if (body.broadcaster_user_id !== token.userId) return sendError(res, 403, 'You cannot moderate this channel');
    if (!state.users.has(body.user_id)) return sendError(res, 400, 'User not found');
    if (body.user_id === body.broadcaster_user_id) return sendError(res, 400, 'You cannot ban the broadcaster');
    if (body.duration !== undefined && (body.duration < BAN_MIN_MINUTES || body.duration > BAN_MAX_MINUTES)) {
      return sendError(res, 400, `duration must be between ${BAN_MIN_MINUTES} and ${BAN_MAX_MINUTES} minutes`);
    }
    const createdAt = state.clock.now();
    const expiresAt = body.duration === undefined ? null : new Date(createdAt.getTime() + body.duration * 60_000);
    const reason = body.reason ?? '';
    state.unban(body.broadcaster_user_id, body.user_id);
    state.bans.push({ broadcasterUserId: body.broadcaster_user_id, userId: body.user_id, reason, createdAt, expiresAt });
    ctx.announceBan({ broadcasterUserId: body.broadcaster_user_id, moderatorUserId: token.userId as number, bannedUserId: body.user_id, reason, createdAt, expiresAt });
    sendOk(res, {});
  });

  router.delete('/public/v1/moderation/bans', guard('DELETE /public/v1/moderation/bans', { userOnly: true }), (req, res) => {
    const token = tokenOf(res);
    const body = parseBody(unbanSchema, req, res);
    if (!body) return;
    if (body.broadcaster_user_id !== token.userId) return sendError(res, 403, 'You cannot moderate this channel');
    state.unban(body.broadcaster_user_id, body.user_id);
    sendOk(res, {});
  });

  const visibleSubscriptions = (token: TokenRecord): SimSubscription[] =>
    [...state.subscriptions.values()].filter((s) => s.clientId === token.clientId && (token.tokenType === 'app' || s.broadcasterUserId === token.userId));

  router.get('/public/v1/events/subscriptions', guard('GET /public/v1/events/subscriptions'), (req, res) => {
    const token = tokenOf(res);
    const filter = queryString(req, 'broadcaster_user_id');
    const filterId = filter === undefined ? null : parseId(filter);
    if (filter !== undefined && filterId === null) return sendError(res, 400, 'broadcaster_user_id must be a positive integer');
    const subs = visibleSubscriptions(token).filter((s) => filterId === null || s.broadcasterUserId === filterId);
    sendOk(res, subs.map(subscriptionJson));
  });

  router.post('/public/v1/events/subscriptions', guard('POST /public/v1/events/subscriptions'), (req, res) => {
    const token = tokenOf(res);
    const body = parseBody(subscribeSchema, req, res);
    if (!body) return;
    const app = state.requireApp(token.clientId);
    let broadcasterId: number;
    if (token.tokenType === 'user') {
      broadcasterId = token.userId as number; // a user token subscribes for its own channel
    } else {
      if (body.broadcaster_user_id === undefined) return sendError(res, 400, 'broadcaster_user_id is required when using an app access token');
      broadcasterId = body.broadcaster_user_id;
    }
    if (!state.users.has(broadcasterId)) return sendError(res, 400, 'Channel not found');
    if (!app.webhookEnabled) return sendError(res, 400, 'webhooks are disabled for this app');
    if (state.subscriptionCount(app.clientId) + body.events.length > ctx.subscriptionCap) return sendError(res, 400, 'event subscription limit reached');
    const results = body.events.map((e) => {
      if (!(SIM_EVENT_TYPES as readonly string[]).includes(e.name)) return { name: e.name, version: e.version, subscription_id: null, error: 'event not found' };
      if (e.version !== 1) return { name: e.name, version: e.version, subscription_id: null, error: 'event version not found' };
      // Kick quirk: identical subscriptions are accepted (new id) and each is delivered separately.
      const sub = state.newSubscription(app.clientId, broadcasterId, e.name, e.version);
      return { name: e.name, version: e.version, subscription_id: sub.id, error: null };
    });
    sendOk(res, results);
  });

  router.delete('/public/v1/events/subscriptions', guard('DELETE /public/v1/events/subscriptions'), (req, res) => {
    const token = tokenOf(res);
    const ids = queryList(req, 'id');
    if (ids.length === 0) return sendError(res, 400, 'id is required');
    const visible = new Set(visibleSubscriptions(token).map((s) => s.id));
    for (const id of ids) if (visible.has(id)) state.subscriptions.delete(id);
    res.status(204).end();
  });

  router.get('/public/v1/kicks/leaderboard', guard('GET /public/v1/kicks/leaderboard', { userOnly: true }), (req, res) => {
    const token = tokenOf(res);
    const rawTop = queryString(req, 'top');
    const top = rawTop === undefined ? 10 : Number(rawTop);
    if (!Number.isInteger(top) || top < 1 || top > 100) return sendError(res, 400, 'top must be an integer between 1 and 100');
    const now = state.nowMs();
    const board = (sinceMs: number): Record<string, unknown>[] => {
      const totals = new Map<number, number>();
      for (const k of state.kicks) {
        if (k.broadcasterUserId === token.userId && k.at.getTime() >= sinceMs) totals.set(k.senderUserId, (totals.get(k.senderUserId) ?? 0) + k.amount);
      }
      return [...totals.entries()]
        .sort((a, b) => b[1] - a[1] || a[0] - b[0])
        .slice(0, top)
        .map(([userId, amount], i) => ({ gifted_amount: amount, rank: i + 1, user_id: userId, username: state.users.get(userId)?.username ?? '' }));
    };
    sendOk(res, { lifetime: board(0), month: board(now - 30 * 86_400_000), week: board(now - 7 * 86_400_000) });
  });

  router.use('/public', (_req, res) => sendError(res, 404, 'Not found'));
  return router;
}
