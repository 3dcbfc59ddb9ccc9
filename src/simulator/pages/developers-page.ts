import { ID_TOKEN_FORGERIES } from '../mitid/controls.js';
import { MITID_TEST_USERS } from '../mitid/test-users.js';
import { chooseLanguage, type Language } from '../../shared/index.js';
import type { SimRequest, SimResponse } from '../http/types.js';
import { cardKeys, codeFor } from '../users/code-card.js';
import { FAULT_NAMES, TEST_USERS, type TestUser } from '../users/test-users.js';
import { escapeHtml, htmlResponse, newNonce } from './html.js';

// GET /developers/ — the simulator's counterpart of NemID's developer pages: the test users with their passwords
// and code cards, the error and fault users, and the control switches. Everything here is test data. Danish and
// English (the shared negotiation: ?lang=, else Accept-Language); readable at 360 px (tables become lists).

/** The page language: the `lang` link, else the browser's Accept-Language (src/shared/language.ts). */
export function pageLanguage(req: SimRequest): Language {
  return chooseLanguage([req.query['lang']], req.headers['accept-language']);
}

const TEXTS = {
  da: {
    title: 'Testbrugere',
    banner: 'SIMULATOR – kun testbrugere, ikke rigtig NemID',
    heading: 'NemID SIMULATOR – testbrugere',
    intro: 'Log på med bruger-id og adgangskode og derefter koden til den viste nøgle fra brugerens nøglekort (linket). Koden til nøgle <code>k</code> på kort <code>c</code> er de første 6 decimale cifre af HMAC-SHA256(c, k) læst som ét big-endian heltal. Tre forkerte adgangskoder giver <code>LOCK001</code>, tre forkerte nøglekoder <code>LOCK003</code>; <code>DELETE /control</code> nulstiller.',
    columns: ['Bruger-id', 'Adgangskode', 'Nøglekort', 'Certifikat', 'CPR (erstatning)', 'Nøglefil', 'Virksomheder'],
    yes: 'ja',
    no: 'nej',
    noCpr: '— (PID-CPR: 2)',
    youth: 'ung',
    revoked: 'spærret',
    expired: 'udløbet',
    errorUsers: 'Fejl- og fejlsvar-brugere',
    errorUsersText: '<code>error-&lt;KODE&gt;</code> (enhver adgangskode) svarer med klientens fejlkode, fx <code>error-CAN002</code>, <code>error-LOCK001</code>.',
    faultUsersText: '<code>fault-&lt;navn&gt;</code> logger på som <code>fault</code> (adgangskode og kort fra <code>fault</code>) med en fejl i svaret:',
    switches: 'Kontakter',
    switchesText: '<code>POST /control</code> (JSON eller formular): <code>crl</code> = ok | stale | unavailable; <code>ocsp</code> = ok | unknown | revoked | bad-signature | unavailable; <code>pidCpr</code> = ok | timeout | unavailable | &lt;statuskode&gt;; <code>roles</code> = ok | timeout | unavailable. <code>DELETE /control</code> nulstiller kontakter, spærringer og tællere.',
    card: (card: string, user: string) => `Nøglekort ${card} (${user})`,
    back: 'Tilbage til testbrugerne',
    key: 'Nøgle',
    code: 'Kode',
    other: 'English',
  },
  en: {
    title: 'Test users',
    banner: 'SIMULATOR – test users only, not the real NemID',
    heading: 'NemID SIMULATOR – test users',
    intro: 'Log in with a user ID and password, then the code for the key shown, from the user\u2019s code card (linked). The code for key <code>k</code> on card <code>c</code> is the first 6 decimal digits of HMAC-SHA256(c, k) read as one big-endian integer. Three wrong passwords answer <code>LOCK001</code>, three wrong codes <code>LOCK003</code>; <code>DELETE /control</code> resets.',
    columns: ['User ID', 'Password', 'Code card', 'Certificate', 'CPR (substitute)', 'Key file', 'Businesses'],
    yes: 'yes',
    no: 'no',
    noCpr: '— (PID-CPR: 2)',
    youth: 'youth',
    revoked: 'revoked',
    expired: 'expired',
    errorUsers: 'Error and fault users',
    errorUsersText: '<code>error-&lt;CODE&gt;</code> (any password) answers the client error code, e.g. <code>error-CAN002</code>, <code>error-LOCK001</code>.',
    faultUsersText: '<code>fault-&lt;name&gt;</code> logs in as <code>fault</code> (password and card of <code>fault</code>) with a response fault:',
    switches: 'Switches',
    switchesText: '<code>POST /control</code> (JSON or form): <code>crl</code> = ok | stale | unavailable; <code>ocsp</code> = ok | unknown | revoked | bad-signature | unavailable; <code>pidCpr</code> = ok | timeout | unavailable | &lt;status code&gt;; <code>roles</code> = ok | timeout | unavailable. <code>DELETE /control</code> resets switches, lock-outs and brute-force counters.',
    card: (card: string, user: string) => `Code card ${card} (${user})`,
    back: 'Back to the test users',
    key: 'Key',
    code: 'Code',
    other: 'Dansk',
  },
} as const;

const STYLE = `
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1a1a1a}
header{background:#2d2d2d;color:#fff}
header nav{max-width:1000px;margin:0 auto;padding:.4rem 1rem;text-align:right}
header a{color:#fff}
main{max-width:1000px;margin:0 auto;padding:1rem}
.banner{margin:0;background:#b00020;color:#fff;font-weight:700;text-align:center;padding:6px}
table{border-collapse:collapse;width:100%;margin:1rem 0}
th,td{border:1px solid #999;padding:.3rem .5rem;text-align:left;vertical-align:top}
code{background:#f2f2f2;padding:0 .2rem;overflow-wrap:anywhere}
:focus-visible{outline:3px solid #1a1a1a;outline-offset:2px;box-shadow:0 0 0 2px #fff}
header :focus-visible{outline-color:#fff;box-shadow:0 0 0 2px #2d2d2d}
.codes{display:grid;grid-template-columns:repeat(auto-fill,minmax(8.5rem,1fr));gap:.25rem .75rem;padding:0;margin:1rem 0;font-family:ui-monospace,monospace}
.codes div{display:flex;justify-content:space-between;border-bottom:1px solid #ddd;padding:.15rem 0}
.codes dt{font-weight:700}
.codes dd{margin:0}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:760px){
  table.users,table.users tbody,table.users tr,table.users td{display:block;width:100%}
  table.users thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
  table.users tr{border:1px solid #999;margin:0 0 .75rem;padding:.25rem .5rem}
  table.users td{border:0;padding:.15rem 0}
  table.users td::before{content:attr(data-label) ": ";font-weight:700}
}
`;

function page(language: Language, title: string, body: string, path: string): SimResponse {
  const nonce = newNonce();
  const t = TEXTS[language];
  const other = language === 'da' ? 'en' : 'da';
  return htmlResponse(
    `<!DOCTYPE html>
<html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} – NemID SIMULATOR</title><style nonce="${nonce}">${STYLE}</style><link rel="icon" href="/favicon.svg" type="image/svg+xml"></head>
<body><header><p class="banner">${t.banner}</p><nav aria-label="${t.other}"><a href="${path}?lang=${other}" lang="${other}" hreflang="${other}">${t.other}</a></nav></header><main>${body}</main></body></html>`,
    nonce,
    false,
  );
}

function identity(user: TestUser, language: Language): string {
  const t = TEXTS[language];
  const c = user.certificate;
  if (c.kind === 'MOCES') return `MOCES, <code>CVR:${c.cvr}-RID:${c.rid}</code>, ${escapeHtml(c.company ?? '')}`;
  const notes = [c.youth ? t.youth : '', c.revoked ? t.revoked : '', c.expired ? t.expired : ''].filter(Boolean).join(', ');
  return `POCES, <code>PID:${c.pid}</code>${notes ? ` (${notes})` : ''}`;
}

function mitidSection(language: Language): string {
  const rows = MITID_TEST_USERS.map(
    (user) => `<tr><td><code>${escapeHtml(user.userId)}</code></td><td>${escapeHtml(user.description[language])}</td><td>${escapeHtml(user.name || '—')}</td>
<td>${user.maxLevel}</td><td>${user.cpr ? `<code>${user.cpr}</code>` : '—'}</td><td>${user.professional ? `CVR ${user.professional.cvr}, ${escapeHtml(user.professional.organizationName)}` : '—'}</td></tr>`,
  ).join('\n');
  const da = language === 'da';
  return `<h2>${da ? 'MitID-broker (SIMULATOR) – testbrugere' : 'MitID broker SIMULATOR – test users'}</h2>
<p>${da ? 'Vælg MitID på login-siden, skriv bruger-ID (ingen adgangskode), tryk "Godkend i appen" og tillad deling.' : 'Choose MitID on the login page, type the user ID (no password), press "Approve in the app" and allow the sharing.'}</p>
<table class="users"><thead><tr>${(da ? ['bruger-ID', 'viser', 'navn', 'højeste niveau', 'CPR', 'MitID Erhverv'] : ['user ID', 'shows', 'name', 'highest level', 'CPR', 'MitID Erhverv']).map((c) => `<th scope="col">${c}</th>`).join('')}</tr></thead>
<tbody>${rows}</tbody></table>
<p><code>POST /mitid-simulator/control</code> (JSON): <code>idToken</code> = ${ID_TOKEN_FORGERIES.map((f) => `<code>${f}</code>`).join(' | ')};
<code>tokenEndpoint</code> = normal | error-500 | timeout | expire-code; <code>callback</code> = normal | omit-iss | wrong-iss;
<code>forceError</code> = none | server_error | temporarily_unavailable; <code>rotateKey</code> = true. <code>DELETE /mitid-simulator/control</code> ${da ? 'nulstiller' : 'resets'}.</p>`;
}

export function developersPage(language: Language = 'en', options: { mitid?: boolean } = {}): SimResponse {
  const t = TEXTS[language];
  const [cUser, cPassword, cCard, cCert, cCpr, cKeyFile, cBusinesses] = t.columns;
  const rows = TEST_USERS.map(
    (user) => `<tr><td data-label="${cUser}"><code>${escapeHtml(user.userId)}</code></td><td data-label="${cPassword}"><code>${escapeHtml(user.password)}</code></td>
<td data-label="${cCard}"><a href="/developers/card/${encodeURIComponent(user.userId)}?lang=${language}">${user.cardNumber}</a></td>
<td data-label="${cCert}">${escapeHtml(user.certificate.commonName)}<br>${identity(user, language)}</td><td data-label="${cCpr}">${user.cpr ? `<code>${user.cpr}</code>` : t.noCpr}</td>
<td data-label="${cKeyFile}">${user.hasKeyFile ? t.yes : t.no}</td><td data-label="${cBusinesses}">${user.businesses.map((b) => `${escapeHtml(b.name)} (CVR ${b.cvr})`).join('<br>') || '—'}</td></tr>`,
  ).join('\n');
  return page(
    language,
    t.title,
    `<h1>${t.heading}</h1>
<p>${t.intro}</p>
<table class="users"><thead><tr>${t.columns.map((c) => `<th scope="col">${c}</th>`).join('')}</tr></thead>
<tbody>${rows}</tbody></table>
<h2>${t.errorUsers}</h2>
<p>${t.errorUsersText}</p>
<p>${t.faultUsersText}
${FAULT_NAMES.map((name) => `<code>${name}</code>`).join(', ')}.</p>
<h2>${t.switches}</h2>
<p>${t.switchesText}</p>${options.mitid ? mitidSection(language) : ''}`,
    '/developers/',
  );
}

export function codeCardPage(userId: string, language: Language = 'en'): SimResponse | null {
  const user = TEST_USERS.find((candidate) => candidate.userId === userId);
  if (!user) return null;
  const t = TEXTS[language];
  const keys = cardKeys(user.cardNumber).sort();
  const items = keys.map((key) => `<div><dt><span class="visually-hidden">${t.key} </span>${key}</dt><dd>${codeFor(user.cardNumber, key)}</dd></div>`);
  return page(
    language,
    t.card(user.cardNumber, user.userId),
    `<h1>${escapeHtml(t.card(user.cardNumber, user.userId))}</h1><p><a href="/developers/?lang=${language}">${t.back}</a></p>
<p>${t.key} → ${t.code}</p>
<dl class="codes">${items.join('\n')}</dl>`,
    `/developers/card/${encodeURIComponent(user.userId)}`,
  );
}
