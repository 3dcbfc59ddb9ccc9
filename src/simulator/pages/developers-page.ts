import type { SimResponse } from '../http/types.js';
import { ID_TOKEN_FORGERIES } from '../mitid/controls.js';
import { MITID_TEST_USERS } from '../mitid/test-users.js';
import type { LockState, UserEvent } from '../store-port.js';
import { cardKeys, codeFor } from '../users/code-card.js';
import type { SimUser } from '../users/model.js';
import { FAULT_NAMES, TEST_USERS } from '../users/test-users.js';
import { DEVELOPER_TEXTS, type DeveloperLanguage, type DeveloperTexts } from './developer-texts.js';
import { escapeHtml, htmlResponse, newNonce } from './html.js';

// The simulator's counterpart of NemID's developer site: /developers/ lists the test users and creates new ones,
// /developers/users/<id> is a user's bookmarkable overview (identifiers, certificate, code card, revoke, lock-outs,
// transaction log), /developers/users/<id>/card its code card. Everything shown is test data; the forms carry the
// per-start secret, so another site cannot post them.

const STYLE = `
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1a1a1a;background:#fff}
header{background:#2d2d2d;color:#fff}
header nav{max-width:1000px;margin:0 auto;padding:.4rem 1rem;text-align:right}
header a{color:#fff}
main{max-width:1000px;margin:0 auto;padding:1rem}
.banner{margin:0;background:#b00020;color:#fff;font-weight:700;text-align:center;padding:6px}
table{border-collapse:collapse;width:100%;margin:1rem 0}
th,td{border:1px solid #767676;padding:.3rem .5rem;text-align:left;vertical-align:top}
code{background:#f2f2f2;padding:0 .2rem;overflow-wrap:anywhere}
.wide{overflow-x:auto}
form.create{display:grid;grid-template-columns:minmax(10rem,16rem) minmax(0,1fr);gap:.5rem 1rem;align-items:center;max-width:44rem}
form.create .full{grid-column:1/-1}
input[type=text],input[type=password],select{padding:.4rem;font-size:1rem;border:2px solid #555;border-radius:4px;width:100%}
button{padding:.5rem 1rem;font-size:1rem;border-radius:4px;border:2px solid #0b3d91;background:#0b3d91;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#0b3d91}
.actions{display:flex;gap:.5rem;flex-wrap:wrap;align-items:center;margin:.5rem 0}
.inline{display:inline}
.error{color:#b00020;font-weight:600}
a{color:#0b3d91}
header a{color:#fff}
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
  table.users tr{border:1px solid #767676;margin:0 0 .75rem;padding:.25rem .5rem}
  table.users td{border:0;padding:.15rem 0}
  table.users td::before{content:attr(data-label) ": ";font-weight:700}
  form.create{grid-template-columns:minmax(0,1fr)}
}
`;

export interface PageContext {
  lang: DeveloperLanguage;
  /** The per-start secret every form posts back. */
  secret: string;
}

const textsFor = (lang: DeveloperLanguage): DeveloperTexts => DEVELOPER_TEXTS[lang];
export const userPath = (userId: string) => `/developers/users/${encodeURIComponent(userId)}`;
const langQuery = (lang: DeveloperLanguage) => `?lang=${lang}`;

function page(ctx: PageContext, title: string, path: string, body: string, status = 200): SimResponse {
  const t = textsFor(ctx.lang);
  const nonce = newNonce();
  const other: DeveloperLanguage = ctx.lang === 'da' ? 'en' : 'da';
  const response = htmlResponse(
    `<!DOCTYPE html>
<html lang="${ctx.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} – NemID SIMULATOR</title><style nonce="${nonce}">${STYLE}</style><link rel="icon" href="/favicon.svg" type="image/svg+xml"></head>
<body><header><p class="banner">${escapeHtml(t.banner)}</p><nav aria-label="${escapeHtml(t.otherLanguage)}"><a href="${escapeHtml(path)}${langQuery(other)}" lang="${other}" hreflang="${other}">${escapeHtml(t.otherLanguage)}</a></nav></header><main>
${body}</main></body></html>`,
    nonce,
    false,
    { formsToSelf: true },
  );
  return { ...response, status };
}

const secretField = (ctx: PageContext) => `<input type="hidden" name="secret" value="${escapeHtml(ctx.secret)}"><input type="hidden" name="lang" value="${ctx.lang}">`;

function identity(user: SimUser, t: DeveloperTexts): string {
  const c = user.certificate;
  const notes = [c.youth ? t.youthNote : '', c.revoked || user.revokedAt ? t.revokedNote : '', c.expired ? t.expiredNote : ''].filter(Boolean).join(', ');
  const id = c.kind === 'MOCES' ? `MOCES, <code>CVR:${escapeHtml(c.cvr ?? '')}-RID:${escapeHtml(c.rid ?? '')}</code>, ${escapeHtml(c.company ?? '')}` : `POCES, <code>PID:${escapeHtml(c.pid ?? '')}</code>`;
  return `${id}${notes ? ` (${escapeHtml(notes)})` : ''}`;
}

const shippedPassword = (userId: string) => TEST_USERS.find((user) => user.userId === userId)?.password;

export interface DevelopersPageInput {
  users: ReadonlyArray<{ user: SimUser; cpr: string | undefined }>;
  /** Values to show in the form (autofill or the rejected input). */
  form: Record<string, string>;
  error?: { kind: 'invalid' | 'taken' | 'cannot-issue' | 'secret'; field?: string };
  origin: string;
  /** The MitID broker simulator is mounted: list its test users too. */
  mitid?: boolean;
}

// The MitID broker simulator's users (helper mitid's section; they are to move into the same registry later).
function mitidSection(language: DeveloperLanguage): string {
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

export function developersPage(ctx: PageContext, input: DevelopersPageInput): SimResponse {
  const t = textsFor(ctx.lang);
  const rows = input.users
    .map(({ user, cpr }) => {
      const password = shippedPassword(user.userId);
      return `<tr><td data-label="${t.userId}"><a href="${userPath(user.userId)}${langQuery(ctx.lang)}"><code>${escapeHtml(user.userId)}</code></a> (${user.origin === 'shipped' ? t.shipped : t.created})</td>
<td data-label="${t.password}">${password && user.origin === 'shipped' ? `<code>${escapeHtml(password)}</code>` : escapeHtml(t.passwordHidden)}</td>
<td data-label="${t.codeCard}"><a href="${userPath(user.userId)}/card${langQuery(ctx.lang)}">${escapeHtml(user.cardNumber)}</a></td>
<td data-label="${t.certificate}">${escapeHtml(user.certificate.commonName)}<br>${identity(user, t)}</td><td data-label="${t.cpr}">${cpr ? `<code>${escapeHtml(cpr)}</code>` : escapeHtml(t.noCpr)}</td>
<td data-label="${t.keyFile}">${user.hasKeyFile ? t.yes : t.no}</td><td data-label="${t.businesses}">${user.businesses.map((b) => `${escapeHtml(b.name)} (CVR ${escapeHtml(b.cvr)})`).join('<br>') || t.none}</td></tr>`;
    })
    .join('\n');
  const v = (name: string) => escapeHtml(input.form[name] ?? '');
  const checked = (name: string) => (input.form[name] === 'on' || input.form[name] === 'true' ? ' checked' : '');
  const selected = (value: string) => ((input.form['type'] ?? 'poces') === value ? ' selected' : '');
  const fieldLabel = (field: string | undefined) => (field && field in t ? (t as Record<string, string>)[field] : field ?? '');
  const error = input.error
    ? `<p class="error" role="alert" id="create-error">${escapeHtml(
        input.error.kind === 'invalid'
          ? `${t.errorInvalid} ${fieldLabel(input.error.field)}`
          : input.error.kind === 'taken'
            ? t.errorTaken
            : input.error.kind === 'secret'
              ? t.errorSecret
              : t.errorCannotIssue,
      )}</p>`
    : '';
  const field = (name: string, label: string, type = 'text', extra = '') =>
    `<label for="f-${name}">${escapeHtml(label)}</label><input type="${type}" id="f-${name}" name="${name}" value="${v(name)}"${extra}>`;
  const box = (name: string, label: string) =>
    `<label class="full"><input type="checkbox" id="f-${name}" name="${name}"${checked(name)}> ${escapeHtml(label)}</label>`;
  return page(
    ctx,
    t.title,
    '/developers/',
    `<h1>${escapeHtml(t.title)}</h1>
<p>${escapeHtml(t.intro)}</p>
<h2>${escapeHtml(t.users)}</h2>
<table class="users"><thead><tr><th scope="col">${t.userId}</th><th scope="col">${t.password}</th><th scope="col">${t.codeCard}</th><th scope="col">${t.certificate}</th><th scope="col">${t.cpr}</th><th scope="col">${t.keyFile}</th><th scope="col">${t.businesses}</th></tr></thead>
<tbody>${rows}</tbody></table>
<h2 id="create">${escapeHtml(t.createTitle)}</h2>
<form method="get" action="/developers/#create" class="actions"><input type="hidden" name="lang" value="${ctx.lang}"><button type="submit" name="autofill" value="1" class="secondary" id="autofill">${escapeHtml(t.autofill)}</button></form>
${error}
<form method="post" action="/developers/users" class="create" id="create-form">${secretField(ctx)}
${field('userId', t.userId, 'text', ' required autocomplete="off" autocapitalize="none" spellcheck="false"')}
${field('password', t.password, 'text', ' required autocomplete="off"')}
<label for="f-type">${escapeHtml(t.type)}</label><select id="f-type" name="type"><option value="poces"${selected('poces')}>${escapeHtml(t.typePoces)}</option><option value="moces"${selected('moces')}>${escapeHtml(t.typeMoces)}</option><option value="owner"${selected('owner')}>${escapeHtml(t.typeOwner)}</option></select>
${field('name', t.name)}
${box('pseudonym', t.pseudonym)}
${field('cpr', t.cpr, 'text', ' inputmode="numeric" autocomplete="off" aria-describedby="cpr-help"')}
<p class="full" id="cpr-help">${escapeHtml(t.cprHelp)}</p>
${box('youth', t.youth)}
${box('keyFile', t.keyFile)}
${field('cvr', t.cvr, 'text', ' inputmode="numeric"')}
${field('rid', t.rid, 'text', ' inputmode="numeric"')}
${field('company', t.company)}
${field('businessCvr', t.businessCvr, 'text', ' inputmode="numeric"')}
${field('businessName', t.businessName)}
<div class="full"><button type="submit" id="create-submit">${escapeHtml(t.create)}</button></div>
</form>
<h2>${escapeHtml(t.api)}</h2>
<p><code>POST ${escapeHtml(input.origin)}/developers/api/users</code> (application/json): <code>{"userId":"…","password":"…","type":"poces|moces|owner","name":"…","cpr":"…","youth":false,"pseudonym":false,"cvr":"…","rid":"…","company":"…","businesses":[{"cvr":"…","name":"…"}]}</code> → 201 with the user.
<code>GET …/developers/api/users/&lt;id&gt;</code>, <code>GET …/log</code>, <code>POST …/revoke</code>, <code>POST …/card</code>, <code>POST …/reset-lockouts</code>.</p>
<h2>${escapeHtml(t.special)}</h2>
<p>${escapeHtml(t.specialError)}</p>
<p>${escapeHtml(t.specialFault)} ${FAULT_NAMES.map((name) => `<code>${name}</code>`).join(', ')}.</p>
<h2>${escapeHtml(t.switches)}</h2>
<p>${escapeHtml(t.switchesText)} <code>crl</code> = ok | stale | unavailable; <code>ocsp</code> = ok | unknown | revoked | bad-signature | unavailable;
<code>pidCpr</code> = ok | timeout | unavailable | &lt;status&gt;; <code>roles</code> = ok | timeout | unavailable. <code>DELETE /control</code> resets.</p>
<p>${escapeHtml(t.secret)}: <code id="control-secret">${escapeHtml(ctx.secret)}</code></p>${input.mitid ? mitidSection(ctx.lang) : ''}`,
    input.error ? 400 : 200,
  );
}

export interface CertificateSummary {
  serialHex: string;
  validFrom: Date;
  validTo: Date;
}

export interface UserPageInput {
  user: SimUser;
  cpr: string | undefined;
  certificate: CertificateSummary | null;
  lock: LockState;
  retiredCards: string[];
  events: UserEvent[];
  now: Date;
}

const when = (instant: Date) => instant.toISOString().replace('T', ' ').replace(/\.[0-9]+Z$/, ' UTC');

/** Groups a user's events (newest first) into sessions, newest first. */
function sessionsOf(events: readonly UserEvent[]): Array<{ first: UserEvent; steps: UserEvent[]; result?: UserEvent }> {
  const bySession = new Map<string, UserEvent[]>();
  for (const event of [...events].reverse()) bySession.set(event.sessionId, [...(bySession.get(event.sessionId) ?? []), event]);
  return [...bySession.values()]
    .map((steps) => ({ first: steps[0]!, steps: steps.filter((s) => s.step !== 'result'), result: steps.find((s) => s.step === 'result') }))
    .reverse();
}

export function userPage(ctx: PageContext, input: UserPageInput): SimResponse {
  const t = textsFor(ctx.lang);
  const { user } = input;
  const c = user.certificate;
  const path = userPath(user.userId);
  const status = user.revokedAt || c.revoked ? t.revoked : input.certificate && input.certificate.validTo < input.now ? t.expired : t.valid;
  const ids = [
    [t.userId, `<code>${escapeHtml(user.userId)}</code>`],
    [t.commonName, escapeHtml(c.commonName)],
    ...(c.pid ? [['PID', `<code id="pid">PID:${escapeHtml(c.pid)}</code>`]] : []),
    ...(c.kind === 'MOCES' ? [['CVR / RID', `<code id="rid">CVR:${escapeHtml(c.cvr ?? '')}-RID:${escapeHtml(c.rid ?? '')}</code> ${escapeHtml(c.company ?? '')}`]] : []),
    [t.cpr, input.cpr ? `<code id="cpr">${escapeHtml(input.cpr)}</code>` : escapeHtml(t.noCpr)],
    [t.kind, `${c.kind}${c.youth ? ` (${t.youthNote})` : ''}`],
    [t.businesses, user.businesses.map((b) => `${escapeHtml(b.name)} (CVR ${escapeHtml(b.cvr)})`).join('<br>') || t.none],
  ];
  const cert = input.certificate
    ? [
        [t.serial, `<code id="serial">${escapeHtml(input.certificate.serialHex)}</code>`],
        [t.validFrom, when(input.certificate.validFrom)],
        [t.validTo, when(input.certificate.validTo)],
        [t.status, `<span id="certificate-status">${escapeHtml(status)}</span>`],
      ]
    : [[t.status, escapeHtml(status)]];
  const table = (rows: string[][]) => `<table><tbody>${rows.map(([k, v]) => `<tr><th scope="row">${escapeHtml(k ?? '')}</th><td>${v}</td></tr>`).join('')}</tbody></table>`;
  const action = (name: string, label: string, secondary = true) =>
    `<form method="post" action="${path}/${name}" class="inline">${secretField(ctx)}<button type="submit" id="action-${name}"${secondary ? ' class="secondary"' : ''}>${escapeHtml(label)}</button></form>`;
  const lock = input.lock;
  const sessions = sessionsOf(input.events);
  const log = sessions.length === 0
    ? `<p>${escapeHtml(t.logEmpty)}</p>`
    : `<div class="wide" tabindex="0" role="region" aria-label="${escapeHtml(t.log)}"><table id="log"><thead><tr><th scope="col">${t.time}</th><th scope="col">${t.service}</th><th scope="col">${t.client}</th><th scope="col">${t.steps}</th><th scope="col">${t.result}</th></tr></thead><tbody>${sessions
        .map(
          (s) =>
            `<tr><td>${when(s.first.at)}</td><td>${escapeHtml(s.first.service)}</td><td>${s.first.client === 'js' ? 'JS' : 'CodeFile'}</td><td>${s.steps
              .map((step) => `${escapeHtml(step.step)}: ${escapeHtml(step.outcome)}`)
              .join('<br>')}</td><td class="result">${escapeHtml(s.result?.outcome ?? '…')}</td></tr>`,
        )
        .join('')}</tbody></table></div>`;
  return page(
    ctx,
    `${t.overview} ${user.userId}`,
    path,
    `<p><a href="/developers/${langQuery(ctx.lang)}">${escapeHtml(t.back)}</a></p>
<h1>${escapeHtml(t.overview)}: <code>${escapeHtml(user.userId)}</code></h1>
<h2>${escapeHtml(t.identifiers)}</h2>${table(ids)}
<h2>${escapeHtml(t.certificate)}</h2>${table(cert)}
<div class="actions"><a href="${path}/certificate.pem" download="${escapeHtml(user.userId)}.cert.pem">${escapeHtml(t.download)}</a>
${user.revokedAt || c.revoked ? '' : action('revoke', t.revoke, false)}</div>
<p>${escapeHtml(t.revokeHelp)}</p>
<h2>${escapeHtml(t.codeCard)}</h2>
<p><a href="${path}/card${langQuery(ctx.lang)}" id="card-link">${escapeHtml(t.showCard)}: ${escapeHtml(user.cardNumber)}</a></p>
${input.retiredCards.length > 0 ? `<p>${escapeHtml(t.retiredCards)}: ${input.retiredCards.map((card) => `<code>${escapeHtml(card)}</code>`).join(', ')}</p>` : ''}
<div class="actions">${action('card', t.newCard)}</div>
<h2>${escapeHtml(t.lockouts)}</h2>
${table([
  [t.wrongPasswords, String(lock.wrongPasswords)],
  [t.wrongCodes, String(lock.wrongCodes)],
  [t.quarantinedUntil, lock.quarantinedUntil && lock.quarantinedUntil > input.now ? when(lock.quarantinedUntil) : t.none],
  [t.cardLocked, lock.cardLocked ? t.yes : t.no],
])}
<div class="actions">${action('reset-lockouts', t.resetLockouts)}</div>
<h2>${escapeHtml(t.log)}</h2><p>${escapeHtml(t.logHelp)}</p>${log}`,
  );
}

export function codeCardPage(ctx: PageContext, user: SimUser): SimResponse {
  const t = textsFor(ctx.lang);
  const keys = cardKeys(user.cardNumber).sort();
  const items = keys.map((key) => `<div><dt><span class="visually-hidden">${t.key} </span>${key}</dt><dd data-key="${key}">${codeFor(user.cardNumber, key)}</dd></div>`);
  return page(
    ctx,
    `${t.cardTitle} ${user.cardNumber}`,
    `${userPath(user.userId)}/card`,
    `<h1>${escapeHtml(t.cardTitle)} ${escapeHtml(user.cardNumber)} (<code>${escapeHtml(user.userId)}</code>)</h1><p><a href="${userPath(user.userId)}${langQuery(ctx.lang)}">${escapeHtml(t.overview)}</a> · <a href="/developers/${langQuery(ctx.lang)}">${escapeHtml(t.back)}</a></p>
<p>${escapeHtml(t.key)} → ${escapeHtml(t.code)}</p>
<dl class="codes">${items.join('')}</dl>`,
  );
}
