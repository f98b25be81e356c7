export { EnvError, loadEnvOrExit, parseEnv } from './parseEnv.ts';
export { discordEnv, encryptionEnv, kickEnv, logEnv, queueEnv, retentionEnv, storageEnv, webEnv } from './fragments.ts';
