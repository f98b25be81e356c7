import { html, page } from './html.ts';

/** Why a connect attempt ended on an error page. */
export type ConnectFailure =
  | 'link_invalid'
  | 'link_expired'
  | 'link_used'
  | 'state_invalid'
  | 'state_expired'
  | 'state_used'
  | 'denied'
  | 'already_owned'
  | 'already_connected'
  | 'exchange_failed'
  | 'kick_lookup_failed'
  | 'guild_missing';

const RETRY = 'Run /kick connect in your Discord server again to get a fresh link.';

const FAILURES: Record<ConnectFailure, { status: number; title: string; text: (d: Record<string, string>) => string }> = {
  link_invalid: { status: 400, title: 'This connect link is not valid', text: () => `The link was altered or is incomplete. ${RETRY}` },
  link_expired: { status: 410, title: 'This connect link has expired', text: () => `Connect links work for 15 minutes. ${RETRY}` },
  link_used: { status: 410, title: 'This connect link was already used', text: () => `Each link works once. ${RETRY}` },
  state_invalid: { status: 400, title: 'This sign-in could not be matched', text: () => `Kick sent us back a sign-in we did not start. ${RETRY}` },
  state_expired: { status: 410, title: 'This sign-in took too long', text: () => `Approve on Kick within 10 minutes of opening the link. ${RETRY}` },
  state_used: { status: 410, title: 'This sign-in was already completed', text: () => `Reloading the page after connecting does nothing. If you are not connected yet: ${RETRY}` },
  denied: { status: 403, title: 'Connection cancelled', text: () => `You declined the request on Kick, so nothing was connected. ${RETRY}` },
  already_owned: {
    status: 409,
    title: 'This Kick channel is connected to another server',
    text: (d) =>
      `The Kick channel ${d.channel ?? ''} is already connected to another Discord server. A channel can be connected by one server at a time; ` +
      `ask that server to run /kick disconnect first. Other servers can still follow it with /kick watch.`,
  },
  already_connected: {
    status: 409,
    title: 'This server is already connected to another Kick channel',
    text: (d) => `This Discord server is connected to ${d.channel ?? 'another channel'}. Run /kick disconnect first, then connect again.`,
  },
  exchange_failed: {
    status: 502,
    title: 'Kick did not complete the sign-in',
    text: () => `We could not exchange the authorization with Kick (it may be busy, or the code expired). Nothing was saved. ${RETRY}`,
  },
  kick_lookup_failed: {
    status: 502,
    title: 'Kick did not tell us which channel you own',
    text: () => `Looking up your Kick account failed. Nothing was saved. ${RETRY}`,
  },
  guild_missing: { status: 404, title: 'This Discord server is not set up', text: () => `The bot is no longer in that server. Invite it again, then ${RETRY}` },
};

/** Status code and HTML of a failure page. */
export function connectFailurePage(failure: ConnectFailure, detail: Record<string, string> = {}): { status: number; html: string } {
  const f = FAILURES[failure];
  return {
    status: f.status,
    html: page({ title: f.title, tone: 'bad', body: html`<h1>${f.title}</h1><p>${f.text(detail)}</p><p class="small">Reason: ${failure}</p>` }),
  };
}

/** The success page ("Connected <channel> to <guild>"). */
export function connectSuccessPage(input: { channel: string; guild: string; subscriptionsPending: boolean }): string {
  const title = `Connected ${input.channel} to ${input.guild}`;
  const pending = input.subscriptionsPending
    ? html`<p>Kick did not accept the event subscriptions right now; they will be retried automatically within the hour — no action needed.</p>`
    : html`<p>Kick events (go-live, follows, subs, chat) now reach your Discord server.</p>`;
  return page({ title, tone: 'ok', body: html`<h1>${title}</h1>${pending}<p>You can close this tab and return to Discord.</p>` });
}
