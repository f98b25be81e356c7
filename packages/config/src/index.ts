export { EnvError, loadEnvOrExit, parseEnv } from './parseEnv.ts';
export { discordEnv, discordOAuthEnv, encryptionEnv, kickEnv, logEnv, queueEnv, retentionEnv, storageEnv, webEnv } from './fragments.ts';
