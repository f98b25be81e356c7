import { Client, Events, GatewayIntentBits } from 'discord.js';
import { startDiscordSim, type DiscordSim, type DiscordSimOptions } from '../src/index.ts';

/** A running sim plus a real discord.js client logged into it. */
export interface Harness {
  sim: DiscordSim;
  client: Client;
  /** Errors thrown inside discord.js outside any promise (e.g. a malformed payload). */
  uncaught: Error[];
  stop: () => Promise<void>;
}

/** Start a sim, let `setup` add guilds, log a discord.js client in and wait for clientReady. */
export async function startHarness(
  setup: (sim: DiscordSim) => void = () => undefined,
  options: DiscordSimOptions = {},
  intents: number[] = [GatewayIntentBits.Guilds],
  beforeLogin: (client: Client) => void = () => undefined,
): Promise<Harness> {
  const sim = await startDiscordSim(options);
  setup(sim);
  const uncaught: Error[] = [];
  const onUncaught = (e: Error) => uncaught.push(e);
  process.on('uncaughtException', onUncaught);
  const client = new Client({ intents, rest: { api: sim.apiUrl } });
  beforeLogin(client);
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(sim.token);
  await ready;
  return {
    sim,
    client,
    uncaught,
    stop: async () => {
      await client.destroy();
      await sim.close();
      process.off('uncaughtException', onUncaught);
    },
  };
}

/** Resolve with the first emission of `event` (rejects after `timeoutMs`). */
export function nextEvent<T>(client: Client, event: string, timeoutMs = 5000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} event within ${timeoutMs} ms`)), timeoutMs);
    client.once(event, (value: T) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}
