import { html, raw, type SafeHtml } from './html.js';

export type Language = 'da' | 'en';

export interface PageOptions {
  readonly lang: Language;
  readonly title: string;
  readonly nonce: string;
  readonly body: SafeHtml;
  /** Shown on every page in the simulator environment, so nobody mistakes it for a real login. */
  readonly simulatorBanner?: boolean;
}

// One stylesheet for every page: readable from 320 px up, visible focus, no external resources (CSP allows none).
const STYLES = `
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:1rem;line-height:1.5;color:#1a1a1a;background:#f4f5f7}
main{max-width:36rem;margin:0 auto;padding:1rem}
.card{background:#fff;border-radius:8px;padding:1.25rem;box-shadow:0 1px 3px rgba(0,0,0,.12);margin:1rem 0}
h1{font-size:1.4rem;margin:.2rem 0 1rem}
h2{font-size:1.1rem}
a{color:#0b5394}
button,.button{display:inline-block;font:inherit;padding:.7rem 1.2rem;border-radius:6px;border:2px solid #0b5394;background:#0b5394;color:#fff;cursor:pointer;text-decoration:none;min-height:44px}
button.secondary,.button.secondary{background:#fff;color:#0b5394}
:focus-visible{outline:3px solid #e8a317;outline-offset:2px}
label{display:block;font-weight:600;margin:.5rem 0 .25rem}
input[type=text],input[type=password]{font:inherit;width:100%;padding:.6rem;border:1px solid #888;border-radius:6px}
.banner{background:#8b0000;color:#fff;text-align:center;padding:.4rem;font-weight:700}
.muted{color:#555;font-size:.9rem}
.lang{float:right;font-size:.9rem}
.error{border-left:4px solid #b00020;padding-left:.75rem}
iframe{border:0;width:100%;max-width:320px;height:460px;display:block;margin:0 auto}
iframe.style-keyfile{max-width:500px;height:450px}
ul.choices{list-style:none;padding:0}
ul.choices li{margin:.5rem 0}
@media (max-width:400px){main{padding:.5rem}.card{padding:1rem}}
`;

export function page(options: PageOptions): string {
  const banner = options.simulatorBanner
    ? html`<div class="banner" role="note">${options.lang === 'da' ? 'SIMULATOR – ikke til rigtige logins' : 'SIMULATOR – not for real logins'}</div>`
    : '';
  return `<!DOCTYPE html>${html`<html lang="${options.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer"><title>${options.title}</title><style nonce="${options.nonce}">${raw(STYLES)}</style></head><body>${banner}<main>${options.body}</main></body></html>`}`;
}
