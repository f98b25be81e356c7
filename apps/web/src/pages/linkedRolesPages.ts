import type { LinkedRoleValues } from '@kickcord/connections';
import { html, page } from './html.ts';

/** Why a Linked Roles verification ended on an error page. */
export type LinkedRolesFailure = 'not_configured' | 'too_many' | 'state_invalid' | 'denied' | 'exchange_failed' | 'scope_missing' | 'discord_failed';

const RETRY = 'Open Linked Roles again from your Discord server (server name → Linked Roles) and pick kickcord.';

const FAILURES: Record<LinkedRolesFailure, { status: number; title: string; text: string }> = {
  not_configured: {
    status: 503,
    title: 'Linked Roles is not set up here',
    text: 'The operator of this kickcord has not set DISCORD_CLIENT_ID and DISCORD_CLIENT_SECRET, so Discord cannot verify anyone yet.',
  },
  too_many: { status: 429, title: 'Too many verifications from here', text: 'Wait a few minutes, then open Linked Roles again from your Discord server.' },
  state_invalid: { status: 400, title: 'This sign-in could not be matched', text: `It was already completed, took longer than 10 minutes, or was started in another browser. ${RETRY}` },
  denied: { status: 403, title: 'Verification cancelled', text: `You cancelled on Discord, so nothing changed. ${RETRY}` },
  exchange_failed: { status: 502, title: 'Discord did not complete the sign-in', text: `Nothing was saved. ${RETRY}` },
  scope_missing: { status: 400, title: 'kickcord needs permission to update your connection', text: `Approve "update your connection" on Discord's page. ${RETRY}` },
  discord_failed: {
    status: 502,
    title: 'Discord is busy right now',
    text: 'You are verified; Discord did not accept your values just now. kickcord retries by itself within a few minutes — no need to come back.',
  },
};

/** Status code and HTML of a failure page. */
export function linkedRolesFailurePage(failure: LinkedRolesFailure): { status: number; html: string } {
  const f = FAILURES[failure];
  return { status: f.status, html: page({ title: f.title, tone: 'bad', body: html`<h1>${f.title}</h1><p>${f.text}</p><p class="small">Reason: ${failure}</p>` }) };
}

/** Verified, with the values Discord now holds. */
export function linkedRolesVerifiedPage(values: LinkedRoleValues): string {
  const title = `Verified: Kick account ${values.kickUsername}`;
  return page({
    title,
    tone: 'ok',
    body: html`<h1>${title}</h1><p>Discord now knows these values for you; servers give their linked roles from them.</p>
<table><tr><th>Kick subscriber</th><td>${values.kickSubscriber ? 'yes' : 'no'}</td></tr>
<tr><th>Watch hours</th><td class="n">${values.watchHours}</td></tr>
<tr><th>Points</th><td class="n">${values.points}</td></tr>
<tr><th>Linked since</th><td>${values.linkedSince.toISOString().slice(0, 10)}</td></tr></table>
<p class="small">Points and watch hours are the largest in any one server kickcord tracks you in. They update by themselves as they change.</p>
<p>You can close this tab and return to Discord.</p>`,
  });
}

/** Verified with Discord, but no Kick account is linked yet: how to link (the values follow by themselves). */
export function linkedRolesLinkKickPage(input: { discordUsername: string; linkWithKickUrl: string }): string {
  const title = 'One more step: link your Kick account';
  return page({
    title,
    tone: 'plain',
    body: html`<h1>${title}</h1><p>You are verified as ${input.discordUsername} on Discord, but no Kick account is linked to it yet.</p>
<p><a href="${input.linkWithKickUrl}">Link with Kick</a> (sign in on Kick; this link works for 10 minutes), or run <code>/link start</code> in the Discord server and type the code it shows in the streamer's Kick chat.</p>
<p>Once linked, your linked roles update by themselves within a few minutes — no need to come back here.</p>`,
  });
}
