import { idpInitiatedCsrfPurpose, type IdpInitiatedConfirmView, type LoggedOutView, type LogoutConfirmView } from '../../login/index.js';
import { html } from './html.js';
import { TEXTS } from './texts.js';
import type { RenderedPage, ViewContext } from './view-registry.js';

// Single logout and IdP-initiated SSO pages: "log out of every service?", "you are logged out" and "continue to
// <SP>?". Each form posts only to ourselves with its CSRF token.

export function renderLogoutConfirm(view: LogoutConfirmView, context: ViewContext): RenderedPage {
  const t = TEXTS[context.lang].logout;
  const services = view.services.length > 0 ? html`<p>${t.confirmIntro}</p><ul>${view.services.map((name) => html`<li>${name}</li>`)}</ul>` : html`<p>${t.confirmNone}</p>`;
  return {
    title: t.confirmTitle,
    body: html`<div class="card"><h1>${t.confirmTitle}</h1>${services}
<form method="post" action="/saml/slo/init"><input type="hidden" name="csrf" value="${view.csrf}"><button type="submit">${t.logout}</button></form></div>`,
  };
}

export function renderLoggedOut(view: LoggedOutView, context: ViewContext): RenderedPage {
  const t = TEXTS[context.lang].logout;
  const message = !view.hadSession ? t.noSession : view.partial ? t.partial : t.done;
  return {
    title: t.doneTitle,
    body: html`<div class="card${view.partial ? ' error' : ''}" role="status" data-logout="${view.hadSession ? (view.partial ? 'partial' : 'complete') : 'no-session'}"><h1>${t.doneTitle}</h1><p>${message}</p></div>`,
  };
}

export function renderIdpInitiatedConfirm(view: IdpInitiatedConfirmView, context: ViewContext): RenderedPage {
  const t = TEXTS[context.lang].logout;
  return {
    title: t.continueTitle,
    body: html`<div class="card"><h1>${t.continueTitle}</h1><p>${t.continueIntro} <strong>${view.spName}</strong></p>
<form method="post" action="/saml/sso/init"><input type="hidden" name="sp" value="${view.spEntityId}"><input type="hidden" name="csrf" value="${context.csrf(idpInitiatedCsrfPurpose(view.spEntityId))}"><button type="submit">${t.continue}</button></form></div>`,
  };
}
