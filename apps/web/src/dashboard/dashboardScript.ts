import { createHash } from 'node:crypto';

/**
 * The dashboard's one script, served from `/dashboard/assets/dashboard.js` (no framework, no external requests).
 * Every page works without it; with it:
 * - a form with `data-preview="<url>"` posts its fields to that URL (debounced) as you type and puts the answer
 *   (an HTML fragment from this app) into the element with `data-preview-target` inside the form;
 * - a button with `data-confirm="<question>"` asks first;
 * - an element with an `id` and `data-refresh="<url>"` (every `data-refresh-every` seconds, default 5) is fetched again
 *   from that URL, which answers the element's new markup. It is replaced only when its `data-version` changed, and
 *   never while the person is using it (focus inside, or a field they changed); then the element named by
 *   `data-refresh-announce` (a polite live region) gets its `data-summary`. Paused while the tab is hidden.
 */
export const DASHBOARD_JS = `
(function () {
  'use strict';
  function preview(form) {
    var url = form.getAttribute('data-preview');
    var target = form.querySelector('[data-preview-target]');
    if (!url || !target) return;
    var timer = null, seq = 0;
    function run() {
      var mine = ++seq;
      var body = new URLSearchParams();
      new FormData(form).forEach(function (v, k) { if (typeof v === 'string' && k !== '_request') body.append(k, v); });
      fetch(url, { method: 'POST', body: body, credentials: 'same-origin', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
        .then(function (r) { return r.text(); })
        .then(function (text) { if (mine === seq) target.innerHTML = text; })
        .catch(function () { if (mine === seq) target.textContent = 'Preview unavailable.'; });
    }
    form.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(run, 250); });
    form.addEventListener('change', function () { clearTimeout(timer); timer = setTimeout(run, 50); });
  }
  function confirmations() {
    document.addEventListener('click', function (e) {
      var el = e.target instanceof Element ? e.target.closest('[data-confirm]') : null;
      if (el && !window.confirm(el.getAttribute('data-confirm') || 'Are you sure?')) e.preventDefault();
    });
  }
  function inUse(el) {
    var active = document.activeElement;
    if (active && active !== el && el.contains(active)) return true;
    return Array.prototype.some.call(el.querySelectorAll('input,textarea,select'), function (f) {
      if (f.type === 'hidden') return false;
      if (f.tagName === 'SELECT') return Array.prototype.some.call(f.options, function (o) { return o.selected !== o.defaultSelected; });
      if (f.type === 'checkbox' || f.type === 'radio') return f.checked !== f.defaultChecked;
      return f.value !== f.defaultValue;
    });
  }
  function refresh(el) {
    var id = el.id;
    var every = Math.max(2, Number(el.getAttribute('data-refresh-every')) || 5) * 1000;
    var busy = false;
    if (!id) return;
    setInterval(function () {
      var current = document.getElementById(id);
      var url = current && current.getAttribute('data-refresh');
      if (!url || busy || document.hidden) return;
      busy = true;
      fetch(url, { credentials: 'same-origin', headers: { accept: 'text/html' } })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (text) {
          if (text === null) return;
          var tpl = document.createElement('template');
          tpl.innerHTML = text;
          var next = tpl.content.firstElementChild;
          var now = document.getElementById(id);
          if (!next || !now || next.id !== id || next.getAttribute('data-version') === now.getAttribute('data-version') || inUse(now)) return;
          now.replaceWith(next);
          var say = document.getElementById(next.getAttribute('data-refresh-announce') || '');
          if (say) say.textContent = next.getAttribute('data-summary') || '';
        })
        .catch(function () {})
        .then(function () { busy = false; });
    }, every);
  }
  function start() {
    Array.prototype.forEach.call(document.querySelectorAll('form[data-preview]'), preview);
    confirmations();
    Array.prototype.forEach.call(document.querySelectorAll('[data-refresh][id]'), refresh);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start); else start();
})();
`.trim();

/** The script's ETag (its content hash). */
export const DASHBOARD_JS_ETAG = `"${createHash('sha256').update(DASHBOARD_JS).digest('base64url').slice(0, 22)}"`;
