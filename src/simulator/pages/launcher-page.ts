import type { SimResponse } from '../http/types.js';
import { escapeHtml, htmlResponse, newNonce } from './html.js';
import { launcherScript } from './launcher-script.js';
import { LAUNCHER_TEXTS } from './texts.js';

// The client iframe page: `/launcher/{lmt,std}/<n>` (JS client, code card) and `/codefile/?t=<n>` (key file). It says
// SIMULATOR on every step, fits a 320-px-wide frame, and is keyboard-operable (labels, native controls, focus moved
// to the field that needs input).

export interface LauncherPageInput {
  client: 'js' | 'codefile';
  /** 'lmt' (limited, responsive) or 'std' (standard, 500×450); CodeFile uses 'std'. */
  mode: 'lmt' | 'std';
  /** CodeFile: the key files on this "computer": the user ids of users that have one. */
  keyFiles: readonly string[];
}

const STYLE = `
*{box-sizing:border-box}
html,body{margin:0;padding:0;font:16px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#fff}
main{max-width:460px;margin:0 auto;padding:12px}
h1::after{content:'';display:block;width:3rem;height:4px;background:#b00020;margin-top:.3rem}
.std main{max-width:500px}
h1{font-size:1.25rem;margin:.5rem 0 1rem}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
input[type=text],input[type=password],select{width:100%;padding:.6rem;font-size:1rem;border:2px solid #555;border-radius:4px}
input:focus-visible,select:focus-visible,button:focus-visible{outline:3px solid #1b1f24;outline-offset:2px;box-shadow:0 0 0 2px #fff}
.check{display:flex;gap:.5rem;align-items:center;margin:.75rem 0;font-weight:400}
.actions{display:flex;gap:.5rem;margin-top:1rem;flex-wrap:wrap}
button{padding:.6rem 1.1rem;font-size:1rem;border-radius:4px;border:2px solid #0b3d91;cursor:pointer}
button[type=submit]{background:#0b3d91;color:#fff}
button.cancel{background:#fff;color:#0b3d91}
.error{color:#b00020;font-weight:600;margin:.5rem 0}
.key{font-size:1.5rem;font-weight:700;letter-spacing:.1em}
`;

export function launcherPage(input: LauncherPageInput): SimResponse {
  const nonce = newNonce();
  const t = LAUNCHER_TEXTS.da;
  const codefile = input.client === 'codefile';
  const userField = codefile
    ? `<label for="userid" data-text="keyFile">${t.keyFile}</label>
<select id="userid" name="userid" required>${input.keyFiles
        .map((id) => `<option value="${escapeHtml(id)}">${escapeHtml(id)}.p12</option>`)
        .join('')}</select>`
    : `<label for="userid" data-text="userId">${t.userId}</label>
<input type="text" id="userid" name="userid" autocomplete="username" autocapitalize="none" spellcheck="false" required>`;
  const remember = codefile
    ? ''
    : `<label class="check"><input type="checkbox" id="remember"> <span data-text="remember">${t.remember}</span></label>`;
  const codeStep = codefile
    ? ''
    : `<section id="code-step" hidden>
<form id="code-form" novalidate>
<p><span data-text="keyPrompt">${t.keyPrompt}</span> <span id="key" class="key"></span></p>
<label for="code" data-text="code">${t.code}</label>
<input type="text" id="code" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="6" required>
<p id="code-error" class="error" role="alert" hidden></p>
<div class="actions"><button type="submit" data-text="login">${t.login}</button><button type="button" class="cancel" data-text="cancel">${t.cancel}</button></div>
</form>
</section>`;
  const html = `<!DOCTYPE html>
<html lang="da" class="${input.mode}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>NemID SIMULATOR</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<main aria-labelledby="client-heading">
<h1 id="client-heading" data-text="${codefile ? 'headingKeyFile' : 'heading'}">${codefile ? t.headingKeyFile : t.heading}</h1>
<p id="waiting" role="status" data-text="waiting">${t.waiting}</p>
<section id="password-step" hidden>
<form id="password-form" novalidate>
${userField}
<label for="password" data-text="password">${t.password}</label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
${remember}
<p id="password-error" class="error" role="alert" hidden></p>
<div class="actions"><button type="submit" data-text="${codefile ? 'login' : 'next'}">${codefile ? t.login : t.next}</button><button type="button" class="cancel" data-text="cancel">${t.cancel}</button></div>
</form>
</section>
${codeStep}
<p id="working" role="status" data-text="working" hidden>${t.working}</p>
</main>
<script type="application/json" id="texts">${JSON.stringify(LAUNCHER_TEXTS).replace(/</g, '\\u003c')}</script>
<script nonce="${nonce}">${launcherScript(input.client)}</script>
</body>
</html>`;
  return htmlResponse(html, nonce, true);
}
