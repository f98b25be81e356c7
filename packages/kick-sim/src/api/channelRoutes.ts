/**
 * Channels and livestreams: `GET`/`PATCH /public/v1/channels`, `GET /public/v1/livestreams` (filters, one list),
 * `GET /public/v1/livestreams/stats`, `GET /public/v2/livestreams` (cursor pages).
 */
import type { Router } from 'express';
import { z } from 'zod';
import { LIVESTREAMS_DEFAULT_LIMIT, LIVESTREAMS_MAX_LIMIT, MAX_LOOKUP_IDS, SIM_CATEGORIES } from '../constants.ts';
import type { SimContext } from '../context.ts';
import { parseId, queryList, queryString, sendError, sendOk } from '../http.ts';
import type { SimUser } from '../types.ts';
import { type Guard, idSchema, pageParams, parseBody, sendPage, tokenOf, ZERO_TIME } from './routeHelpers.ts';

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

const patchChannelSchema = z.object({
  category_id: idSchema.optional(),
  stream_title: z.string().max(140).optional(),
  custom_tags: z.array(z.string().max(30)).max(10).optional(),
});
/** Adds these endpoints to the API router (each behind its auth guard). */
export function registerChannelRoutes(router: Router, ctx: SimContext, guard: Guard): void {
  const { state } = ctx;
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

  // v2: category_id, language_code, limit, cursor only (v1's broadcaster_user_id, language and sort are not
  // v2 parameters and, as at Kick, are ignored).
  router.get('/public/v2/livestreams', guard('GET /public/v2/livestreams'), (req, res) => {
    const page = pageParams(req, res);
    if (!page) return;
    const categoryId = queryString(req, 'category_id');
    const language = queryString(req, 'language_code');
    if (categoryId !== undefined && parseId(categoryId) === null) return sendError(res, 400, 'category_id must be a positive integer');
    const live = [...state.users.values()]
      .filter((u) => u.channel.isLive)
      .filter((u) => categoryId === undefined || u.channel.category.id === Number(categoryId))
      .filter((u) => language === undefined || u.channel.language === language)
      .sort((a, b) => b.channel.viewerCount - a.channel.viewerCount || a.userId - b.userId);
    sendPage(res, live.map(livestreamJson), page);
  });

  // v1: repeatable broadcaster_user_id, category_id, language, limit (1–100), sort (viewer_count | started_at); one list.
  router.get('/public/v1/livestreams', guard('GET /public/v1/livestreams'), (req, res) => {
    const categoryId = queryString(req, 'category_id');
    const language = queryString(req, 'language');
    const sort = queryString(req, 'sort') ?? 'viewer_count';
    const rawLimit = queryString(req, 'limit');
    const limit = rawLimit === undefined ? LIVESTREAMS_DEFAULT_LIMIT : Number(rawLimit);
    const broadcasterIds = queryList(req, 'broadcaster_user_id').map(parseId);
    if (categoryId !== undefined && parseId(categoryId) === null) return sendError(res, 400, 'category_id must be a positive integer');
    if (broadcasterIds.some((id) => id === null)) return sendError(res, 400, 'broadcaster_user_id must be a positive integer');
    if (!Number.isInteger(limit) || limit < 1 || limit > LIVESTREAMS_MAX_LIMIT) return sendError(res, 400, `limit must be an integer between 1 and ${LIVESTREAMS_MAX_LIMIT}`);
    if (sort !== 'viewer_count' && sort !== 'started_at') return sendError(res, 400, 'sort must be viewer_count or started_at');
    const live = [...state.users.values()]
      .filter((u) => u.channel.isLive)
      .filter((u) => categoryId === undefined || u.channel.category.id === Number(categoryId))
      .filter((u) => language === undefined || u.channel.language === language)
      .filter((u) => broadcasterIds.length === 0 || broadcasterIds.includes(u.userId))
      .sort((a, b) =>
        sort === 'started_at'
          ? (b.channel.startTime?.getTime() ?? 0) - (a.channel.startTime?.getTime() ?? 0) || a.userId - b.userId
          : b.channel.viewerCount - a.channel.viewerCount || a.userId - b.userId,
      );
    sendOk(res, live.slice(0, limit).map(livestreamJson));
  });

  router.get('/public/v1/livestreams/stats', guard('GET /public/v1/livestreams/stats'), (_req, res) => {
    sendOk(res, { total_count: [...state.users.values()].filter((u) => u.channel.isLive).length });
  });
}
