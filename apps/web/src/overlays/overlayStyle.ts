/**
 * The overlays' stylesheet: transparent page, no scrollbars, the bundled Inter font (its `@font-face` rules are
 * prepended by the asset builder with the font files' own URLs), readable over any video (text shadow, dark
 * translucent cards). `--kc-font-size` is set from `?fontSize=`.
 */
export const OVERLAY_CSS = `
:root{--kc-font-size:28px;--kc-accent:#53fc18;--kc-card:rgba(11,14,17,.78);--kc-text:#fff;--kc-muted:#c9ced6}
*{box-sizing:border-box}
html,body{margin:0;padding:0;width:100%;height:100%;overflow:hidden;background:transparent}
body{font-family:'Inter Variable',Inter,system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;font-size:var(--kc-font-size);line-height:1.25;color:var(--kc-text);text-shadow:0 2px 6px rgba(0,0,0,.85)}
#overlay{position:absolute;inset:0;padding:.5em;overflow:hidden;display:flex;flex-direction:column}
h1{font-size:1em;margin:0 0 .35em;font-weight:800;letter-spacing:.01em}
p{margin:.2em 0}
.kc-alert{margin:auto;max-width:100%;padding:.6em 1em;border-radius:.5em;background:var(--kc-card);border-left:.25em solid var(--kc-accent);text-align:center;font-weight:700;overflow-wrap:anywhere;opacity:0;transform:translateY(.6em) scale(.97);transition:opacity .3s ease,transform .3s ease}
.kc-alert.kc-in{opacity:1;transform:none}
.kc-alert.kc-out{opacity:0;transform:translateY(-.6em)}
.kc-alert-message{margin-top:.3em;font-weight:500;font-size:.8em;color:var(--kc-muted)}
.kc-events{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:.25em}
.kc-event{padding:.25em .5em;border-radius:.35em;background:var(--kc-card);border-left:.2em solid var(--kc-accent);font-size:.75em;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.kc-event-user{font-weight:800;margin-right:.4em}
.kc-event-what{color:var(--kc-muted)}
.kc-chat{margin-top:auto;display:flex;flex-direction:column;gap:.2em;font-size:.75em}
.kc-line{overflow-wrap:anywhere;transition:opacity .6s ease}
.kc-line.kc-faded{opacity:0}
.kc-user{font-weight:800;color:var(--kc-accent);margin-right:.4em}
.kc-user::after{content:':'}
.kc-board,.kc-game,.kc-goal{padding:.5em .75em;border-radius:.5em;background:var(--kc-card);max-width:100%}
.kc-board-table{border-collapse:collapse;width:100%;font-size:.8em;font-variant-numeric:tabular-nums}
.kc-board-table td{padding:.15em .3em}
.kc-rank{width:2em;color:var(--kc-accent);font-weight:800}
.kc-name{overflow:hidden;text-overflow:ellipsis;white-space:nowrap;max-width:0;width:100%}
.kc-points{text-align:right;white-space:nowrap}
.kc-empty,.kc-state,.kc-entries{color:var(--kc-muted);font-size:.8em}
.kc-keyword{color:var(--kc-accent)}
.kc-winners{font-weight:800;color:#ffd400}
.kc-goal-head{display:flex;justify-content:space-between;gap:.5em;font-weight:700}
.kc-goal-label{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.kc-goal-count{font-variant-numeric:tabular-nums;white-space:nowrap}
.kc-goal-bar{margin-top:.3em;height:.6em;border-radius:.3em;background:rgba(255,255,255,.18);overflow:hidden}
.kc-goal-fill{height:100%;width:0;background:var(--kc-accent);transition:width .6s ease}
/* Alert kinds colour the card's edge, in the alerts box and the event list alike. */
.kc-kind-sub,.kc-kind-resub{border-color:#ffd400}
.kc-kind-gift{border-color:#ff7ad9}
.kc-kind-kicks{border-color:#39d0ff}
.kc-kind-redemption{border-color:#b18cff}
@media (prefers-reduced-motion:reduce){.kc-alert,.kc-line,.kc-goal-fill{transition:none}}
`.trim();
