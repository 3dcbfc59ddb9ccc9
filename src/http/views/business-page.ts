import { businessAbortCsrfPurpose, businessCsrfPurpose, type BusinessChoiceView, type BusinessNoRoleView } from '../../login/index.js';
import { html } from './html.js';
import type { Language } from './layout.js';
import type { RenderedPage, ViewContext } from './view-registry.js';

// The business choice (issue 7): continue as yourself or as the owner of one of your businesses, each one button
// (a single activation, reachable by keyboard, read out with its CVR). And the page for a person without a business
// on an SP that accepts only business logins.

const TEXT = {
  da: {
    title: 'Vælg, hvem du logger ind som',
    to: 'Du logger ind på',
    intro: (name: string) => `Du er logget ind med NemID som ${name}.`,
    businesses: 'Log ind som ejer af',
    cvr: 'CVR-nr.',
    privateHeading: 'Eller',
    privately: (name: string) => `Fortsæt som dig selv (${name})`,
    businessOnly: 'Tjenesten tager kun imod login på vegne af en virksomhed.',
    noRoleTitle: 'Du kan ikke logge ind på denne tjeneste',
    noRole: 'Tjenesten tager kun imod login på vegne af en virksomhed, og vi kan ikke se, at du ejer en virksomhed, du kan logge ind for.',
    noRoleAdvice: 'Er du ansat i en virksomhed, så log ind med din medarbejdersignatur.',
    back: 'Tilbage til tjenesten',
    language: 'English',
  },
  en: {
    title: 'Choose who you log in as',
    to: 'You are logging in to',
    intro: (name: string) => `You have logged in with NemID as ${name}.`,
    businesses: 'Log in as the owner of',
    cvr: 'CVR no.',
    privateHeading: 'Or',
    privately: (name: string) => `Continue as yourself (${name})`,
    businessOnly: 'This service accepts only logins on behalf of a business.',
    noRoleTitle: 'You cannot log in to this service',
    noRole: 'This service accepts only logins on behalf of a business, and we cannot find a business you own and may log in for.',
    noRoleAdvice: 'If you are employed by a business, log in with your employee signature.',
    back: 'Back to the service',
    language: 'Dansk',
  },
} as const;

function languageLink(loginId: string, lang: Language) {
  const other = lang === 'da' ? 'en' : 'da';
  return html`<a class="lang" href="/login/${loginId}/business?lang=${other}" hreflang="${other}" lang="${other}">${TEXT[lang].language}</a>`;
}

export function renderBusinessChoice(view: BusinessChoiceView, context: ViewContext): RenderedPage {
  const t = TEXT[context.lang];
  const buttons = view.businesses.map(
    (business) =>
      html`<li><button type="submit" name="role" value="${business.cvr}"><span>${business.name}</span><br><small>${t.cvr} ${business.cvr}</small></button></li>`,
  );
  const privately = view.allowPrivate
    ? html`<h2 id="private">${t.privateHeading}</h2><p><button type="submit" name="role" value="private" class="secondary">${t.privately(view.personName)}</button></p>`
    : html`<p class="muted">${t.businessOnly}</p>`;
  return {
    title: t.title,
    body: html`<div class="card">${languageLink(view.loginId, context.lang)}<h1>${t.title}</h1><p>${t.to} <strong>${view.spName}</strong></p>
<p>${t.intro(view.personName)}</p>
<form method="post" action="/login/${view.loginId}/business"><input type="hidden" name="csrf" value="${context.csrf(businessCsrfPurpose(view.loginId))}">
<h2 id="businesses">${t.businesses}</h2><ul class="choices" aria-labelledby="businesses">${buttons}</ul>
${privately}</form></div>`,
  };
}

export function renderBusinessNoRole(view: BusinessNoRoleView, context: ViewContext): RenderedPage {
  const t = TEXT[context.lang];
  return {
    title: t.noRoleTitle,
    body: html`<div class="card error" role="alert">${languageLink(view.loginId, context.lang)}<h1>${t.noRoleTitle}</h1><p>${t.to} <strong>${view.spName}</strong></p>
<p>${t.noRole}</p><p>${t.noRoleAdvice}</p>
<form method="post" action="/login/${view.loginId}/business/abort"><input type="hidden" name="csrf" value="${context.csrf(businessAbortCsrfPurpose(view.loginId))}"><button type="submit">${t.back}</button></form>
<p class="muted">${view.personName}</p></div>`,
  };
}
