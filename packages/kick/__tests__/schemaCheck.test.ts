import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { KICK_EVENT_TYPES } from '../src/events/eventTypes.ts';
import { parseKickEvent } from '../src/events/parseKickEvent.ts';
import { samplePayloads } from '../src/events/samplePayloads.ts';
import { checkKickEvent, compileSchemaCheck, UnsupportedSchemaError } from '../src/events/schemaCheck.ts';
import { parseKickEventFast } from '../src/events/schemaNormalize.ts';
import { kickEventSchemas } from '../src/events/schemas.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

// Values every position is tried with (a missing key is tried too).
const REPLACEMENTS: (Json | undefined)[] = [undefined, null, 0, 7, -3, 1.5, 2 ** 53, '', 'x', '#1', true, false, [], [1], ['x'], {}, { a: 1 }];

const clone = <T>(value: T): T => structuredClone(value);

/** Every variant of `root` with one position replaced (or removed), plus an unknown key added to each object. */
function* mutations(root: Json): Generator<{ what: string; value: Json }> {
  function* walk(node: Json, path: (string | number)[]): Generator<(string | number)[]> {
    yield path;
    if (Array.isArray(node)) for (let i = 0; i < node.length; i++) yield* walk(node[i]!, [...path, i]);
    else if (node && typeof node === 'object') for (const key of Object.keys(node)) yield* walk(node[key]!, [...path, key]);
  }
  const set = (target: Json, path: (string | number)[], value: Json | undefined): Json => {
    if (path.length === 0) return value === undefined ? null : value;
    const copy = clone(target);
    let at = copy as Record<string | number, Json>;
    for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, Json>;
    const last = path[path.length - 1]!;
    if (value === undefined) {
      if (Array.isArray(at)) at.splice(Number(last), 1);
      else delete at[last];
    } else at[last] = value;
    return copy;
  };
  for (const path of walk(root, [])) {
    for (const value of REPLACEMENTS) yield { what: `${path.join('.') || '(root)'} = ${value === undefined ? '(missing)' : JSON.stringify(value)}`, value: set(root, path, value) };
    const node = path.reduce<Json>((n, k) => (n as Record<string | number, Json>)[k]!, root);
    if (node && typeof node === 'object' && !Array.isArray(node)) {
      yield { what: `${path.join('.')} + unknown key`, value: set(root, [...path, 'added_later_by_kick'], { nested: true }) };
    }
  }
}

// Richer wire payloads than the samples: badges, emotes, a reply, anonymous gifter, a category.
const extra: { type: (typeof KICK_EVENT_TYPES)[number]; payload: Json }[] = [
  {
    type: 'chat.message.sent',
    payload: {
      ...(clone(samplePayloads['chat.message.sent']) as unknown as Record<string, Json>),
      replies_to: { message_id: 'p1', content: 'parent', sender: { is_anonymous: false, user_id: 5, username: 'p', is_verified: null, profile_picture: '', channel_slug: 'p', identity: null } },
      emotes: [{ emote_id: '42', positions: [{ s: 0, e: 3 }] }, { emote_id: 7, positions: [] }],
      sender: {
        is_anonymous: false,
        user_id: 9,
        username: 'v',
        is_verified: false,
        profile_picture: null,
        channel_slug: 'v',
        identity: { username_color: '#FF5733', badges: [{ text: 'Sub', type: 'subscriber', count: 3 }, { text: 'OG', type: 'og' }] },
      },
    },
  },
  {
    type: 'channel.subscription.gifts',
    payload: {
      ...(clone(samplePayloads['channel.subscription.gifts']) as unknown as Record<string, Json>),
      gifter: { is_anonymous: true, user_id: null, username: null, is_verified: null, profile_picture: null, channel_slug: null, identity: null },
    },
  },
];

describe('compiled schema checks (the webhook fast path) and the consumer’s parse without zod', () => {
  const cases = [...KICK_EVENT_TYPES.map((type) => ({ type, payload: samplePayloads[type] as unknown as Json })), ...extra];

  it.each(cases.map((c, i) => [`${c.type} #${i}`, c] as const))('agrees with zod (verdict and output) on every one-position mutation of %s', (_name, { type, payload }) => {
    const schema = kickEventSchemas[type];
    expect(schema.safeParse(payload).success).toBe(true);
    expect(checkKickEvent(type, '1', payload)).toBe((payload as { broadcaster: { user_id: number } }).broadcaster.user_id);
    let tried = 0;
    let rejected = 0;
    const disagreements: string[] = [];
    for (const { what, value } of [{ what: 'as sent', value: payload }, ...mutations(payload)]) {
      tried++;
      const zodResult = schema.safeParse(value);
      const zodSays = zodResult.success;
      const fastSays = checkKickEvent(type, '1', value) !== undefined;
      if (!zodSays) rejected++;
      if (zodSays !== fastSays) disagreements.push(`${what}: zod ${zodSays}, fast ${fastSays}`);
      // The consumer's parse without zod (parseKickEventFast) gives exactly zod's output, keys and all.
      const parsed = parseKickEventFast(type, '1', value);
      if (parsed.ok !== zodSays) disagreements.push(`${what}: zod ${zodSays}, parseKickEventFast ${parsed.ok}`);
      else if (parsed.ok && zodResult.success && !isDeepStrictEqual(parsed.event.payload, zodResult.data)) {
        disagreements.push(`${what}: output ${JSON.stringify(parsed.event.payload)} ≠ zod ${JSON.stringify(zodResult.data)}`);
      }
    }
    expect(disagreements).toEqual([]);
    expect(tried).toBeGreaterThan(100);
    // The mutations must exercise both answers, or the comparison proves little.
    expect(rejected).toBeGreaterThan(tried / 4);
    expect(rejected).toBeLessThan(tried);
  });

  it('returns the broadcaster id exactly when parseKickEvent succeeds', () => {
    for (const type of KICK_EVENT_TYPES) {
      const body = JSON.parse(JSON.stringify(samplePayloads[type])) as unknown;
      const parsed = parseKickEvent(type, '1', body);
      expect(parsed.ok).toBe(true);
      if (parsed.ok) expect(checkKickEvent(type, '1', body)).toBe(parsed.event.payload.broadcaster.user_id);
      expect(checkKickEvent(type, '2', body)).toBeUndefined();
    }
    expect(checkKickEvent('channel.unknown', '1', {})).toBeUndefined();
    expect(checkKickEvent('constructor', '1', {})).toBeUndefined();
    expect(checkKickEvent('__proto__', '1', {})).toBeUndefined();
    expect(checkKickEvent('chat.message.sent', '1', null)).toBeUndefined();
    expect(checkKickEvent('chat.message.sent', '1', [])).toBeUndefined();
  });

  it('compiles the constructs it knows and refuses the ones it does not', () => {
    const check = compileSchemaCheck(
      z.object({
        s: z.string().min(2).max(3),
        n: z.number().int(),
        e: z.enum(['a', 'b']),
        l: z.literal(5),
        u: z.union([z.string(), z.array(z.boolean())]),
        o: z.number().optional(),
      }),
    );
    expect(check({ s: 'ab', n: 1, e: 'a', l: 5, u: 'x' })).toBe(true);
    expect(check({ s: 'ab', n: 1, e: 'b', l: 5, u: [true, false], o: 2.5, other: 1 })).toBe(true);
    expect(check({ s: 'a', n: 1, e: 'a', l: 5, u: 'x' })).toBe(false);
    expect(check({ s: 'abcd', n: 1, e: 'a', l: 5, u: 'x' })).toBe(false);
    expect(check({ s: 'ab', n: 1.5, e: 'a', l: 5, u: 'x' })).toBe(false);
    expect(check({ s: 'ab', n: 1, e: 'c', l: 5, u: 'x' })).toBe(false);
    expect(check({ s: 'ab', n: 1, e: 'a', l: 6, u: 'x' })).toBe(false);
    expect(check({ s: 'ab', n: 1, e: 'a', l: 5, u: [1] })).toBe(false);
    expect(check({ s: 'ab', n: 1, e: 'a', l: 5, u: 'x', o: null })).toBe(false);
    for (const schema of [z.string().email(), z.strictObject({ a: z.string() }), z.string().refine((s) => s.length > 1), z.date(), z.string().pipe(z.string())]) {
      expect(() => compileSchemaCheck(schema as z.ZodType)).toThrow(UnsupportedSchemaError);
    }
  });
});
