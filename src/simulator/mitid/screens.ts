import { escapeHtml } from '../pages/html.js';

// The simulated MitID screens: user ID → "approve in the MitID app" → consent, in Danish and English. Plain forms,
// no script, so that they work with any CSP and in the e2e tests' minimal browser.

export type ScreenLanguage = 'da' | 'en';

const TEXT = {
  da: {
    title: 'MitID (SIMULATOR)',
    banner: 'SIMULATOR — ikke rigtig MitID',
    userId: 'Bruger-ID',
    next: 'Fortsæt',
    cancel: 'Afbryd',
    unknown: 'Ukendt bruger-ID. Se testbrugerne på /developers/.',
    approveTitle: 'Godkend i MitID-appen',
    approveText: 'Åbn MitID-appen, og godkend login for',
    approve: 'Godkend i appen',
    consentTitle: 'Del oplysninger',
    consentText: 'Tjenesten beder om disse oplysninger:',
    allow: 'Tillad',
  },
  en: {
    title: 'MitID (SIMULATOR)',
    banner: 'SIMULATOR — not real MitID',
    userId: 'User ID',
    next: 'Continue',
    cancel: 'Cancel',
    unknown: 'Unknown user ID. See the test users at /developers/.',
    approveTitle: 'Approve in the MitID app',
    approveText: 'Open the MitID app and approve the login for',
    approve: 'Approve in the app',
    consentTitle: 'Share information',
    consentText: 'The service asks for this information:',
    allow: 'Allow',
  },
} as const;

const STYLE = 'body{font-family:system-ui,sans-serif;margin:0;background:#f4f6f8;color:#1b1b1b}main{max-width:26rem;margin:2rem auto;background:#fff;padding:1.5rem;border-radius:8px}'
  + '.banner{margin:0;background:#7a1f00;color:#fff;padding:.5rem 1rem;font-weight:bold}label{display:block;margin:.75rem 0 .25rem}input[type=text]{width:100%;padding:.6rem;font-size:1rem;box-sizing:border-box}'
  + 'button{font-size:1rem;padding:.6rem 1.2rem;margin:.75rem .5rem 0 0;border-radius:4px;border:1px solid #0b3d91}button.primary{background:#0b3d91;color:#fff}button.secondary{background:#fff;color:#0b3d91}.error{color:#a00000}';

function page(lang: ScreenLanguage, heading: string, body: string): string {
  const t = TEXT[lang];
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${t.title}</title><style>${STYLE}</style></head>`
    + `<body><header><p class="banner">${t.banner}</p></header><main><h1>${escapeHtml(heading)}</h1>${body}</main></body></html>`;
}

function cancelButton(action: string, lang: ScreenLanguage): string {
  return `<form method="post" action="${escapeHtml(action)}/cancel"><button class="secondary" type="submit" id="cancel">${TEXT[lang].cancel}</button></form>`;
}

export function userIdScreen(action: string, lang: ScreenLanguage, error = false): string {
  const t = TEXT[lang];
  return page(lang, t.title, `${error ? `<p class="error" role="alert">${t.unknown}</p>` : ''}<form method="post" action="${escapeHtml(action)}/login">`
    + `<label for="userid">${t.userId}</label><input type="text" id="userid" name="userId" autocomplete="username" required>`
    + `<button class="primary" type="submit" id="next">${t.next}</button></form>${cancelButton(action, lang)}`);
}

export function approveScreen(action: string, lang: ScreenLanguage, userId: string): string {
  const t = TEXT[lang];
  return page(lang, t.approveTitle, `<p>${t.approveText} <strong>${escapeHtml(userId)}</strong>.</p><form method="post" action="${escapeHtml(action)}/approve">`
    + `<input type="hidden" name="userId" value="${escapeHtml(userId)}"><button class="primary" type="submit" id="approve">${t.approve}</button></form>${cancelButton(action, lang)}`);
}

export function consentScreen(action: string, lang: ScreenLanguage, scopes: readonly string[]): string {
  const t = TEXT[lang];
  const items = scopes.map((scope) => `<li>${escapeHtml(scope)}</li>`).join('');
  return page(lang, t.consentTitle, `<p>${t.consentText}</p><ul>${items}</ul><form method="post" action="${escapeHtml(action)}/consent">`
    + `<button class="primary" type="submit" id="allow">${t.allow}</button></form>${cancelButton(action, lang)}`);
}

export function languageOf(uiLocales: unknown): ScreenLanguage {
  return typeof uiLocales === 'string' && uiLocales.trim().startsWith('en') ? 'en' : 'da';
}
