/* global document, window, CSS */
// The sandbox console: polls /api/state every second and renders Discord, Kick chat and the leaderboard.
// Every piece of user content goes into the page through textContent / DOM nodes, never innerHTML.
'use strict';

const POLL_MS = 1000;
/** Lines a "Show older" click adds to the chat or Discord pane. */
const OLDER_STEP = 100;
const state = {
  snapshot: null,
  channelId: null,
  seen: new Map(),
  polling: false,
  // Results made in the page itself (a refused command, a Kick sign-in), shown among the slash command results.
  localResults: [],
  // How much of each long list the page asks for (see GET /api/state).
  limits: { chat: OLDER_STEP, discord: OLDER_STEP, points: 1, watchtime: 1 },
};

// A scrolling pane follows new items while the user is at its bottom. The flag changes only when the user scrolls
// (a resize keeps it), so a pane that was following keeps following after the window is resized.
const following = new WeakMap();
function isNearBottom(pane) {
  return pane.scrollHeight - pane.scrollTop - pane.clientHeight < 40;
}
function follow(pane) {
  following.set(pane, true);
  let height = pane.clientHeight;
  const resized = () => {
    height = pane.clientHeight;
    if (following.get(pane)) pane.scrollTop = pane.scrollHeight;
  };
  // A scroll event that comes with a new pane height is the browser clamping the scroll position after a resize,
  // not the user: it must not stop the pane following.
  pane.addEventListener('scroll', () => (pane.clientHeight === height ? following.set(pane, isNearBottom(pane)) : resized()), { passive: true });
  new window.ResizeObserver(resized).observe(pane);
}
function stickToBottom(pane) {
  if (following.get(pane)) pane.scrollTop = pane.scrollHeight;
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function safeUrl(value) {
  if (typeof value !== 'string') return null;
  try {
    const url = new URL(value, window.location.href);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : null;
  } catch {
    return null;
  }
}

function link(href, text, className) {
  const url = safeUrl(href);
  if (!url) return el('span', className, text);
  const a = el('a', className, text);
  a.href = url;
  a.target = '_blank';
  a.rel = 'noopener noreferrer';
  return a;
}

function time(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

function relative(date) {
  const seconds = Math.round((date.getTime() - Date.now()) / 1000);
  const abs = Math.abs(seconds);
  const [value, unit] = abs < 60 ? [seconds, 'second'] : abs < 3600 ? [Math.round(seconds / 60), 'minute'] : abs < 86400 ? [Math.round(seconds / 3600), 'hour'] : [Math.round(seconds / 86400), 'day'];
  return new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' }).format(value, unit);
}

// Discord-flavoured text: mentions, timestamps, **bold**, `code`, links. Builds nodes only.
const TOKEN = /<@&(\d+)>|<@!?(\d+)>|<#(\d+)>|<t:(-?\d+)(?::([tTdDfFR]))?>|\*\*([^*]+)\*\*|`([^`]+)`|(https?:\/\/[^\s<>()]+)/g;
function renderText(text) {
  const frag = document.createDocumentFragment();
  const snap = state.snapshot;
  const roles = new Map((snap?.guild.roles ?? []).map((r) => [r.id, r.name]));
  const members = new Map((snap?.guild.members ?? []).map((m) => [m.id, m.username]));
  const channels = new Map((snap?.guild.channels ?? []).map((c) => [c.id, c.name]));
  let last = 0;
  const source = String(text ?? '');
  for (const m of source.matchAll(TOKEN)) {
    if (m.index > last) frag.append(document.createTextNode(source.slice(last, m.index)));
    if (m[1]) frag.append(el('span', 'mention role', `@${roles.get(m[1]) ?? 'unknown-role'}`));
    else if (m[2]) frag.append(el('span', 'mention', `@${members.get(m[2]) ?? (m[2] === snap?.guild.id ? 'everyone' : 'user')}`));
    else if (m[3]) frag.append(el('span', 'mention', `#${channels.get(m[3]) ?? 'unknown'}`));
    else if (m[4]) {
      const date = new Date(Number(m[4]) * 1000);
      frag.append(el('span', 'timestamp', m[5] === 'R' ? relative(date) : date.toLocaleString()));
    } else if (m[6]) frag.append(el('strong', '', m[6]));
    else if (m[7]) frag.append(el('code', '', m[7]));
    else if (m[8]) frag.append(link(m[8], m[8]));
    last = m.index + m[0].length;
  }
  if (last < source.length) frag.append(document.createTextNode(source.slice(last)));
  return frag;
}

function renderEmbed(embed) {
  const box = el('div', 'embed');
  if (typeof embed.color === 'number') box.style.borderLeftColor = `#${embed.color.toString(16).padStart(6, '0')}`;
  const body = el('div', 'embed-body');
  if (embed.author?.name) body.append(link(embed.author.url, embed.author.name, 'embed-author'));
  if (embed.title) body.append(link(embed.url, embed.title, 'embed-title'));
  if (embed.description) {
    const d = el('div', 'embed-description');
    d.append(renderText(embed.description));
    body.append(d);
  }
  if (Array.isArray(embed.fields) && embed.fields.length) {
    const fields = el('div', 'embed-fields');
    for (const f of embed.fields) {
      const field = el('div', f.inline ? 'embed-field inline' : 'embed-field');
      field.append(el('div', 'embed-field-name', f.name));
      const value = el('div', 'embed-field-value');
      value.append(renderText(f.value));
      field.append(value);
      fields.append(field);
    }
    body.append(fields);
  }
  const image = safeUrl(embed.image?.url);
  if (image) {
    const img = el('img', 'embed-image');
    img.src = image;
    img.alt = '';
    img.loading = 'lazy';
    img.referrerPolicy = 'no-referrer';
    img.addEventListener('error', () => img.classList.add('broken'));
    body.append(img);
  }
  const footerBits = [embed.footer?.text, embed.timestamp ? new Date(embed.timestamp).toLocaleString() : null].filter(Boolean);
  if (footerBits.length) body.append(el('div', 'embed-footer', footerBits.join(' • ')));
  box.append(body);
  const thumb = safeUrl(embed.thumbnail?.url);
  if (thumb) {
    const img = el('img', 'embed-thumb');
    img.src = thumb;
    img.alt = '';
    img.referrerPolicy = 'no-referrer';
    img.addEventListener('error', () => img.classList.add('broken'));
    box.append(img);
  }
  return box;
}

// "Link with Kick" (/link start): the console can follow it as a browser would, signed in to kick-sim as a viewer.
function isKickSignInUrl(value) {
  const url = safeUrl(value);
  return url !== null && new URL(url).pathname === '/link/kick';
}

// `source` is where a button sits: { interactionId } for an answer to a slash command, { messageId } for a channel message.
function renderComponents(rows, source) {
  const wrap = el('div', 'components');
  for (const row of rows ?? []) {
    for (const c of row.components ?? []) {
      if (c.type !== 2) continue;
      if (c.style === 5) {
        wrap.append(link(c.url, `${c.label ?? 'Open'} ↗`, 'button link'));
        if (isKickSignInUrl(c.url)) {
          const b = el('button', 'button kick-sign-in', 'Sign in to Kick as the chat’s viewer');
          b.type = 'button';
          b.title = 'Follows the link as a browser would; kick-sim signs in as the viewer chosen in the Kick chat box';
          b.addEventListener('click', () => void kickSignIn(c.url, b));
          wrap.append(b);
        }
      } else {
        const b = el('button', `button style-${c.style ?? 2}`, c.label ?? c.custom_id ?? 'button');
        b.type = 'button';
        b.dataset.customId = c.custom_id ?? '';
        if (!source || c.disabled) {
          b.disabled = true;
          b.title = 'The bot disabled this button';
        } else {
          b.addEventListener('click', () => void clickButton(source, c.custom_id, b));
        }
        wrap.append(b);
      }
    }
  }
  return wrap;
}

function formatSize(bytes) {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`;
}

// A file the bot attached (e.g. /points export's CSV): its name, a download link and its text.
function renderFile(file) {
  const box = el('div', 'file');
  const head = el('div', 'file-head');
  head.append(el('span', 'file-name', `📎 ${file.name}`), el('span', 'when', formatSize(file.size)));
  const download = link(file.url, 'Download', 'file-download');
  if (download.tagName === 'A') {
    download.removeAttribute('target');
    download.setAttribute('download', file.name);
  }
  head.append(download);
  box.append(head);
  if (file.text !== null) {
    box.append(el('pre', 'file-text', file.text));
    if (file.truncated) box.append(el('div', 'hint', 'Only the start is shown — download the file for all of it.'));
  }
  return box;
}

function renderMessageBody(msg, source) {
  const frag = document.createDocumentFragment();
  if (msg.content) {
    const c = el('div', 'content');
    c.append(renderText(msg.content));
    frag.append(c);
  }
  for (const e of msg.embeds ?? []) frag.append(renderEmbed(e));
  for (const f of msg.files ?? []) frag.append(renderFile(f));
  if (msg.components?.length) frag.append(renderComponents(msg.components, source));
  return frag;
}

function renderDiscordMessage(msg) {
  const row = el('article', 'dmsg');
  const head = el('div', 'dmsg-head');
  head.append(el('span', 'author bot-author', state.snapshot?.bot.discordName ?? 'kickcord'), el('span', 'badge-app', 'APP'), el('span', 'when', time(msg.at)));
  if (msg.viaInteraction) head.append(el('span', 'via', 'slash command reply'));
  row.append(head, renderMessageBody(msg, { messageId: msg.id }));
  return row;
}

function renderChatLine(msg) {
  const line = el('div', `chat-line ${msg.kind}${msg.deleted ? ' deleted' : ''}`);
  line.dataset.kind = msg.kind;
  line.append(el('span', 'when', time(msg.at)));
  for (const b of msg.badges ?? []) {
    const chip = el('span', `badge-kick badge-${b.type}`, b.type === 'subscriber' ? 'SUB' : b.type === 'moderator' ? 'MOD' : b.type === 'broadcaster' ? 'HOST' : b.text);
    chip.title = b.count ? `${b.text} (${b.count})` : b.text;
    line.append(chip);
  }
  const sender = el('span', 'sender', msg.sender);
  line.append(sender);
  if (msg.kind === 'bot') line.append(el('span', 'badge-bot', 'BOT'));
  line.append(el('span', 'colon', ': '), el('span', 'text', msg.content));
  return line;
}

function renderCommandResult(cmd) {
  const box = el('article', cmd.error ? 'cmd cmd-error' : 'cmd');
  const head = el('div', 'cmd-head');
  head.append(el('code', 'cmd-line', cmd.commandLine), el('span', 'when', `${cmd.user} · ${time(cmd.at)}`));
  box.append(head);
  if (cmd.error) {
    box.append(el('div', 'error-text', cmd.error));
    return box;
  }
  if (cmd.page) {
    const page = el('div', 'cmd-resp page');
    page.append(el('div', 'page-title', `${cmd.page.title} (HTTP ${cmd.page.status})`), el('div', 'page-text', cmd.page.text));
    box.append(page);
    return box;
  }
  // A deferred reply ("thinking…") is replaced by the follow-up/edit that completes it.
  const isPlaceholder = (r) => r.kind === 'callback' && (r.type === 5 || r.type === 6) && !r.content && !r.embeds.length && !(r.files ?? []).length;
  const shown = cmd.responses.filter((r, i, all) => r.kind !== 'delete' && !(isPlaceholder(r) && i < all.length - 1));
  if (!shown.length) box.append(el('div', 'pending', 'waiting for the bot…'));
  for (const r of shown) {
    const resp = el('div', `cmd-resp${r.ephemeral ? ' ephemeral' : ''}`);
    const empty = !r.content && !r.embeds.length && !(r.files ?? []).length;
    if (r.kind === 'callback' && r.type === 5 && empty) resp.append(el('div', 'pending', 'kickcord is thinking…'));
    else resp.append(renderMessageBody(r, { interactionId: cmd.id }));
    if (r.ephemeral) resp.append(el('div', 'eph-note', '👁 Only you can see this'));
    box.append(resp);
  }
  return box;
}

// Keyed list sync: appends new items, re-renders changed ones, removes vanished ones; a following pane stays at the bottom.
function syncList(container, items, key, render, { scroller = null } = {}) {
  const wanted = new Set();
  let cursor = null;
  for (const item of items) {
    const id = key(item);
    wanted.add(id);
    const sig = JSON.stringify(item);
    let node = container.querySelector(`[data-key="${CSS.escape(id)}"]`);
    if (!node || node.dataset.sig !== sig) {
      const fresh = render(item);
      fresh.dataset.key = id;
      fresh.dataset.sig = sig;
      if (node) node.replaceWith(fresh);
      node = fresh;
    }
    const expected = cursor ? cursor.nextSibling : container.firstChild;
    if (node !== expected) container.insertBefore(node, expected);
    cursor = node;
  }
  for (const child of [...container.children]) if (!wanted.has(child.dataset.key)) child.remove();
  if (scroller) stickToBottom(scroller);
}

function renderTabs(snap) {
  const tabs = document.getElementById('channel-tabs');
  if (!state.channelId || !snap.guild.channels.some((c) => c.id === state.channelId)) {
    state.channelId = (snap.guild.channels.find((c) => c.name === 'announcements') ?? snap.guild.channels[0])?.id ?? null;
  }
  const counts = new Map();
  for (const m of snap.discord) counts.set(m.channelId, (counts.get(m.channelId) ?? 0) + 1);
  for (const c of snap.guild.channels) {
    if (c.id === state.channelId) state.seen.set(c.id, counts.get(c.id) ?? 0);
  }
  syncList(
    tabs,
    snap.guild.channels.map((c) => ({ id: c.id, name: c.name, active: c.id === state.channelId, unread: Math.max(0, (counts.get(c.id) ?? 0) - (state.seen.get(c.id) ?? 0)) })),
    (t) => t.id,
    (t) => {
      const b = el('button', `tab${t.active ? ' active' : ''}`, `# ${t.name}`);
      b.type = 'button';
      b.setAttribute('role', 'tab');
      b.dataset.channel = t.name;
      if (t.unread) b.append(el('span', 'unread', t.unread));
      b.addEventListener('click', () => {
        state.channelId = t.id;
        following.set(document.getElementById('discord-pane'), true);
        render();
      });
      return b;
    },
  );
}

function renderStream(snap) {
  const card = document.getElementById('stream-status');
  const s = snap.stream;
  const sig = JSON.stringify([s, Math.floor(Date.now() / 60000)]);
  if (card.dataset.sig === sig) return;
  card.dataset.sig = sig;
  card.replaceChildren();
  const top = el('div', 'stream-top');
  top.append(el('span', s.live ? 'pill live' : 'pill offline', s.live ? '● LIVE' : 'OFFLINE'), el('span', 'stream-channel', s.channel));
  card.append(top);
  if (s.title) card.append(el('div', 'stream-title', s.title));
  const meta = [];
  if (s.category) meta.push(s.category);
  if (s.live) meta.push(`${s.viewers} viewers`);
  if (s.live && s.startedAt) meta.push(`up ${Math.max(0, Math.floor((Date.now() - new Date(s.startedAt).getTime()) / 60000))} min`);
  if (meta.length) card.append(el('div', 'stream-meta', meta.join(' · ')));
  const toggle = el('button', s.live ? 'stream-toggle end' : 'stream-toggle start', s.live ? '■ End stream' : '● Go live');
  toggle.type = 'button';
  toggle.id = 'stream-toggle';
  toggle.title = s.live ? 'kick-sim sends livestream.status.updated with is_live: false' : 'kick-sim sends livestream.status.updated with is_live: true';
  toggle.addEventListener('click', async () => {
    toggle.disabled = true;
    try {
      await post('/api/stream', { live: !s.live });
      showError('');
    } catch (error) {
      showError(error.message);
    }
    void poll();
  });
  card.append(toggle);
  card.dataset.live = String(s.live);
}

function renderBoard(id, board, primary) {
  const body = document.querySelector(`#${id} tbody`);
  body.replaceChildren();
  const rows = board.rows;
  if (!rows.length) {
    const tr = el('tr', 'empty');
    const td = el('td', '', 'nobody yet');
    td.colSpan = 4;
    tr.append(td);
    body.append(tr);
  }
  for (const r of rows) {
    const tr = el('tr');
    tr.append(el('td', 'rank', r.rank), el('td', 'name', r.username), el('td', 'num', primary === 'points' ? r.points : r.activeMinutes), el('td', 'num dim', primary === 'points' ? r.activeMinutes : r.points));
    body.append(tr);
  }
  const pager = document.getElementById(`pager-${board.by}`);
  state.limits[board.by] = board.page; // the server clamps a page past the end
  pager.querySelector('.pageinfo').textContent = `Page ${board.page}/${board.pages} · ${board.total} ${board.total === 1 ? 'viewer' : 'viewers'}`;
  pager.querySelector('.prev').disabled = board.page <= 1;
  pager.querySelector('.next').disabled = board.page >= board.pages;
}

for (const pager of document.querySelectorAll('.pager')) {
  const by = pager.dataset.board;
  pager.querySelector('.prev').addEventListener('click', () => {
    state.limits[by] = Math.max(1, state.limits[by] - 1);
    void poll();
  });
  pager.querySelector('.next').addEventListener('click', () => {
    state.limits[by] += 1;
    void poll();
  });
}

function renderOlder(buttonId, shown, total) {
  const button = document.getElementById(buttonId);
  const older = total - shown;
  button.hidden = older <= 0;
  button.textContent = `Show older (${older} more)`;
}

for (const [buttonId, limitKey] of [['chat-older', 'chat'], ['discord-older', 'discord']]) {
  document.getElementById(buttonId).addEventListener('click', (event) => {
    const pane = event.currentTarget.parentElement;
    following.set(pane, false);
    state.limits[limitKey] += OLDER_STEP;
    void poll();
  });
}

// Fills a <select> with `values` (label(v) shown), keeping the choice; does nothing when the list is unchanged.
function fillSelect(select, values, label = (v) => v) {
  const current = [...select.options].map((o) => o.value).join('\n');
  if (current === values.join('\n')) return;
  const chosen = select.value;
  select.replaceChildren(...values.map((v) => {
    const o = el('option', '', label(v));
    o.value = v;
    return o;
  }));
  if (values.includes(chosen)) select.value = chosen;
}

function renderViewers(snap) {
  fillSelect(document.getElementById('chat-viewer'), snap.viewers, (v) => (v === snap.stream.channel ? `${v} (streamer)` : v));
  const viewers = snap.viewers.filter((v) => v !== snap.stream.channel);
  fillSelect(document.getElementById('sub-viewer'), viewers);
  fillSelect(document.getElementById('gift-to'), viewers);
  fillSelect(document.getElementById('command-user'), snap.discordUsers.map((u) => u.username), (v) => (snap.discordUsers.find((u) => u.username === v)?.moderator ? `${v} (moderator)` : v));
}

// The guild's members as discord-sim holds them: their roles (as chips) and the Kick account linked to them.
function renderMembers(snap) {
  const roles = new Map(snap.guild.roles.map((r) => [r.id, r.name]));
  const members = snap.guild.members.filter((m) => !m.bot);
  syncList(document.getElementById('members'), members, (m) => m.id, (m) => {
    const li = el('li', 'member');
    li.dataset.member = m.username;
    li.append(el('span', 'member-name', m.username));
    if (m.kick) li.append(el('span', 'member-kick', `🔗 ${m.kick}`));
    const chips = el('span', 'member-roles');
    for (const id of m.roles) chips.append(el('span', 'role-chip', `@${roles.get(id) ?? 'unknown-role'}`));
    li.append(chips);
    return li;
  });
}

function renderLinks(snap) {
  const nav = document.getElementById('links');
  if (nav.childElementCount) return;
  for (const l of snap.links) nav.append(link(l.url, l.name, 'toplink'));
}

function render() {
  const snap = state.snapshot;
  if (!snap) return;
  document.getElementById('phase').textContent = snap.phase;
  document.getElementById('guild-name').textContent = snap.guild.name;
  document.getElementById('chat-channel').textContent = `kick.com/${snap.stream.channel}`;
  renderLinks(snap);
  renderTabs(snap);
  const messages = snap.discord.filter((m) => m.channelId === state.channelId);
  const list = document.getElementById('discord-messages');
  list.dataset.channel = snap.guild.channels.find((c) => c.id === state.channelId)?.name ?? '';
  if (list.dataset.shown !== state.channelId) {
    list.replaceChildren();
    list.dataset.shown = state.channelId;
  }
  syncList(list, messages, (m) => m.id, renderDiscordMessage, { scroller: document.getElementById('discord-pane') });
  if (!messages.length && !list.childElementCount) {
    const note = el('div', 'empty-note', 'Nothing posted here yet.');
    note.dataset.key = '__empty';
    list.append(note);
  }
  renderOlder('discord-older', snap.discord.length, snap.discordTotal);
  syncList(document.getElementById('kick-chat'), snap.chat, (m) => m.id, renderChatLine, { scroller: document.getElementById('kick-chat-pane') });
  renderOlder('chat-older', snap.chat.length, snap.chatTotal);
  const commands = [...state.localResults, ...snap.commands].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  syncList(document.getElementById('command-results'), commands, (c) => c.id, renderCommandResult);
  renderStream(snap);
  renderBoard('leaderboard-points', snap.leaderboard.points, 'points');
  renderBoard('leaderboard-watchtime', snap.leaderboard.watchtime, 'minutes');
  renderViewers(snap);
  renderMembers(snap);
}

async function poll() {
  if (state.polling) return;
  state.polling = true;
  try {
    const query = new URLSearchParams(Object.entries(state.limits).map(([k, v]) => [k, String(v)]));
    const res = await window.fetch(`/api/state?${query}`, { cache: 'no-store' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    state.snapshot = await res.json();
    document.body.classList.remove('disconnected');
    render();
  } catch {
    document.body.classList.add('disconnected');
    document.getElementById('phase').textContent = 'sandbox not reachable — is `pnpm start` still running?';
  } finally {
    state.polling = false;
  }
}

async function post(path, body) {
  const res = await window.fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(data.error ?? `HTTP ${res.status}`);
  return data;
}

function showError(message) {
  document.getElementById('form-error').textContent = message;
}

document.getElementById('chat-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = document.getElementById('chat-input');
  const viewer = document.getElementById('chat-viewer').value;
  const role = document.getElementById('chat-role').value;
  const content = input.value;
  if (!content.trim()) return;
  try {
    following.set(document.getElementById('kick-chat-pane'), true);
    await post('/api/chat', { viewer, content, role });
    input.value = '';
    showError('');
    void poll();
  } catch (error) {
    showError(error.message);
  }
});

document.getElementById('command-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = document.getElementById('command-input');
  const command = input.value;
  const user = document.getElementById('command-user').value;
  if (!command.trim()) return;
  try {
    await post('/api/command', { command, user });
    input.value = '';
  } catch (error) {
    addLocalResult({ commandLine: command, user, error: error.message });
  }
  showNewestResults();
  void poll();
});

// The newest result is at the top of the results panel: after running something, show it.
function showNewestResults() {
  document.getElementById('command-results').scrollTo(0, 0);
}

function addLocalResult(result) {
  const at = new Date().toISOString();
  state.localResults = [{ id: `local-${at}-${state.localResults.length}`, at, responses: [], ...result }, ...state.localResults].slice(0, 5);
  render();
}

// A button of an answer is pressed by whoever ran the command; a button of a channel message by the member chosen to run commands.
async function clickButton(source, customId, button) {
  button.disabled = true;
  const user = document.getElementById('command-user').value;
  try {
    if (source.interactionId) await post('/api/click', { interactionId: source.interactionId, customId });
    else await post('/api/click-message', { messageId: source.messageId, customId, user });
  } catch (error) {
    addLocalResult({ commandLine: `🖱 ${button.textContent}`, user: source.interactionId ? '' : user, error: error.message });
  }
  void poll();
}

async function kickSignIn(url, button) {
  const viewer = document.getElementById('chat-viewer').value;
  button.disabled = true;
  try {
    const page = await post('/api/kick-sign-in', { url, viewer });
    addLocalResult({ commandLine: `🔗 Link with Kick, signed in to Kick as ${viewer}`, user: viewer, page });
  } catch (error) {
    addLocalResult({ commandLine: `🔗 Link with Kick as ${viewer}`, user: viewer, error: error.message });
  }
  showNewestResults();
  void poll();
}

async function sendSubscription(body) {
  const status = document.getElementById('event-status');
  try {
    const sent = await post('/api/subscription', body);
    status.textContent = `kick-sim sent ${sent.event}${body.giftee ? ` (${body.viewer} → ${body.giftee})` : ` for ${body.viewer}`}`;
  } catch (error) {
    status.textContent = error.message;
  }
  void poll();
}

document.getElementById('subscribe-button').addEventListener('click', () => void sendSubscription({ viewer: document.getElementById('sub-viewer').value }));
document.getElementById('gift-button').addEventListener('click', () => void sendSubscription({ viewer: document.getElementById('sub-viewer').value, giftee: document.getElementById('gift-to').value }));

document.getElementById('command-file').addEventListener('change', async (event) => {
  const input = event.currentTarget;
  const file = input.files?.[0];
  const status = document.getElementById('attach-status');
  if (!file) return;
  try {
    const attached = await post('/api/attachment', { filename: file.name, content: await file.text() });
    document.getElementById('command-input').value = `/points import file:${attached.id} mode:set`;
    status.textContent = `attached ${attached.filename} (${formatSize(attached.size)}) — mode:set makes balances equal the file, mode:add adds it; Run shows a dry run to confirm`;
  } catch (error) {
    status.textContent = `could not attach ${file.name}: ${error.message}`;
  }
  input.value = '';
});

follow(document.getElementById('kick-chat-pane'));
follow(document.getElementById('discord-pane'));
void poll();
window.setInterval(poll, POLL_MS);
