/**
 * The whole environment of a real run (`pnpm start` with credentials), checked once before anything is migrated or
 * started: web's and bot's schemas together, so every problem is reported at once instead of one per attempt.
 */
import { parseBotEnv } from '@kickcord/bot';
import { parseWebEnv } from '@kickcord/web';

/** One line per missing or invalid variable (values never shown), web's and bot's merged without repeats. */
export function environmentProblems(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  for (const parse of [parseWebEnv, parseBotEnv]) {
    try {
      parse(env);
    } catch (error) {
      const listed = (error as { problems?: unknown }).problems;
      if (!Array.isArray(listed)) throw error;
      for (const p of listed) if (typeof p === 'string' && !problems.includes(p)) problems.push(p);
    }
  }
  return problems;
}
