import { cprCsrfPurpose, cprForgetCsrfPurpose, type CprPageView } from '../../login/index.js';
import { html } from './html.js';
import type { Language } from './layout.js';
import type { RenderedPage, ViewContext } from './view-registry.js';

// The CPR page (issue 6): one field (with or without the dash), "Remember my CPR number" unchecked by default, a
// button to forget a remembered number, and "back to the service". The field is never pre-filled: a CPR typed once
// is not sent back to the browser. Errors are linked to the field with aria-describedby and announced.

const TEXT = {
  da: {
    title: 'Indtast dit CPR-nummer',
    to: 'Du logger ind på',
    intro: 'Tjenesten skal kende dit CPR-nummer. Vi tjekker hos NemID, at det hører til din NemID.',
    label: 'CPR-nummer',
    hint: '10 cifre, med eller uden bindestreg, fx 010190-1234.',
    remember: 'Husk mit CPR-nummer til næste gang',
    rememberHint: 'Gemmes krypteret og slettes, hvis det ikke bruges i 3 måneder.',
    submit: 'Fortsæt',
    forget: 'Glem mit gemte CPR-nummer',
    forgotten: 'Dit gemte CPR-nummer er slettet.',
    nothingToForget: 'Der var ikke gemt noget CPR-nummer for dig.',
    back: 'Tilbage til tjenesten',
    errors: {
      CPR_FORMAT_INVALID: 'Det er ikke et gyldigt CPR-nummer. Skriv 10 cifre; de første 6 er din fødselsdato (DDMMÅÅ).',
      CPR_MISMATCH: 'CPR-nummeret passer ikke til din NemID.',
    },
    attemptsLeft: (n: number) => (n === 1 ? 'Du har 1 forsøg tilbage.' : `Du har ${n} forsøg tilbage.`),
    language: 'English',
  },
  en: {
    title: 'Enter your CPR number',
    to: 'You are logging in to',
    intro: 'The service needs your CPR number. We check with NemID that it belongs to your NemID.',
    label: 'CPR number',
    hint: '10 digits, with or without the dash, e.g. 010190-1234.',
    remember: 'Remember my CPR number for next time',
    rememberHint: 'Stored encrypted, and deleted when unused for 3 months.',
    submit: 'Continue',
    forget: 'Forget my remembered CPR number',
    forgotten: 'Your remembered CPR number has been deleted.',
    nothingToForget: 'No CPR number was remembered for you.',
    back: 'Back to the service',
    errors: {
      CPR_FORMAT_INVALID: 'That is not a valid CPR number. Type 10 digits; the first 6 are your date of birth (DDMMYY).',
      CPR_MISMATCH: 'The CPR number does not match your NemID.',
    },
    attemptsLeft: (n: number) => (n === 1 ? 'You have 1 try left.' : `You have ${n} tries left.`),
    language: 'Dansk',
  },
} as const;

function languageLink(loginId: string, lang: Language) {
  const other = lang === 'da' ? 'en' : 'da';
  return html`<a class="lang" href="/login/${loginId}/cpr?lang=${other}" hreflang="${other}" lang="${other}">${TEXT[lang].language}</a>`;
}

export function renderCprPage(view: CprPageView, context: ViewContext): RenderedPage {
  const t = TEXT[context.lang];
  const id = view.loginId;
  const describedBy = ['cpr-hint', view.error ? 'cpr-error' : '', 'cpr-attempts'].filter(Boolean).join(' ');
  const error = view.error
    ? html`<p id="cpr-error" class="error" role="alert">${t.errors[view.error]}</p>`
    : '';
  const forgotten =
    view.forgotten === undefined ? '' : html`<p class="muted" role="status">${view.forgotten ? t.forgotten : t.nothingToForget}</p>`;
  const remember = view.offerRemember
    ? html`<p><label><input type="checkbox" name="remember" value="on" aria-describedby="remember-hint"> ${t.remember}</label>
<span id="remember-hint" class="muted">${t.rememberHint}</span></p>`
    : '';
  return {
    title: t.title,
    body: html`<div class="card">${languageLink(id, context.lang)}<h1>${t.title}</h1><p>${t.to} <strong>${view.spName}</strong></p>
<p>${t.intro}</p>${forgotten}
<form method="post" action="/login/${id}/cpr" autocomplete="off" novalidate><input type="hidden" name="csrf" value="${context.csrf(cprCsrfPurpose(id))}">
<label for="cpr">${t.label}</label>
<p id="cpr-hint" class="muted">${t.hint}</p>${error}
<input type="text" id="cpr" name="cpr" inputmode="numeric" autocomplete="off" spellcheck="false" maxlength="11" required aria-required="true"${view.error ? html` aria-invalid="true" autofocus` : ''} aria-describedby="${describedBy}">
<p id="cpr-attempts" class="muted">${t.attemptsLeft(view.attemptsLeft)}</p>
${remember}<p><button type="submit">${t.submit}</button></p></form>
<form method="post" action="/login/${id}/cpr/forget"><input type="hidden" name="csrf" value="${context.csrf(cprForgetCsrfPurpose(id))}"><button type="submit" class="secondary">${t.forget}</button></form>
<form method="post" action="/login/${id}/abort"><input type="hidden" name="csrf" value="${context.csrf(`abort:${id}`)}"><button type="submit" class="secondary">${t.back}</button></form></div>`,
  };
}
