import type { Language } from '../../shared/index.js';
import { html, type SafeHtml } from './html.js';
import { listInWords, TEXTS } from './texts.js';

// Pieces every login page shares: the language link, the line naming the service, the reference for support.

/** A link to the same page in the other language; `path` is our own path (the `lang` parameter is added). */
export function languageLink(path: string, lang: Language): SafeHtml {
  const other: Language = lang === 'da' ? 'en' : 'da';
  const href = `${path}${path.includes('?') ? '&' : '?'}lang=${other}`;
  return html`<a class="lang" href="${href}" hreflang="${other}" lang="${other}" aria-label="${TEXTS[lang].layout.languageLabel}">${TEXTS[lang].layout.language}</a>`;
}

/** The card's heading row: the page title and the language link. */
export function cardHead(title: string, path: string | undefined, lang: Language): SafeHtml {
  return html`<div class="card-head"><h1>${title}</h1>${path ? languageLink(path, lang) : ''}</div>`;
}

/** "Du logger på <service>" with the service's logo from its metadata, when it has one. */
export function serviceLine(lang: Language, spName: string, logoUrl?: string): SafeHtml {
  return html`<p class="service">${logoUrl ? html`<img src="${logoUrl}" alt="">` : ''}<span>${TEXTS[lang].login.to} <strong>${spName}</strong></span></p>`;
}

/** The error code (when there is one) and the reference (trace id) a user can give support. */
export function referenceLine(lang: Language, traceId: string | undefined, code?: string): SafeHtml {
  const t = TEXTS[lang].login;
  const reference = traceId ? html`${t.reference}: <code>${traceId}</code><br>${t.referenceHint}` : '';
  return html`<p class="ref"${traceId ? html` data-trace-id="${traceId}"` : ''}>${code ? html`${t.code}: <code>${code}</code>${traceId ? ' · ' : ''}` : ''}${reference}</p>`;
}

/** "Tjenesten får dit navn, dit CPR-nummer og …": what the assertion carries, in plain words. */
export function sharingLine(lang: Language, releases: { cpr: boolean; cvr?: 'maybe' | 'chosen' }): SafeHtml {
  const t = TEXTS[lang].sharing;
  const items = [t.name, releases.cpr ? t.cpr : t.noCpr, ...(releases.cvr === 'maybe' ? [t.cvr] : releases.cvr === 'chosen' ? [t.chosenCvr] : [])];
  return html`<p class="notice sharing"><strong>${t.heading}:</strong> ${t.line(listInWords(lang, items))}</p>`;
}
