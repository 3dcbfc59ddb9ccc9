import type { SimResponse } from '../http/types.js';
import { cardKeys, codeFor } from '../users/code-card.js';
import { FAULT_NAMES, TEST_USERS, type TestUser } from '../users/test-users.js';
import { escapeHtml, htmlResponse, newNonce } from './html.js';

// GET /developers/ — the simulator's counterpart of NemID's developer pages: the test users with their passwords
// and code cards, the error and fault users, and the control switches. Everything here is test data.

const STYLE = `
body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1a1a1a}
main{max-width:1000px;margin:0 auto;padding:1rem}
.banner{background:#b00020;color:#fff;font-weight:700;text-align:center;padding:6px}
table{border-collapse:collapse;width:100%;margin:1rem 0}
th,td{border:1px solid #999;padding:.3rem .5rem;text-align:left;vertical-align:top}
code{background:#f2f2f2;padding:0 .2rem}
.card td{font-family:ui-monospace,monospace}
a:focus{outline:3px solid #0b5fff}
`;

function page(title: string, body: string): SimResponse {
  const nonce = newNonce();
  return htmlResponse(
    `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} – NemID SIMULATOR</title><style nonce="${nonce}">${STYLE}</style></head>
<body><div class="banner">SIMULATOR – test users only, no real NemID</div><main>${body}</main></body></html>`,
    nonce,
    false,
  );
}

function identity(user: TestUser): string {
  const c = user.certificate;
  if (c.kind === 'MOCES') return `MOCES, <code>CVR:${c.cvr}-RID:${c.rid}</code>, ${escapeHtml(c.company ?? '')}`;
  const notes = [c.youth ? 'youth' : '', c.revoked ? 'revoked' : '', c.expired ? 'expired' : ''].filter(Boolean).join(', ');
  return `POCES, <code>PID:${c.pid}</code>${notes ? ` (${notes})` : ''}`;
}

export function developersPage(): SimResponse {
  const rows = TEST_USERS.map(
    (user) => `<tr><td><code>${escapeHtml(user.userId)}</code></td><td><code>${escapeHtml(user.password)}</code></td>
<td><a href="/developers/card/${encodeURIComponent(user.userId)}">${user.cardNumber}</a></td>
<td>${escapeHtml(user.certificate.commonName)}<br>${identity(user)}</td><td>${user.cpr ? `<code>${user.cpr}</code>` : '— (PID-CPR: 2)'}</td>
<td>${user.hasKeyFile ? 'yes' : 'no'}</td><td>${user.businesses.map((b) => `${escapeHtml(b.name)} (CVR ${b.cvr})`).join('<br>') || '—'}</td></tr>`,
  ).join('\n');
  return page(
    'Developers',
    `<h1>NemID SIMULATOR – test users</h1>
<p>Log in with a user id and password, then the code for the key shown, from the user's code card (linked). The code for
key <code>k</code> on card <code>c</code> is the first 6 decimal digits of HMAC-SHA256(c, k) read as one big-endian integer.
Three wrong passwords answer <code>LOCK001</code>, three wrong codes <code>LOCK003</code>; <code>DELETE /control</code> resets.</p>
<table><thead><tr><th>user id</th><th>password</th><th>code card</th><th>certificate</th><th>CPR (substitute)</th><th>key file</th><th>businesses</th></tr></thead>
<tbody>${rows}</tbody></table>
<h2>Error and fault users</h2>
<p><code>error-&lt;CODE&gt;</code> (any password) answers the client error code, e.g. <code>error-CAN002</code>, <code>error-LOCK001</code>.</p>
<p><code>fault-&lt;name&gt;</code> logs in as <code>fault</code> (password and card of <code>fault</code>) with a response fault:
${FAULT_NAMES.map((name) => `<code>${name}</code>`).join(', ')}.</p>
<h2>Switches</h2>
<p><code>POST /control</code> (JSON or form): <code>crl</code> = ok | stale | unavailable; <code>ocsp</code> = ok | unknown | revoked |
bad-signature | unavailable; <code>pidCpr</code> = ok | timeout | unavailable | &lt;status code&gt;; <code>roles</code> = ok | timeout |
unavailable. <code>DELETE /control</code> resets switches, lock-outs and brute-force counters.</p>`,
  );
}

export function codeCardPage(userId: string): SimResponse | null {
  const user = TEST_USERS.find((candidate) => candidate.userId === userId);
  if (!user) return null;
  const keys = cardKeys(user.cardNumber).sort();
  const rows: string[] = [];
  for (let i = 0; i < keys.length; i += 4) {
    rows.push(`<tr>${keys.slice(i, i + 4).map((key) => `<td>${key}</td><td>${codeFor(user.cardNumber, key)}</td>`).join('')}</tr>`);
  }
  return page(
    `Code card ${user.cardNumber}`,
    `<h1>Code card ${user.cardNumber} (${escapeHtml(user.userId)})</h1><p><a href="/developers/">Back to the test users</a></p>
<table class="card"><thead><tr>${'<th>key</th><th>code</th>'.repeat(4)}</tr></thead><tbody>${rows.join('\n')}</tbody></table>`,
  );
}
