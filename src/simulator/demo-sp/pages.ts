import { chooseLanguage, type Language } from '../../shared/index.js';
import { escapeHtml, newNonce } from '../pages/html.js';
import type { SimResponse } from '../http/types.js';
import type { DemoLogin, DemoNotice } from './types.js';

// The demo SP's pages: Danish and English, mobile-friendly, marked SIMULATOR, each with its own CSP and nonce (no
// inline handlers). Every value from a message is HTML-escaped.

export type { Language };

const TEXTS = {
  da: {
    title: 'Demotjeneste',
    banner: 'SIMULATOR – demotjeneste med testbrugere, ikke rigtig NemID',
    intro: 'En SAML-tjeneste, der logger på via denne IdP med sine registrerede metadata.',
    login: 'Log på med NemID eller MitID',
    options: 'Indstillinger',
    force: 'Gennemtving nyt login (ForceAuthn)',
    passive: 'Kun uden brugerinteraktion (IsPassive)',
    post: 'Send forespørgslen med HTTP-POST',
    users: 'Testbrugere i simulatoren',
    loggedIn: 'Du er logget på',
    nameId: 'NameID',
    session: 'Session',
    attributes: 'Modtagne attributter',
    logout: 'Log af',
    failed: 'Du blev ikke logget på',
    loggedOut: 'Du er logget af',
    loggedOutByIdp: 'Dit login er afsluttet af IdP’en',
    refused: 'Svaret kunne ikke godkendes',
    refusedAdvice: 'Demotjenesten kunne ikke godkende beskeden fra IdP’en. Start login igen.',
    back: 'Tilbage til demotjenesten',
    continue: 'Fortsæt',
    other: 'English',
    value: 'Værdi',
    showValue: 'Vis værdien',
    details: 'Detaljer',
  },
  en: {
    title: 'Demo service',
    banner: 'SIMULATOR – demo service with test users, no real NemID',
    intro: 'A SAML service provider that logs in through this IdP using its registered metadata.',
    login: 'Log in with NemID or MitID',
    options: 'Options',
    force: 'Force a new login (ForceAuthn)',
    passive: 'Only without user interaction (IsPassive)',
    post: 'Send the request with HTTP-POST',
    users: 'Test users in the simulator',
    loggedIn: 'You are logged in',
    nameId: 'NameID',
    session: 'Session',
    attributes: 'Attributes received',
    logout: 'Log out',
    failed: 'You were not logged in',
    loggedOut: 'You are logged out',
    loggedOutByIdp: 'The IdP has ended your login',
    refused: 'The answer was refused',
    refusedAdvice: 'The demo service could not accept the message from the IdP. Start the login again.',
    back: 'Back to the demo service',
    continue: 'Continue',
    other: 'Dansk',
    value: 'Value',
    showValue: 'Show the value',
    details: 'Details',
  },
} as const;

const STYLE = `
*{box-sizing:border-box}
body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1a1a1a;background:#fafafa}
main{max-width:900px;margin:0 auto;padding:1rem}
header{background:#2d2d2d;color:#fff}
header nav{max-width:900px;margin:0 auto;padding:.4rem 1rem;text-align:right}
header a{color:#fff}
.banner{margin:0;background:#b00020;color:#fff;font-weight:700;text-align:center;padding:6px}
.button{display:inline-block;background:#0b4fd6;color:#fff;border:0;border-radius:4px;padding:.7rem 1.2rem;font-size:1rem;text-decoration:none;cursor:pointer}
:focus-visible{outline:3px solid #1a1a1a;outline-offset:2px;box-shadow:0 0 0 2px #fff}
header :focus-visible{outline-color:#fff;box-shadow:0 0 0 2px #2d2d2d}
dl.attributes{margin:1rem 0;background:#fff;border:1px solid #bbb;padding:.5rem 1rem}
dl.attributes dt{font-weight:700;margin-top:.6rem}
dl.attributes dd{margin:0 0 .4rem}
dl.attributes .name{display:block;font-weight:400;font-size:.85rem;color:#4a4a4a;overflow-wrap:anywhere}
details summary{cursor:pointer;color:#0b4fd6}
.notice{border-left:4px solid #0b5fff;background:#fff;padding:.5rem 1rem;margin:1rem 0}
.error{border-left-color:#b00020}
table{border-collapse:collapse;width:100%;margin:1rem 0;background:#fff}
th,td{border:1px solid #bbb;padding:.3rem .5rem;text-align:left;vertical-align:top}
td,code{word-break:break-all;overflow-wrap:anywhere}
fieldset{margin:1rem 0;border:1px solid #bbb}
label{display:block;margin:.2rem 0}
`;

/** The shared negotiation (src/shared/language.ts): the language link, the session's choice, the browser's Accept-Language. */
export function languageOf(query: Record<string, string>, acceptLanguage: string | undefined, kept?: Language): Language {
  return chooseLanguage([query['lang'], kept], acceptLanguage);
}

function html(language: Language, title: string, body: string | ((nonce: string) => string), formAction: readonly string[], status = 200, extraHeaders: Record<string, string> = {}, nav?: string): SimResponse {
  const nonce = newNonce();
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    "img-src 'self'",
    "base-uri 'none'",
    `form-action ${formAction.join(' ')}`,
    "frame-ancestors 'none'",
  ].join('; ');
  const page = `<!DOCTYPE html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} – SIMULATOR</title><style nonce="${nonce}">${STYLE}</style><link rel="icon" href="/favicon.svg" type="image/svg+xml"></head>
<body><header><p class="banner">${escapeHtml(TEXTS[language].banner)}</p>${nav ?? ''}</header><main>${typeof body === 'string' ? body : body(nonce)}</main></body></html>`;
  return {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': csp,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      ...extraHeaders,
    },
    body: page,
  };
}

function noticeHtml(notice: DemoNotice, language: Language): string {
  const t = TEXTS[language];
  const codes = (values: readonly string[]) => values.map((value) => `<code>${escapeHtml(value)}</code>`).join(' / ');
  if (notice.kind === 'status') {
    return `<div class="notice error" role="alert"><h2>${t.failed}</h2><p>StatusCode: ${codes(notice.statusCodes)}</p>${
      notice.statusMessage !== undefined ? `<p>StatusMessage: <code>${escapeHtml(notice.statusMessage)}</code></p>` : ''
    }</div>`;
  }
  if (notice.kind === 'logged-out') return `<div class="notice" role="status"><h2>${t.loggedOut}</h2><p>StatusCode: ${codes(notice.statusCodes)}</p></div>`;
  return `<div class="notice" role="status"><h2>${t.loggedOutByIdp}</h2></div>`;
}

function loginHtml(login: DemoLogin, language: Language): string {
  const t = TEXTS[language];
  const row = (label: string, value: string | undefined) =>
    value === undefined ? '' : `<dt>${escapeHtml(label)}</dt><dd><code>${escapeHtml(value)}</code></dd>`;
  // A list, not a table: names and values wrap on a phone; long values (the certificate) are folded.
  const value = (v: string) =>
    v.length > 120
      ? `<details><summary>${t.showValue} (${v.length})</summary><code>${escapeHtml(v)}</code></details>`
      : `<code>${escapeHtml(v)}</code>`;
  const attributes = login.attributes
    .map(
      (attribute) => `<dt>${attribute.friendlyName ? escapeHtml(attribute.friendlyName) : `<code>${escapeHtml(attribute.name)}</code>`}${
        attribute.friendlyName ? `<span class="name"><code>${escapeHtml(attribute.name)}</code></span>` : ''
      }</dt>${attribute.values.map((v) => `<dd>${value(v)}</dd>`).join('')}`,
    )
    .join('\n');
  return `<h2>${t.loggedIn}</h2>
<h3>${t.nameId} / ${t.session}</h3><dl class="attributes">
${row('NameID', login.nameId.value)}${row('Format', login.nameId.format)}${row('NameQualifier', login.nameId.nameQualifier)}
${row('SPNameQualifier', login.nameId.spNameQualifier)}${row('SessionIndex', login.sessionIndex)}${row('AuthnInstant', login.authnInstant)}
${row('AuthnContextClassRef', login.authnContextClassRef)}${row('InResponseTo', login.inResponseTo ?? '— (IdP-initiated)')}</dl>
<h3>${t.attributes}</h3><dl id="attributes" class="attributes">${attributes}</dl>
<p><a class="button" id="logout" href="/demo/logout">${t.logout}</a></p>`;
}

export interface DemoPageInput {
  language: Language;
  login?: DemoLogin;
  notice?: DemoNotice;
  simulatorUrl?: string;
  formAction: readonly string[];
}

export function demoPage(input: DemoPageInput, extraHeaders: Record<string, string> = {}): SimResponse {
  const t = TEXTS[input.language];
  const other = input.language === 'da' ? 'en' : 'da';
  const users = input.simulatorUrl ? `<p><a href="${escapeHtml(input.simulatorUrl)}">${t.users}</a></p>` : '';
  const loginForm = `<form method="get" action="/demo/login">
<input type="hidden" name="lang" value="${input.language}">
<button class="button" type="submit" id="login">${t.login}</button>
<fieldset><legend>${t.options}</legend>
<label><input type="checkbox" name="force" value="1"> ${t.force}</label>
<label><input type="checkbox" name="passive" value="1"> ${t.passive}</label>
<label><input type="checkbox" name="binding" value="post"> ${t.post}</label>
</fieldset></form>`;
  const nav = `<nav aria-label="${t.other}"><a href="/demo?lang=${other}" lang="${other}" hreflang="${other}">${t.other}</a></nav>`;
  const body = `<h1>${t.title}</h1><p>${t.intro}</p>
${input.notice ? noticeHtml(input.notice, input.language) : ''}
${input.login ? loginHtml(input.login, input.language) : loginForm}
${users}`;
  return html(input.language, t.title, body, input.formAction, 200, extraHeaders, nav);
}

/** A message the demo SP refused: the catalogue code, never details. */
export function refusalPage(language: Language, code: string, extraHeaders: Record<string, string> = {}): SimResponse {
  const t = TEXTS[language];
  const body = `<h1>${t.refused}</h1><div class="notice error" role="alert"><p>${t.refusedAdvice}</p><p><code id="error-code">${escapeHtml(code)}</code></p></div>
<p><a class="button" href="/demo">${t.back}</a></p>`;
  return html(language, t.refused, body, ["'self'"], 400, extraHeaders);
}

/** The HTTP-POST binding: a form the page's own nonce'd script submits; a button without script. */
export function autoPostPage(language: Language, action: string, fields: Record<string, string>, formAction: readonly string[], extraHeaders: Record<string, string> = {}): SimResponse {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  const body = (nonce: string) => `<form method="post" action="${escapeHtml(action)}" id="saml-post">${inputs}
<noscript><button class="button" type="submit">${TEXTS[language].continue}</button></noscript></form>
<script nonce="${nonce}">document.getElementById('saml-post').submit();</script>`;
  return html(language, TEXTS[language].title, body, formAction, 200, extraHeaders);
}
