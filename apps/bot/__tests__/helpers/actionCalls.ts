import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { GuildActionCall } from '../../src/guildActions/GuildAction.ts';
import { UserFacingError } from '../../src/UserFacingError.ts';

/** A dashboard moderator's call of a guild action in `guildId`, with a fresh request id (override any field). */
export function dashboardCall(guildId: string, over: Partial<GuildActionCall> = {}): GuildActionCall {
  return { guildId, actor: { id: '300000000000000001', name: 'dash_mod' }, source: 'dashboard', requestId: `dash-req-${randomBytes(6).toString('hex')}`, ...over };
}

/** The text of the `UserFacingError` a call must be refused with. */
export async function refusal(run: Promise<unknown>): Promise<string> {
  const error = await run.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserFacingError);
  return (error as UserFacingError).message;
}
