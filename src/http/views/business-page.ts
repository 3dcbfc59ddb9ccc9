import { businessAbortCsrfPurpose, businessCsrfPurpose, type BusinessChoiceView, type BusinessNoRoleView } from '../../login/index.js';
import { html } from './html.js';
import { cardHead, serviceLine, sharingLine } from './parts.js';
import { TEXTS } from './texts.js';
import type { RenderedPage, ViewContext } from './view-registry.js';

// The business choice (issue 7): continue as yourself or as the owner of one of your businesses, each one button
// (a single activation, reachable by keyboard, read out with its CVR). And the page for a person without a business
// on an SP that accepts only business logins.

export function renderBusinessChoice(view: BusinessChoiceView, context: ViewContext): RenderedPage {
  const t = TEXTS[context.lang].business;
  const buttons = view.businesses.map(
    (business) =>
      html`<li><button type="submit" name="role" value="${business.cvr}"><span>${business.name}</span><br><small>${t.cvr} ${business.cvr}</small></button></li>`,
  );
  const privately = view.allowPrivate
    ? html`<h2 id="private">${t.privateHeading}</h2><p><button type="submit" name="role" value="private" class="secondary">${t.privately(view.personName)}</button></p>`
    : html`<p class="muted">${t.businessOnly}</p>`;
  return {
    title: t.title,
    body: html`<div class="card">${cardHead(t.title, `/login/${view.loginId}/business`, context.lang)}${serviceLine(context.lang, view.spName, context.spLogo)}
<p>${t.intro(view.personName)}</p>
<form method="post" action="/login/${view.loginId}/business"><input type="hidden" name="csrf" value="${context.csrf(businessCsrfPurpose(view.loginId))}">
<h2 id="businesses">${t.businesses}</h2><ul class="choices" aria-labelledby="businesses">${buttons}</ul>
${privately}</form>${sharingLine(context.lang, { cpr: view.releasesCpr, cvr: 'chosen' })}</div>`,
  };
}

export function renderBusinessNoRole(view: BusinessNoRoleView, context: ViewContext): RenderedPage {
  const t = TEXTS[context.lang].business;
  return {
    title: t.noRoleTitle,
    body: html`<div class="card error" role="alert">${cardHead(t.noRoleTitle, `/login/${view.loginId}/business`, context.lang)}${serviceLine(context.lang, view.spName, context.spLogo)}
<p>${t.noRole}</p><p>${t.noRoleAdvice}</p>
<form method="post" action="/login/${view.loginId}/business/abort"><input type="hidden" name="csrf" value="${context.csrf(businessAbortCsrfPurpose(view.loginId))}"><button type="submit">${TEXTS[context.lang].login.backTo(view.spName)}</button></form>
<p class="muted">${view.personName}</p></div>`,
  };
}
