import { createHash } from 'node:crypto';

/**
 * The dashboard's whole stylesheet, served from `/dashboard/assets/dashboard.css` (no external fonts or files).
 * Colours keep at least 4.5:1 contrast on their backgrounds (WCAG AA); focus is always visible; one column below 40rem.
 */
export const DASHBOARD_CSS = `
*,*::before,*::after{box-sizing:border-box}
html{font-size:100%;-webkit-text-size-adjust:100%}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#0b0e11;color:#e8eaed;line-height:1.5}
a{color:#7cc4ff}a:hover{color:#a8d8ff}
:focus-visible{outline:3px solid #ffd166;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#ffd166;color:#000;padding:.5rem 1rem;z-index:10}.skip:focus{left:0}
header.top{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:space-between;padding:.75rem 1rem;background:#15191e;border-bottom:1px solid #2a2f36}
header.top .brand{font-weight:700;color:#53fc18;text-decoration:none;font-size:1.1rem}
header.top .who{display:flex;gap:.75rem;align-items:center;flex-wrap:wrap;color:#c4c8cc}
nav.guild ul{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem;margin:0;padding:0}
nav.guild a{display:inline-block;padding:.5rem .75rem;border-radius:6px;text-decoration:none;color:#e8eaed;background:#1d2228}
nav.guild a[aria-current="page"]{background:#2f6f1a;color:#fff}
main{max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.5rem 0 1rem}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
section.card{background:#15191e;border:1px solid #2a2f36;border-radius:10px;padding:1rem;margin:0 0 1rem}section.card>h2:first-child{margin-top:0}
.ok{color:#7dff5a}.warn{color:#ffc266}.bad{color:#ff8a8a}.muted{color:#a9afb5}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid #2a2f36;vertical-align:top}
th{color:#c4c8cc;font-weight:600}
.table-wrap{overflow-x:auto}
ul.guilds{list-style:none;padding:0;margin:0;display:grid;gap:.5rem}
ul.guilds a,ul.guilds span.locked{display:block;padding:.75rem 1rem;background:#15191e;border:1px solid #2a2f36;border-radius:8px;text-decoration:none}
button,.button{font:inherit;cursor:pointer;border:1px solid #4a525c;background:#1d2228;color:#e8eaed;border-radius:6px;padding:.45rem .9rem;min-height:44px;display:inline-block;text-decoration:none}
button.primary,.button.primary{background:#2f6f1a;border-color:#53fc18;color:#fff}
button.link{background:none;border:none;color:#7cc4ff;text-decoration:underline;padding:.25rem;min-height:auto}
fieldset{border:1px solid #2a2f36;border-radius:8px;padding:.75rem 1rem;margin:0 0 1rem}legend{padding:0 .25rem;font-weight:600}
label{display:inline-flex;gap:.5rem;align-items:center;padding:.35rem 0;min-height:44px}
input[type=checkbox]{width:1.2rem;height:1.2rem;accent-color:#53fc18}
textarea{font:inherit;width:100%;background:#0b0e11;color:#e8eaed;border:1px solid #4a525c;border-radius:6px;padding:.45rem;min-height:44px}
input[type=number],input[type=search],input[type=url]{font:inherit;background:#0b0e11;color:#e8eaed;border:1px solid #4a525c;border-radius:6px;padding:.45rem;min-height:44px;max-width:100%}
label+select,label+textarea,label+input{display:block}
.grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));gap:.25rem 1rem}
.grid2 select{width:100%}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;margin-top:.5rem}
.preview{background:#0b0e11;border:1px dashed #4a525c;border-radius:8px;padding:.5rem .75rem;margin:.25rem 0}
.preview-embed{border-left:4px solid #53fc18;background:#1d2228;padding:.5rem .75rem;margin-top:.5rem;border-radius:4px}
.mention{background:#2b3a66;color:#dfe6ff;border-radius:3px;padding:0 .2rem}
.small{font-size:.875rem}
select,input[type=text]{font:inherit;background:#0b0e11;color:#e8eaed;border:1px solid #4a525c;border-radius:6px;padding:.45rem;min-height:44px;max-width:100%}
form.inline{display:inline}
.notice{padding:.75rem 1rem;border-radius:8px;background:#1d2a17;border:1px solid #2f6f1a;margin:0 0 1rem}
.notice.bad{background:#2a1717;border-color:#7a2f2f;color:#ffd0d0}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em;word-break:break-all}
@media (max-width:40rem){main{padding:.75rem}th,td{padding:.35rem .3rem}h1{font-size:1.3rem}}
table.stack td{overflow-wrap:break-word}table.stack .actions{margin-top:0}
@media (max-width:40rem){table.stack thead{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}table.stack caption{display:block;text-align:left}table.stack,table.stack tbody,table.stack tr,table.stack th,table.stack td{display:block;width:100%}table.stack tr{border-bottom:1px solid #2a2f36;padding:.5rem 0}table.stack th,table.stack td{border:0;padding:.2rem 0}table.stack td[data-label]::before{content:attr(data-label) ": ";color:#a9afb5;font-weight:600}}
ol.queue li,ul.recent li,[data-refresh] p{overflow-wrap:anywhere}ol.queue li form.inline{margin-left:.25rem}
input[type=date]{font:inherit;background:#0b0e11;color:#e8eaed;border:1px solid #4a525c;border-radius:6px;padding:.45rem;min-height:44px;max-width:100%;color-scheme:dark}
`.trim();

/** The stylesheet's ETag (its content hash). */
export const DASHBOARD_CSS_ETAG = `"${createHash('sha256').update(DASHBOARD_CSS).digest('base64url').slice(0, 22)}"`;
