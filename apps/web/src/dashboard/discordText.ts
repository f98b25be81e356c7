import { html, raw, type SafeHtml } from '../pages/html.ts';

/** Names the dashboard shows for Discord ids in a message (channels and roles of the guild). */
export interface DiscordNames {
  channels?: ReadonlyMap<string, string>;
  roles?: ReadonlyMap<string, string>;
}

/**
 * A message written for Discord (by a slash command's code, which the dashboard shares) as safe HTML: `<#id>`
 * becomes `#name`, `<@&id>` `@role`, `<@id>` a user mention, `` `code` `` and `**bold**` their elements, and
 * newlines line breaks. Everything else is escaped.
 */
export function discordText(text: string, names: DiscordNames = {}): SafeHtml {
  const parts: SafeHtml[] = [];
  const token = /<#(\d+)>|<@&(\d+)>|<@!?(\d+)>|`([^`]+)`|\*\*([^*]+)\*\*|\n/g;
  let last = 0;
  for (let m = token.exec(text); m; m = token.exec(text)) {
    parts.push(html`${text.slice(last, m.index)}`);
    last = m.index + m[0].length;
    if (m[1]) parts.push(html`<span class="mention">#${names.channels?.get(m[1]) ?? m[1]}</span>`);
    else if (m[2]) parts.push(html`<span class="mention">@${names.roles?.get(m[2]) ?? m[2]}</span>`);
    else if (m[3]) parts.push(html`<span class="mention">@${m[3]}</span>`);
    else if (m[4] !== undefined) parts.push(html`<code>${m[4]}</code>`);
    else if (m[5] !== undefined) parts.push(html`<strong>${m[5]}</strong>`);
    else parts.push(raw('<br>'));
  }
  parts.push(html`${text.slice(last)}`);
  return html`${parts}`;
}
