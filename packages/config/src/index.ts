export { EnvError, loadEnvOrExit, parseEnv } from './parseEnv.ts';
export { discordEnv, encryptionEnv, kickEnv, logEnv, queueEnv, storageEnv, webEnv } from './fragments.ts';
