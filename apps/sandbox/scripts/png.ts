import { execFileSync } from 'node:child_process';
import { stat } from 'node:fs/promises';
import type { Page } from 'playwright-core';

/** Whether pngquant (Debian: apt-get install pngquant) is installed. */
export function hasPngquant(): boolean {
  try {
    execFileSync('pngquant', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Saves a screenshot of `page` as `<dir><name>.png`, reduced to 256 colours by pngquant when it is installed, and
 * refuses a picture over `maxBytes` (the repository stays small).
 */
export async function savePng(page: Page, dir: string, name: string, maxBytes: number, quality = '70-95'): Promise<void> {
  const path = `${dir}${name}.png`;
  await page.screenshot({ path, type: 'png' });
  if (hasPngquant()) execFileSync('pngquant', ['--force', '--skip-if-larger', '--strip', `--quality=${quality}`, '--output', path, '--', path]);
  const { size } = await stat(path);
  console.log(`${path} (${Math.round(size / 1024)} KiB)`);
  if (size > maxBytes) throw new Error(`${name}.png is ${Math.round(size / 1024)} KiB, over ${maxBytes / 1024} KiB: ${hasPngquant() ? 'make the viewport smaller' : 'install pngquant (apt-get install pngquant)'}.`);
}
