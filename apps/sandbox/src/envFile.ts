import { existsSync, readFileSync } from 'node:fs';

/**
 * Parses a `.env` file: `KEY=value` lines, `#` comments, optional `export `, single or double quotes
 * (double quotes understand `\n`), and unquoted values ending at ` #`. No variable expansion.
 */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    const key = match[1] as string;
    let value = (match[2] as string).trim();
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.length >= 2 && value.endsWith(quote)) {
      value = value.slice(1, -1);
      if (quote === '"') value = value.replace(/\\n/g, '\n').replace(/\\"/g, '"');
    } else {
      value = value.replace(/\s+#.*$/, '');
    }
    out[key] = value;
  }
  return out;
}

/**
 * Loads `path` into `env` without overriding variables that are already set (real environment wins).
 * Returns the keys it set; an absent file sets nothing.
 */
export function loadEnvFile(path: string, env: Record<string, string | undefined>): string[] {
  if (!existsSync(path)) return [];
  const set: string[] = [];
  for (const [key, value] of Object.entries(parseEnvFile(readFileSync(path, 'utf8')))) {
    if (env[key] !== undefined) continue;
    env[key] = value;
    set.push(key);
  }
  return set;
}
