import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { KickSimError } from './KickSimError.ts';
import { generateKickKeyPair, publicKeyFromPrivate } from './signing.ts';

/** `~/.kickcord/kick-sim-key.pem`: where the CLI keeps its signing key so `keys`, `serve` and `trigger` agree. */
export function defaultKeyFilePath(): string {
  return join(homedir(), '.kickcord', 'kick-sim-key.pem');
}

/** Reads the private key PEM at `path`, creating a fresh RSA-2048 key (mode 0600) if the file does not exist. */
export function loadOrCreateKeyFile(path: string): { privateKeyPem: string; publicKeyPem: string; created: boolean } {
  if (existsSync(path)) {
    const privateKeyPem = readFileSync(path, 'utf8');
    try {
      return { privateKeyPem, publicKeyPem: publicKeyFromPrivate(privateKeyPem), created: false };
    } catch {
      throw new KickSimError(`The key file ${path} is not a PEM private key; delete it to let kick-sim create a new one, or pass --key <path>.`);
    }
  }
  const keys = generateKickKeyPair();
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, keys.privateKeyPem, { mode: 0o600 });
  chmodSync(path, 0o600);
  return { ...keys, created: true };
}
