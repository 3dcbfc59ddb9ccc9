import { cprCsrfPurpose, cprForgetCsrfPurpose, type CprPageView } from '../../login/index.js';
import { html } from './html.js';
import { cardHead, serviceLine, sharingLine } from './parts.js';
import { TEXTS } from './texts.js';
import type { RenderedPage, ViewContext } from './view-registry.js';

// The CPR page (issue 6): one field (with or without the dash), "Remember my CPR number" unchecked by default, a
// button to forget a remembered number, and "back to the service". The field is never pre-filled: a CPR typed once
// is not sent back to the browser. Errors are linked to the field with aria-describedby and announced.

export function renderCprPage(view: CprPageView, context: ViewContext): RenderedPage {
  const texts = TEXTS[context.lang];
  const t = texts.cpr;
  const id = view.loginId;
  const describedBy = ['cpr-hint', view.error ? 'cpr-error' : '', 'cpr-attempts'].filter(Boolean).join(' ');
  const error = view.error
    ? html`<p id="cpr-error" class="error" role="alert">${view.error === 'CPR_MISMATCH' ? t.mismatch : t.formatInvalid}</p>`
    : '';
  const forgotten =
    view.forgotten === undefined ? '' : html`<p class="notice" role="status">${view.forgotten ? t.forgotten : t.nothingToForget}</p>`;
  const remember = view.offerRemember
    ? html`<p><label><input type="checkbox" name="remember" value="on" aria-describedby="remember-hint"> ${t.remember}</label>
<span id="remember-hint" class="muted">${t.rememberHint(view.spName)}</span></p>`
    : '';
  return {
    title: t.title,
    body: html`<div class="card">${cardHead(t.title, `/login/${id}/cpr`, context.lang)}${serviceLine(context.lang, view.spName, context.spLogo)}
<p>${t.intro}</p>${forgotten}
<form method="post" action="/login/${id}/cpr" autocomplete="off" novalidate><input type="hidden" name="csrf" value="${context.csrf(cprCsrfPurpose(id))}">
<label for="cpr">${t.label}</label>
<p id="cpr-hint" class="muted">${t.hint}</p>${error}
<input type="text" id="cpr" name="cpr" inputmode="numeric" autocomplete="off" spellcheck="false" maxlength="11" required aria-required="true"${view.error ? html` aria-invalid="true" autofocus` : ''} aria-describedby="${describedBy}">
<p id="cpr-attempts" class="muted">${t.attemptsLeft(view.attemptsLeft)}</p>
${remember}${sharingLine(context.lang, { cpr: true })}<p><button type="submit">${t.submit}</button></p></form>
<div class="actions"><form method="post" action="/login/${id}/cpr/forget"><input type="hidden" name="csrf" value="${context.csrf(cprForgetCsrfPurpose(id))}"><button type="submit" class="secondary">${t.forget}</button></form>
<form method="post" action="/login/${id}/abort"><input type="hidden" name="csrf" value="${context.csrf(`abort:${id}`)}"><button type="submit" class="secondary">${texts.login.backTo(view.spName)}</button></form></div></div>`,
  };
}
