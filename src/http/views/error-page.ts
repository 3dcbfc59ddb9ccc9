import { userMessage, type ErrorCode } from '../../errors/index.js';
import { html } from './html.js';
import { page, type Language } from './layout.js';

export interface ErrorPageOptions {
  readonly code: ErrorCode;
  readonly traceId: string;
  readonly lang: Language;
  readonly nonce: string;
  readonly simulatorBanner: boolean;
  /** A way back to the service, when one is known and verified. */
  readonly backUrl?: string;
}

/** The local error page: the user's language first, the other below it, the code and trace id for support. */
export function renderErrorPage(options: ErrorPageOptions): string {
  const other: Language = options.lang === 'da' ? 'en' : 'da';
  const first = userMessage(options.code, options.lang);
  const second = userMessage(options.code, other);
  const labels = options.lang === 'da'
    ? { ref: 'Fejlkode', trace: 'Reference', back: 'Tilbage til tjenesten' }
    : { ref: 'Error code', trace: 'Reference', back: 'Back to the service' };
  const body = html`<div class="card error" role="alert"><h1>${first.title}</h1><p>${first.advice}</p>
${options.backUrl ? html`<p><a class="button" href="${options.backUrl}">${labels.back}</a></p>` : ''}
<p class="muted">${labels.ref}: <code>${options.code}</code> · ${labels.trace}: <code>${options.traceId}</code></p></div>
<div class="card" lang="${other}"><h2>${second.title}</h2><p>${second.advice}</p></div>`;
  return page({ lang: options.lang, title: first.title, nonce: options.nonce, body, simulatorBanner: options.simulatorBanner });
}
