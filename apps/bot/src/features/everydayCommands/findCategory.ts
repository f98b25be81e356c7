/** Finds the Kick category a moderator means with `!game <name>`, through Kick's category search. */
import type { KickApiClient } from '@kickcord/kick';

/** A category as Kick's search returns it. */
export type FoundCategory = Awaited<ReturnType<KickApiClient['searchCategories']>>[number];

/** The category whose name equals `query` (any case), else the first one Kick's search returns; null when none. */
export async function findCategory(client: KickApiClient, query: string): Promise<FoundCategory | null> {
  const found = await client.searchCategories(query);
  const wanted = query.trim().toLowerCase();
  return found.find((c) => c.name.toLowerCase() === wanted) ?? found[0] ?? null;
}
