export { EnvError, loadEnvOrExit, parseEnv } from './parseEnv.ts';
export { discordEnv, encryptionEnv, kickEnv, logEnv, storageEnv, webEnv } from './fragments.ts';
