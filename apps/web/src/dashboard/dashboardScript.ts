import { createHash } from 'node:crypto';

/**
 * The dashboard's one script, served from `/dashboard/assets/dashboard.js` (no framework, no external requests).
 * Every page works without it; with it:
 * - a form with `data-preview="<url>"` posts its fields to that URL (debounced) as you type and puts the answer
 *   (an HTML fragment from this app) into the element with `data-preview-target` inside the form;
 * - a button with `data-confirm="<question>"` asks first.
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
  function start() {
    Array.prototype.forEach.call(document.querySelectorAll('form[data-preview]'), preview);
    confirmations();
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start); else start();
})();
`.trim();

/** The script's ETag (its content hash). */
export const DASHBOARD_JS_ETAG = `"${createHash('sha256').update(DASHBOARD_JS).digest('base64url').slice(0, 22)}"`;
