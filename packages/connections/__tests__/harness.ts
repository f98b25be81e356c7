import { randomBytes } from 'node:crypto';
import { TokenCipher } from '@kickcord/db';
import { createTestDatabase, type TestDatabase } from '@kickcord/db/testing';
import { KickApiClient, KickOAuth } from '@kickcord/kick';
import { startKickSim, type KickSim } from '@kickcord/kick-sim';

export const CLIENT_ID = 'connections-test-client';
export const CLIENT_SECRET = 'connections-test-secret';

export interface ConnectionsHarness {
  db: TestDatabase;
  sim: KickSim;
  cipher: TokenCipher;
  oauth: KickOAuth;
  /** A REST client with the app token (to poke Kick's state like an outsider would). */
  appApi: KickApiClient;
  close(): Promise<void>;
}

export async function createConnectionsHarness(options: { subscriptionCap?: number } = {}): Promise<ConnectionsHarness> {
  const db = await createTestDatabase();
  const sim = await startKickSim({ autoApprove: true, ...(options.subscriptionCap === undefined ? {} : { subscriptionCap: options.subscriptionCap }) });
  sim.registerApp({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: ['http://kickcord.test/oauth/kick/callback'], webhookUrl: 'http://127.0.0.1:9/webhooks/kick' });
  const oauth = new KickOAuth({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, authUrl: sim.authUrl, apiUrl: sim.apiUrl });
  return {
    db,
    sim,
    cipher: new TokenCipher(randomBytes(32)),
    oauth,
    appApi: new KickApiClient({ apiUrl: sim.apiUrl, token: () => oauth.appToken(), maxRetries: 0 }),
    async close() {
      await sim.close();
      await db.drop();
    },
  };
}

let guildSeq = 0;
/** A fresh guild row (snowflake-looking id). */
export async function createGuild(h: ConnectionsHarness, name = 'Guild'): Promise<string> {
  const id = `${Date.now()}${String(guildSeq++).padStart(4, '0')}`;
  await h.db.prisma.guild.create({ data: { id, name } });
  return id;
}

/** A Kick user at the sim plus its KickChannel row. */
export async function createChannel(h: ConnectionsHarness, username: string): Promise<number> {
  const user = h.sim.createUser({ username });
  await h.db.prisma.kickChannel.create({ data: { broadcasterUserId: user.userId, slug: user.channel.slug, displayName: user.username } });
  return user.userId;
}
