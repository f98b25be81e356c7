import { html, page } from './html.ts';

/** Why a viewer's "Link with Kick" ended on an error page. */
export type AccountLinkFailure = 'link_invalid' | 'link_expired' | 'link_used' | 'state_invalid' | 'denied' | 'exchange_failed' | 'kick_lookup_failed' | 'pending_invalid';

const RETRY = 'Run /link start in Discord again and press "Link with Kick".';

const FAILURES: Record<AccountLinkFailure, { status: number; title: string; text: string }> = {
  link_invalid: { status: 400, title: 'This link is not valid', text: `The link was altered or is incomplete. ${RETRY}` },
  link_expired: { status: 410, title: 'This link has expired', text: `"Link with Kick" works for 10 minutes. ${RETRY}` },
  link_used: { status: 410, title: 'This link was already used', text: `Each "Link with Kick" button works once. ${RETRY}` },
  state_invalid: { status: 400, title: 'This sign-in could not be matched', text: `It was already completed, took longer than 10 minutes, or was not started here. ${RETRY}` },
  denied: { status: 403, title: 'Linking cancelled', text: `You declined on Kick, so nothing was linked. ${RETRY}` },
  exchange_failed: { status: 502, title: 'Kick did not complete the sign-in', text: `Nothing was linked. ${RETRY}` },
  kick_lookup_failed: { status: 502, title: 'Kick did not tell us who you are', text: `Nothing was linked. ${RETRY}` },
  pending_invalid: { status: 410, title: 'This question has expired', text: `It was already answered or is older than 10 minutes; nothing changed. ${RETRY}` },
};

/** Status code and HTML of a failure page. */
export function accountLinkFailurePage(failure: AccountLinkFailure): { status: number; html: string } {
  const f = FAILURES[failure];
  return { status: f.status, html: page({ title: f.title, tone: 'bad', body: html`<h1>${f.title}</h1><p>${f.text}</p><p class="small">Reason: ${failure}</p>` }) };
}

/** "Linked" page. */
export function accountLinkedPage(input: { kickUsername: string; replaced: boolean }): string {
  const title = `Linked to the Kick account ${input.kickUsername}`;
  const replaced = input.replaced ? html`<p>The previous link was replaced. Points stay with each Kick account in each server.</p>` : html``;
  return page({
    title,
    tone: 'ok',
    body: html`<h1>${title}</h1><p>Your Discord account is now linked to ${input.kickUsername} in every server kickcord is in.</p>${replaced}<p>You can close this tab; <code>/link status</code> in Discord shows the link.</p>`,
  });
}

/** The question before a relink: what goes away, and a button that confirms (POST with the pending id). */
export function accountRelinkPage(input: { kickUsername: string; discordHasOtherKick: string | null; kickHasOtherDiscord: boolean; confirmPath: string; pendingId: string }): string {
  const title = 'Replace your link?';
  const items = [
    input.discordHasOtherKick ? html`<li>Your Discord account is linked to the Kick account ${input.discordHasOtherKick} now. Replacing unlinks it and links ${input.kickUsername} instead.</li>` : html``,
    input.kickHasOtherDiscord ? html`<li>${input.kickUsername} is linked to another Discord account now. Replacing unlinks that account and links ${input.kickUsername} to you.</li>` : html``,
  ];
  return page({
    title,
    tone: 'plain',
    body: html`<h1>${title}</h1><ul>${items}</ul><p>Points never move: they stay with each Kick account in each server.</p>
<form method="post" action="${input.confirmPath}"><input type="hidden" name="pending" value="${input.pendingId}"><button type="submit">Replace the link</button></form>
<p class="small">To keep things as they are, close this tab. This question expires in 10 minutes.</p>`,
  });
}
