/** Categories: `GET /public/v2/categories`, `GET /public/v1/categories/:id`. */
import type { Router } from 'express';
import { SIM_CATEGORIES } from '../constants.ts';
import type { SimContext } from '../context.ts';
import { parseId, queryList, queryString, sendError, sendOk } from '../http.ts';
import { type Guard, pageParams, sendPage } from './routeHelpers.ts';

/** Adds these endpoints to the API router (each behind its auth guard). */
export function registerCategoryRoutes(router: Router, _ctx: SimContext, guard: Guard): void {
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
}
