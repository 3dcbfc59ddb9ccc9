import type { Language } from '../../shared/index.js';
import { html, raw, type SafeHtml } from './html.js';
import { TEXTS } from './texts.js';

export type { Language };

/** Footer links configured for the deployment (HELP_URL, CONTACT_URL, PRIVACY_URL); each optional. */
export interface PageLinks {
  readonly help?: string | null;
  readonly contact?: string | null;
  readonly privacy?: string | null;
}

export interface PageOptions {
  readonly lang: Language;
  readonly title: string;
  readonly nonce: string;
  readonly body: SafeHtml;
  /** Shown on every page in the simulator environment, so nobody mistakes it for a real login. */
  readonly simulatorBanner?: boolean;
  readonly links?: PageLinks;
}

// One stylesheet for every page: calm and plain (a dark header, white cards, one accent colour), readable from
// 320 px up, no external resources (the CSP allows none). Focus: a 3 px near-black ring with a white gap, ≥ 3:1
// against every background it can sit on (WCAG 2.2 SC 2.4.11/1.4.11).
const STYLES = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;font-size:1rem;line-height:1.5;color:#1b1f24;background:#eef1f4;min-height:100vh;display:flex;flex-direction:column}
.top{background:#1c2b39;color:#fff}
.top .bar{max-width:38rem;margin:0 auto;padding:.7rem 1rem;display:flex;align-items:center;gap:.6rem;font-weight:600;letter-spacing:.01em}
.top svg{flex:none}
.banner{margin:0;background:#8b0000;color:#fff;text-align:center;padding:.35rem 1rem;font-weight:700;font-size:.9rem}
main{flex:1;width:100%;max-width:38rem;margin:0 auto;padding:1rem}
.card{background:#fff;border:1px solid #d5dbe1;border-radius:6px;padding:1.25rem;margin:.5rem 0 1rem}
.card-head{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:.5rem;margin-bottom:.25rem}
.service{display:flex;align-items:center;gap:.6rem;margin:.25rem 0 1rem;color:#3d4752}
.service img{max-height:40px;max-width:120px}
h1{font-size:1.45rem;line-height:1.25;margin:.25rem 0 .75rem}
h2{font-size:1.1rem;margin:1.25rem 0 .5rem}
a{color:#0a4f8f;text-underline-offset:.15em}
a:hover{color:#06355f}
button,.button{display:inline-block;font:inherit;font-weight:600;padding:.65rem 1.2rem;border-radius:4px;border:2px solid #0a4f8f;background:#0a4f8f;color:#fff;cursor:pointer;text-decoration:none;min-height:44px;text-align:left;max-width:100%}
button:hover,.button:hover{background:#06355f;border-color:#06355f;color:#fff}
button.secondary,.button.secondary{background:#fff;color:#0a4f8f}
button.secondary:hover,.button.secondary:hover{background:#e8eff6;color:#06355f}
button.link{background:none;border:0;padding:0;min-height:0;color:#0a4f8f;text-decoration:underline;font-weight:400}
:focus-visible{outline:3px solid #1b1f24;outline-offset:2px;box-shadow:0 0 0 2px #fff}
.top :focus-visible{outline-color:#fff;box-shadow:0 0 0 2px #1c2b39}
label{display:block;font-weight:600;margin:.5rem 0 .25rem}
input[type=text],input[type=password]{font:inherit;width:100%;padding:.6rem;border:2px solid #5c6670;border-radius:4px}
.muted{color:#4a545e;font-size:.9rem}
.lang{font-size:.95rem}
.error{border-left:4px solid #b00020;padding-left:.75rem}
.notice{background:#f3f6f9;border-left:4px solid #0a4f8f;padding:.5rem .75rem;margin:1rem 0}
.actions{display:flex;flex-wrap:wrap;gap:.75rem;margin-top:1rem}
.actions form{margin:0}
iframe{border:0;width:100%;max-width:320px;height:460px;display:block;margin:0 auto;transition:height .1s}
iframe.style-keyfile{max-width:500px;height:450px}
ul.choices{list-style:none;padding:0;margin:0}
ul.choices li{margin:.5rem 0}
ul.choices button,ul.choices .button{width:100%}
.ref{font-size:.9rem;color:#4a545e;overflow-wrap:anywhere}
footer{border-top:1px solid #d5dbe1;background:#fff}
footer .bar{max-width:38rem;margin:0 auto;padding:.75rem 1rem;font-size:.9rem}
footer .links{display:flex;flex-wrap:wrap;gap:.5rem 1.25rem}
@media (max-width:400px){main{padding:.5rem}.card{padding:1rem}}
`;

// A plain mark (a shield with a check), drawn for this project: no real brand's logo.
const MARK = `<svg width="26" height="26" viewBox="0 0 26 26" aria-hidden="true" focusable="false"><path d="M13 2 3.5 5.5v7c0 5.6 4 10 9.5 11.5 5.5-1.5 9.5-5.9 9.5-11.5v-7z" fill="none" stroke="#fff" stroke-width="2"/><path d="m8.5 13 3 3 6-6" fill="none" stroke="#fff" stroke-width="2.2"/></svg>`;

function footer(lang: Language, links: PageLinks | undefined): SafeHtml {
  const t = TEXTS[lang].layout;
  const items = [
    links?.help ? html`<a href="${links.help}">${t.help}</a>` : '',
    links?.contact ? html`<a href="${links.contact}">${t.contact}</a>` : '',
    links?.privacy ? html`<a href="${links.privacy}">${t.privacy}</a>` : '',
  ].filter((item) => item !== '');
  return html`<footer><div class="bar">${items.length > 0 ? html`<nav aria-label="${t.footerNav}" class="links">${items}</nav>` : html`<span class="muted">${t.footerNote}</span>`}</div></footer>`;
}

// A login page restored from the back/forward cache shows a step that may be over: ask the server again, which
// answers with where the login is now (the step's page, or the service once it has completed).
const BACK_FORWARD_RELOAD = `window.addEventListener('pageshow',function(e){if(e.persisted)location.reload();});`;

export function page(options: PageOptions): string {
  const t = TEXTS[options.lang].layout;
  const banner = options.simulatorBanner ? html`<p class="banner">${t.simulatorBanner}</p>` : '';
  return `<!DOCTYPE html>${html`<html lang="${options.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer"><title>${options.title} – ${t.product}</title><link rel="icon" href="/favicon.svg" type="image/svg+xml"><style nonce="${options.nonce}">${raw(STYLES)}</style></head><body><header class="top">${banner}<div class="bar">${raw(MARK)}<span>${t.product}</span></div></header><main>${options.body}</main>${footer(options.lang, options.links)}<script nonce="${options.nonce}">${raw(BACK_FORWARD_RELOAD)}</script></body></html>`}`;
}

/** The favicon: the header's mark on the header's colour. */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 26 26"><rect width="26" height="26" rx="5" fill="#1c2b39"/><path d="M13 3 4.5 6.2v6.3c0 5 3.6 9 8.5 10.3 4.9-1.3 8.5-5.3 8.5-10.3V6.2z" fill="none" stroke="#fff" stroke-width="2"/><path d="m9 13 2.8 2.8L17.2 10" fill="none" stroke="#fff" stroke-width="2.2"/></svg>`;
