import { userMessage, type ErrorCode } from '../../errors/index.js';
import { html } from './html.js';
import { page, type Language, type PageLinks } from './layout.js';
import { cardHead, referenceLine } from './parts.js';
import { TEXTS } from './texts.js';

export interface ErrorPageOptions {
  readonly code: ErrorCode;
  readonly traceId: string;
  readonly lang: Language;
  readonly nonce: string;
  readonly simulatorBanner: boolean;
  readonly links?: PageLinks;
  /** A way back to the service, when one is known and verified. */
  readonly backUrl?: string;
  /** The service's name, when the error belongs to a login whose SP is known. */
  readonly spName?: string;
  /** A form that answers the SP with this error's SAML status ("Tilbage til <tjeneste>"): its action and fields. */
  readonly answer?: { readonly action: string; readonly fields: Readonly<Record<string, string>> };
}

/** The local error page: the user's language first, the other below it, the code and trace id for support. */
export function renderErrorPage(options: ErrorPageOptions): string {
  const other: Language = options.lang === 'da' ? 'en' : 'da';
  const first = userMessage(options.code, options.lang);
  const second = userMessage(options.code, other);
  const t = TEXTS[options.lang].login;
  const backLabel = options.spName ? t.backTo(options.spName) : t.back;
  const answer = options.answer
    ? html`<form method="post" action="${options.answer.action}">${Object.entries(options.answer.fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}<button type="submit">${backLabel}</button></form>`
    : '';
  const back = !options.answer && options.backUrl ? html`<a class="button" href="${options.backUrl}">${backLabel}</a>` : '';
  const body = html`<div class="card error" role="alert">${cardHead(first.title, undefined, options.lang)}<p>${first.advice}</p>
${answer || back ? html`<div class="actions">${answer}${back}</div>` : ''}
${referenceLine(options.lang, options.traceId, options.code)}</div>
<div class="card" lang="${other}"><h2>${second.title}</h2><p>${second.advice}</p></div>`;
  return page({ lang: options.lang, title: first.title, nonce: options.nonce, body, simulatorBanner: options.simulatorBanner, ...(options.links ? { links: options.links } : {}) });
}
