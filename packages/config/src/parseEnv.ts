import type { z } from 'zod';

/** Thrown by {@link parseEnv}: one line per missing or invalid variable, each saying how to fix it. */
export class EnvError extends Error {
  override readonly name = 'EnvError';
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Validates `source` (default `process.env`) against a zod object schema. Each problem becomes one
 * line naming the variable; values are never echoed (they may be secrets).
 */
export function parseEnv<S extends z.ZodObject>(schema: S, source: Record<string, string | undefined> = process.env): z.infer<S> {
  // Treat empty strings as unset so `FOO=` in .env means "use the default".
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const key = issue.path.join('.') || '(environment)';
    const shape = schema.shape as Record<string, z.ZodType | undefined>;
    const hint = shape[key]?.description;
    const what = issue.code === 'invalid_type' && cleaned[key] === undefined ? 'is missing' : `is invalid (${issue.message})`;
    return `${key} ${what}${hint ? ` — ${hint}` : ''}`;
  });
  throw new EnvError(problems);
}

/**
 * Parses the environment or, on failure, prints the problems and exits with status 78 (EX_CONFIG).
 * For process entry points only.
 */
export function loadEnvOrExit<S extends z.ZodObject>(schema: S, source?: Record<string, string | undefined>): z.infer<S> {
  try {
    return parseEnv(schema, source);
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(78);
    }
    throw error;
  }
}
