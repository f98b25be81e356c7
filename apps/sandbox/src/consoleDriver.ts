/**
 * Steps a person takes in the sandbox console, for a headless browser (playwright-core): the console tests and the
 * README screenshots play the same stories with them.
 */
import type { Locator, Page } from 'playwright-core';

/** Runs a slash command from the command box as the Discord member `user`; resolves to the newest result box of that line by that member. */
export async function runAs(page: Page, user: string, line: string): Promise<Locator> {
  await page.selectOption('#command-user', user);
  await page.fill('#command-input', line);
  // Run, not Enter: with the suggestions list open, Enter may only pick a suggestion.
  await page.click('#command-form button[type="submit"]');
  const result = page.locator('#command-results .cmd').filter({ has: page.locator('.cmd-line', { hasText: line }) }).filter({ has: page.locator('.when', { hasText: user }) }).first();
  await result.waitFor();
  return result;
}

/** Says `content` in Kick chat as `viewer` (no badge) and waits until the chat pane shows it. */
export async function chatAs(page: Page, viewer: string, content: string): Promise<void> {
  await page.selectOption('#chat-viewer', viewer);
  await page.selectOption('#chat-role', 'viewer');
  await page.fill('#chat-input', content);
  await page.press('#chat-input', 'Enter');
  await page.locator('#kick-chat .chat-line.viewer', { hasText: `${viewer}: ${content}` }).first().waitFor();
}
