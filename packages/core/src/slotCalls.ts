/**
 * Slot calls (`!call Sweet Bonanza`): name normalization so duplicates merge, and grouping for the queue.
 */
import { removeEmotes } from './commandParser.ts';

/** Longest slot name accepted, in characters (after cleaning). */
export const MAX_SLOT_NAME_LENGTH = 60;

/** Result of {@link normalizeSlotName}. */
export type SlotNameResult =
  | { ok: true; normalized: string; display: string }
  | { ok: false; reason: string };

/**
 * Cleans a called slot name and computes the key duplicates merge on.
 *
 * - `display`: emote tokens removed, whitespace collapsed, trimmed (what the viewer typed, for showing).
 * - `normalized`: `display` case-folded, accents removed (`é` → `e`), apostrophes dropped (`Dead's` → `deads`),
 *   other punctuation and symbols turned into spaces, spaces collapsed — so `Gates-of-Olympus`,
 *   `gates of olympus!` and `GATES OF OLYMPUS` are the same call.
 * Refused: nothing left after cleaning, or a display name longer than {@link MAX_SLOT_NAME_LENGTH} characters.
 */
export function normalizeSlotName(name: string): SlotNameResult {
  const display = removeEmotes(name).replace(/\s+/gu, ' ').trim();
  const normalized = display
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’`´]/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  if (normalized.length === 0) {
    return { ok: false, reason: 'Type the slot name after the command, e.g. !call Sweet Bonanza.' };
  }
  const length = Array.from(display).length;
  if (length > MAX_SLOT_NAME_LENGTH) {
    return { ok: false, reason: `That slot name is ${length} characters long — the limit is ${MAX_SLOT_NAME_LENGTH}.` };
  }
  return { ok: true, normalized, display };
}

/** One open slot call as stored. `createdAt` is epoch milliseconds (or any increasing order number). */
export interface SlotCallLike {
  readonly normalizedName: string;
  readonly slotName: string;
  readonly createdAt: number;
}

/** A slot and everybody who called it. */
export interface SlotCallGroup<T extends SlotCallLike> {
  readonly normalizedName: string;
  /** The first caller's spelling. */
  readonly displayName: string;
  readonly count: number;
  /** Callers in the order they called (earliest first; input order breaks ties). */
  readonly callers: T[];
  /** When the slot was first called. */
  readonly firstCalledAt: number;
}

/**
 * Groups calls by normalized name. Groups are ordered by popularity (most callers first), then by who was
 * called first; callers inside a group are in call order.
 */
export function groupCalls<T extends SlotCallLike>(calls: readonly T[]): SlotCallGroup<T>[] {
  const byName = new Map<string, T[]>();
  const ordered = [...calls].sort((a, b) => a.createdAt - b.createdAt);
  for (const call of ordered) {
    const list = byName.get(call.normalizedName);
    if (list) list.push(call);
    else byName.set(call.normalizedName, [call]);
  }
  const groups: SlotCallGroup<T>[] = [];
  for (const [normalizedName, callers] of byName) {
    const first = callers[0];
    if (!first) continue;
    groups.push({ normalizedName, displayName: first.slotName, count: callers.length, callers, firstCalledAt: first.createdAt });
  }
  return groups.sort((a, b) => b.count - a.count || a.firstCalledAt - b.firstCalledAt);
}

/**
 * The unique key that allows one open call per viewer (`SlotCall.openViewerKey`): `<guildId>:<kickUserId>`.
 */
export function slotCallViewerKey(guildId: string, kickUserId: number): string {
  return `${guildId}:${kickUserId}`;
}
