import type { KickSim, KickSimOptions } from './kickSim.ts';
import { LocalKick } from './LocalKick.ts';
import { generateKickKeyPair, publicKeyFromPrivate } from './signing.ts';

/**
 * Starts a local Kick (OAuth server + REST API + signed webhook delivery) on one URL.
 * Point the real Kick client at `sim.url` for both the auth and API hosts.
 *
 * @example
 * const sim = await startKickSim({ autoApprove: true });
 * sim.registerApp({ clientId: 'id', clientSecret: 'secret', redirectUris: ['http://localhost:3000/cb'], webhookUrl });
 */
export async function startKickSim(options: KickSimOptions = {}): Promise<KickSim> {
  const keys = options.privateKeyPem ? { privateKeyPem: options.privateKeyPem, publicKeyPem: publicKeyFromPrivate(options.privateKeyPem) } : generateKickKeyPair();
  const sim = new LocalKick(options, keys);
  await sim.listen();
  return sim;
}
