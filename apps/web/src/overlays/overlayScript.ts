/**
 * The overlays' one script (served from `/overlay/assets/overlay.<hash>.js`; no framework, no external requests).
 * The page's `<body>` says which widget it is (`data-widget`) and where its event stream is (`data-stream`); the
 * script connects with EventSource and renders:
 * - alerts: queues every alert and shows them one after another, each for its duration with its sound, never two
 *   at once and skipping none (a reconnect never repeats one: stream ids already handled are ignored);
 * - events: the last N alerts (tests are not kept);
 * - chat: the last N chat lines (optionally fading after a while);
 * - leaderboard, game, goal: the latest snapshot the server sent.
 * After a refused connection (404, 429) it tries again with a growing pause, resuming after the last event it
 * handled (`?lastEventId=`); EventSource's own reconnects send `Last-Event-ID`.
 * `window.kickcordOverlay` exposes what it did (connections, alerts shown with their start and end times).
 */
export const OVERLAY_JS = `
(function () {
  'use strict';
  var body = document.body;
  var root = document.getElementById('overlay');
  if (!root) return;
  var widget = body.getAttribute('data-widget') || '';
  var streamUrl = body.getAttribute('data-stream') || '';
  function num(name, fallback) { var v = Number(body.getAttribute(name)); return body.hasAttribute(name) && isFinite(v) ? v : fallback; }
  var limit = num('data-limit', 10);
  var volume = num('data-volume', 80) / 100;
  var fadeAfter = num('data-fade-after', 0) * 1000;
  var hideAfter = num('data-hide-after', 0) * 1000;
  var fontSize = num('data-font-size', 0);
  if (fontSize > 0) document.documentElement.style.setProperty('--kc-font-size', fontSize + 'px');
  var sounds = {};
  try { sounds = JSON.parse(body.getAttribute('data-sounds') || '{}'); } catch (e) { sounds = {}; }

  var state = { widget: widget, connected: false, connects: 0, lastEventId: '', received: 0, shown: [], queued: 0 };
  window.kickcordOverlay = state;

  function cmp(a, b) {
    var pa = a.split('-'), pb = b.split('-');
    var d = Number(pa[0]) - Number(pb[0]);
    return d !== 0 ? d : Number(pa[1] || 0) - Number(pb[1] || 0);
  }
  /** True the first time a stream id is seen (ids only grow); false for anything at or before the last one. */
  function fresh(id) {
    if (!id) return true;
    if (state.lastEventId && cmp(id, state.lastEventId) <= 0) return false;
    state.lastEventId = id;
    return true;
  }
  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function fmt(n) { return Number(n || 0).toLocaleString('en-US'); }

  // ───── alerts: one at a time, in order, each for its duration ─────
  var players = {};
  Object.keys(sounds).forEach(function (name) {
    var a = new Audio(sounds[name]);
    a.preload = 'auto';
    a.volume = Math.max(0, Math.min(1, volume));
    players[name] = a;
  });
  var queue = [], playing = false;
  function playSound(name) {
    var a = name ? players[name] : null;
    if (!a || volume <= 0) return;
    try { a.currentTime = 0; var p = a.play(); if (p && p.catch) p.catch(function () {}); } catch (e) { /* no audio output */ }
  }
  function nextAlert() {
    var item = queue.shift();
    state.queued = queue.length;
    if (!item) { playing = false; return; }
    playing = true;
    var a = item.data;
    var box = el('div', 'kc-alert kc-kind-' + String(a.kind || 'alert'));
    box.appendChild(el('div', 'kc-alert-text', a.text));
    if (a.message) box.appendChild(el('div', 'kc-alert-message', a.message));
    root.appendChild(box);
    var record = { id: item.id, kind: a.kind, text: a.text, sound: a.sound || null, test: !!a.test, start: Date.now(), end: 0 };
    state.shown.push(record);
    playSound(a.sound);
    requestAnimationFrame(function () { box.classList.add('kc-in'); });
    var duration = Math.max(1000, Math.min(60000, Number(a.durationMs) || 5000));
    setTimeout(function () {
      box.classList.remove('kc-in');
      box.classList.add('kc-out');
      setTimeout(function () {
        box.remove();
        record.end = Date.now();
        nextAlert();
      }, 350);
    }, duration);
  }
  function onAlert(id, data) {
    queue.push({ id: id, data: data });
    state.queued = queue.length;
    if (!playing) nextAlert();
  }

  // ───── events: the last N alerts ─────
  var LABELS = { follow: 'followed', sub: 'subscribed', resub: 'resubscribed', gift: 'gifted subs', kicks: 'sent Kicks', redemption: 'redeemed' };
  function eventLine(a) {
    switch (a.kind) {
      case 'resub': return a.amount ? 'resubscribed · ' + fmt(a.amount) + ' months' : 'resubscribed';
      case 'gift': return 'gifted ' + fmt(a.amount || 1) + (a.amount === 1 ? ' sub' : ' subs');
      case 'kicks': return 'sent ' + fmt(a.amount || 0) + ' Kicks';
      case 'redemption': return a.message ? 'redeemed · ' + a.message : 'redeemed';
      default: return LABELS[a.kind] || a.kind;
    }
  }
  var list = null;
  function onEvent(a) {
    if (a.test) return;
    if (!list) { list = el('ol', 'kc-events'); root.appendChild(list); }
    var li = el('li', 'kc-event kc-kind-' + String(a.kind || 'alert'));
    li.appendChild(el('span', 'kc-event-user', a.user));
    li.appendChild(el('span', 'kc-event-what', eventLine(a)));
    list.insertBefore(li, list.firstChild);
    while (list.children.length > limit) list.removeChild(list.lastChild);
  }

  // ───── chat: the last N lines ─────
  var chat = null;
  function onChat(c) {
    if (!chat) { chat = el('div', 'kc-chat'); root.appendChild(chat); }
    var line = el('div', 'kc-line');
    var user = el('span', 'kc-user', c.user);
    if (typeof c.color === 'string' && /^#[0-9a-fA-F]{3,8}$/.test(c.color)) user.style.color = c.color;
    line.appendChild(user);
    line.appendChild(el('span', 'kc-text', c.text));
    chat.appendChild(line);
    while (chat.children.length > limit) chat.removeChild(chat.firstChild);
    if (fadeAfter > 0) setTimeout(function () { line.classList.add('kc-faded'); }, fadeAfter);
  }

  // ───── snapshots ─────
  var hideTimer = null;
  function replace(node) {
    while (root.firstChild) root.removeChild(root.firstChild);
    if (node) root.appendChild(node);
  }
  function onLeaderboard(s) {
    var box = el('section', 'kc-board');
    box.appendChild(el('h1', 'kc-title', body.getAttribute('data-title') || 'Leaderboard'));
    var table = el('table', 'kc-board-table');
    var rows = (s.rows || []).slice(0, limit);
    rows.forEach(function (r) {
      var tr = el('tr');
      tr.appendChild(el('td', 'kc-rank', r.rank));
      tr.appendChild(el('td', 'kc-name', r.name));
      tr.appendChild(el('td', 'kc-points', fmt(r.points)));
      table.appendChild(tr);
    });
    box.appendChild(rows.length ? table : el('p', 'kc-empty', 'No points yet'));
    replace(box);
  }
  var GAME_STATES = { open: 'Open', closed: 'Entries closed', drawn: 'Winner drawn', cancelled: 'Cancelled' };
  function onGame(g) {
    clearTimeout(hideTimer);
    var box = el('section', 'kc-game kc-state-' + String(g.state));
    box.appendChild(el('h1', 'kc-title', g.game === 'gtb' ? 'Guess the balance' : 'Raffle'));
    if (g.state === 'open' && g.keyword) {
      var how = el('p', 'kc-how', 'Type ');
      how.appendChild(el('strong', 'kc-keyword', g.game === 'gtb' ? g.keyword + ' <amount>' : g.keyword));
      how.appendChild(document.createTextNode(g.game === 'gtb' ? ' to guess' : ' to enter'));
      box.appendChild(how);
    }
    box.appendChild(el('p', 'kc-state', GAME_STATES[g.state] || g.state));
    box.appendChild(el('p', 'kc-entries', fmt(g.entries) + (g.game === 'gtb' ? (g.entries === 1 ? ' guess' : ' guesses') : (g.entries === 1 ? ' entry' : ' entries'))));
    if (g.winners && g.winners.length) box.appendChild(el('p', 'kc-winners', (g.winners.length > 1 ? 'Winners: ' : 'Winner: ') + g.winners.join(', ')));
    replace(box);
    if (hideAfter > 0 && (g.state === 'drawn' || g.state === 'cancelled')) hideTimer = setTimeout(function () { replace(null); }, hideAfter);
  }
  function onGoal(g) {
    var box = el('section', 'kc-goal');
    var head = el('div', 'kc-goal-head');
    head.appendChild(el('span', 'kc-goal-label', g.label));
    head.appendChild(el('span', 'kc-goal-count', fmt(g.current) + ' / ' + fmt(g.target)));
    box.appendChild(head);
    var bar = el('div', 'kc-goal-bar');
    var fill = el('div', 'kc-goal-fill');
    var pct = g.target > 0 ? Math.max(0, Math.min(100, (100 * g.current) / g.target)) : 0;
    fill.style.width = pct.toFixed(2) + '%';
    bar.appendChild(fill);
    box.appendChild(bar);
    replace(box);
  }

  // ───── the stream ─────
  var es = null, retry = 0, retryTimer = null;
  function parse(e) { try { return JSON.parse(e.data); } catch (x) { return null; } }
  function connect() {
    clearTimeout(retryTimer);
    var url = streamUrl;
    if (state.lastEventId) url += (url.indexOf('?') === -1 ? '?' : '&') + 'lastEventId=' + encodeURIComponent(state.lastEventId);
    es = new EventSource(url);
    es.addEventListener('hello', function (e) {
      state.connected = true;
      state.connects++;
      retry = 0;
      if (e.lastEventId && !state.lastEventId) state.lastEventId = e.lastEventId;
    });
    es.addEventListener('alert', function (e) {
      var data = parse(e);
      if (!data || !fresh(e.lastEventId)) return;
      state.received++;
      if (widget === 'alerts') onAlert(e.lastEventId, data);
      else if (widget === 'events') onEvent(data);
    });
    es.addEventListener('chat', function (e) {
      var data = parse(e);
      if (!data || !fresh(e.lastEventId)) return;
      state.received++;
      if (widget === 'chat') onChat(data);
    });
    // Snapshots are whole states: the latest one wins, whether or not it carried an id.
    es.addEventListener('leaderboard', function (e) { var d = parse(e); if (d && widget === 'leaderboard') onLeaderboard(d); });
    es.addEventListener('game', function (e) { var d = parse(e); if (d && widget === 'game') onGame(d); });
    es.addEventListener('goal', function (e) { var d = parse(e); if (d && widget === 'goal') onGoal(d); });
    es.addEventListener('error', function () {
      state.connected = false;
      if (es && es.readyState === 2) {
        es.close();
        retry = Math.min(retry + 1, 5);
        retryTimer = setTimeout(connect, Math.min(10000, 500 * Math.pow(2, retry)) + Math.random() * 1000);
      }
    });
  }
  connect();
})();
`.trim();
