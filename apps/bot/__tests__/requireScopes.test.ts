import { KICKCORD_SCOPES } from '@kickcord/kick';
import { describe, expect, it } from 'vitest';
import { missingRequestedScopes, requireScopes } from '../src/requireScopes.ts';
import { UserFacingError } from '../src/UserFacingError.ts';

const OLD_CONNECTION = ['user:read', 'channel:read', 'chat:write', 'events:subscribe', 'moderation:ban', 'kicks:read', 'channel:rewards:read'];

describe('scopes a connection lacks', () => {
  it('a connection made before the new scopes lacks exactly them; a fresh one lacks none', () => {
    expect(missingRequestedScopes(OLD_CONNECTION)).toEqual(['channel:write', 'moderation:chat_message:manage', 'channel:rewards:write']);
    expect(missingRequestedScopes([...KICKCORD_SCOPES])).toEqual([]);
  });

  it('requireScopes names each missing scope and the reconnect command, and passes when all are granted', () => {
    expect(() => requireScopes({ scopes: OLD_CONNECTION }, ['channel:rewards:read'], '`/rewards list`')).not.toThrow();
    let error: unknown;
    try {
      requireScopes({ scopes: OLD_CONNECTION }, ['channel:rewards:read', 'channel:rewards:write', 'moderation:chat_message:manage'], '`/rewards create`');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserFacingError);
    expect((error as Error).message).toBe(
      "`/rewards create` needs the Kick permissions `channel:rewards:write`, `moderation:chat_message:manage`, which this server's Kick connection was not granted. Run `/kick connect` and send the streamer the link to reconnect; everything else keeps working meanwhile.",
    );
  });
});
