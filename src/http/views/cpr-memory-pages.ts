import type { CprForgottenView, CprMemoryView } from '../../login/index.js';
import { html, type SafeHtml } from './html.js';
import type { Language } from './layout.js';
import { cardHead } from './parts.js';
import { TEXTS } from './texts.js';
import type { RenderedPage, ViewContext } from './view-registry.js';

// Forgetting a remembered CPR number (issue 14 item 1): the final page of a login that used one, the page after
// "Glem det", and the self-service page /cpr-memory.

/** The final page of a login whose CPR came from memory: continue to the service (the signed response), or forget. */
export function rememberedCprPage(
  lang: Language,
  input: { spName: string; action: string; fields: Readonly<Record<string, string>>; forgetAction: string; forgetCsrf: string },
): RenderedPage {
  const t = TEXTS[lang].remembered;
  const fields = Object.entries(input.fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`);
  return {
    title: t.title,
    body: html`<div class="card">${cardHead(t.title, undefined, lang)}
<form method="post" action="${input.action}">${fields}<button type="submit" id="continue">${t.continueTo(input.spName)}</button></form>
<div class="notice"><form method="post" action="${input.forgetAction}" class="inline"><input type="hidden" name="csrf" value="${input.forgetCsrf}">${t.line(input.spName)} · <button type="submit" class="link" id="forget-cpr">${t.forget}</button></form></div>
<p class="muted"><a href="/cpr-memory">${TEXTS[lang].selfService.link}</a></p></div>`,
  };
}

export function renderCprForgotten(view: CprForgottenView, context: ViewContext): RenderedPage {
  const texts = TEXTS[context.lang];
  const t = texts.remembered;
  return {
    title: t.forgottenTitle,
    body: html`<div class="card" role="status" data-cpr="forgotten">${cardHead(t.forgottenTitle, undefined, context.lang)}<p>${view.hadEntry ? t.forgotten(view.spName) : t.nothing}</p>
<p><a class="button" href="/login/${view.loginId}">${texts.login.backTo(view.spName)}</a></p></div>`,
  };
}

export function renderCprMemory(view: CprMemoryView, context: ViewContext): RenderedPage {
  const t = TEXTS[context.lang].selfService;
  const csrf = view.sessionId ? context.csrf(`cpr-memory:${view.sessionId}`) : '';
  const forgetForm = (label: string, sp?: string): SafeHtml =>
    html`<form method="post" action="/cpr-memory/forget"><input type="hidden" name="csrf" value="${csrf}">${sp ? html`<input type="hidden" name="sp" value="${sp}">` : ''}<button type="submit" class="secondary">${label}</button></form>`;
  const done = view.forgotten === undefined ? '' : html`<p class="notice" role="status">${view.forgotten === 'all' ? t.forgottenAll : t.forgottenOne(view.forgotten)}</p>`;
  const body = !view.sessionId
    ? html`<p>${t.notLoggedIn}</p>`
    : html`<p>${t.loggedInAs(view.personName ?? '')}</p>${done}
${view.services.length === 0
  ? html`<p data-services="0">${t.none}</p>`
  : html`<ul class="choices" data-services="${view.services.length}">${view.services.map((s) => html`<li><strong>${s.name}</strong> <span class="muted">(${t.lastUsed(s.lastUsedAt)})</span>${forgetForm(t.forget(s.name), s.entityId)}</li>`)}</ul>
${view.services.length > 1 ? forgetForm(t.forgetAll) : ''}`}`;
  return { title: t.title, body: html`<div class="card">${cardHead(t.title, '/cpr-memory', context.lang)}<p>${t.intro}</p>${body}</div>` };
}
