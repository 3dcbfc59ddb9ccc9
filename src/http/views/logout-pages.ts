import { idpInitiatedCsrfPurpose, type IdpInitiatedConfirmView, type LoggedOutView, type LogoutConfirmView } from '../../login/index.js';
import { html } from './html.js';
import type { RenderedPage, ViewContext } from './view-registry.js';

// Single logout and IdP-initiated SSO pages: "log out of every service?", "you are logged out" and "continue to
// <SP>?". Each form posts only to ourselves with its CSRF token.

const TEXT = {
  da: {
    confirmTitle: 'Log ud af alle tjenester',
    confirmIntro: 'Du er logget ind med NemID. Når du logger ud her, logger vi dig også ud af disse tjenester:',
    confirmNone: 'Du er logget ind med NemID, men endnu ikke på nogen tjeneste.',
    logout: 'Log ud',
    doneTitle: 'Du er logget ud',
    done: 'Du er logget ud af NemID-login og af de tjenester, du brugte.',
    partial: 'Vi kunne ikke bekræfte, at du er logget ud af alle tjenester. Luk din browser for at være sikker.',
    noSession: 'Du er ikke logget ind.',
    continueTitle: 'Fortsæt til tjenesten',
    continueIntro: 'Du er ved at logge ind med NemID på',
    continue: 'Fortsæt',
  },
  en: {
    confirmTitle: 'Log out of every service',
    confirmIntro: 'You are logged in with NemID. Logging out here also logs you out of these services:',
    confirmNone: 'You are logged in with NemID, but not yet to any service.',
    logout: 'Log out',
    doneTitle: 'You are logged out',
    done: 'You are logged out of the NemID login and of the services you used.',
    partial: 'We could not confirm that you are logged out of every service. Close your browser to be sure.',
    noSession: 'You are not logged in.',
    continueTitle: 'Continue to the service',
    continueIntro: 'You are about to log in with NemID to',
    continue: 'Continue',
  },
} as const;

export function renderLogoutConfirm(view: LogoutConfirmView, context: ViewContext): RenderedPage {
  const t = TEXT[context.lang];
  const services = view.services.length > 0 ? html`<p>${t.confirmIntro}</p><ul>${view.services.map((name) => html`<li>${name}</li>`)}</ul>` : html`<p>${t.confirmNone}</p>`;
  return {
    title: t.confirmTitle,
    body: html`<div class="card"><h1>${t.confirmTitle}</h1>${services}
<form method="post" action="/saml/slo/init"><input type="hidden" name="csrf" value="${view.csrf}"><button type="submit">${t.logout}</button></form></div>`,
  };
}

export function renderLoggedOut(view: LoggedOutView, context: ViewContext): RenderedPage {
  const t = TEXT[context.lang];
  const message = !view.hadSession ? t.noSession : view.partial ? t.partial : t.done;
  return {
    title: t.doneTitle,
    body: html`<div class="card${view.partial ? ' error' : ''}" role="status" data-logout="${view.hadSession ? (view.partial ? 'partial' : 'complete') : 'no-session'}"><h1>${t.doneTitle}</h1><p>${message}</p></div>`,
  };
}

export function renderIdpInitiatedConfirm(view: IdpInitiatedConfirmView, context: ViewContext): RenderedPage {
  const t = TEXT[context.lang];
  return {
    title: t.continueTitle,
    body: html`<div class="card"><h1>${t.continueTitle}</h1><p>${t.continueIntro} <strong>${view.spName}</strong></p>
<form method="post" action="/saml/sso/init"><input type="hidden" name="sp" value="${view.spEntityId}"><input type="hidden" name="csrf" value="${context.csrf(idpInitiatedCsrfPurpose(view.spEntityId))}"><button type="submit">${t.continue}</button></form></div>`,
  };
}
