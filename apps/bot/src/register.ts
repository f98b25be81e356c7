import { registerCommands } from './bot.ts';
import { loadBotEnvOrExit } from './env.ts';
import { registerRoleConnectionMetadata } from './features/linkedRoles/registerMetadata.ts';

// `pnpm discord:register`: globally, or to DISCORD_DEV_GUILD_ID when set (instant, for development).
const env = loadBotEnvOrExit();
const count = await registerCommands(env);
console.log(`Registered ${count} slash commands ${env.DISCORD_DEV_GUILD_ID ? `to guild ${env.DISCORD_DEV_GUILD_ID}` : 'globally (may take up to an hour to appear)'}.`);
// Linked Roles: what server admins can require (the application's, never per guild).
const metadata = await registerRoleConnectionMetadata(env);
console.log(`Registered ${metadata.length} Linked Roles metadata fields: ${metadata.map((m) => m.key).join(', ')}.`);
