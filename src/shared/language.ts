// The one language negotiation for every page we serve (IdP, NemID simulator, demo SP): Danish and English.
// An explicit choice (the SP's `lang` parameter, a language link) wins; else Accept-Language by quality (RFC 9110
// §12.5.4), where Danish wins a tie; else Danish.

export type Language = 'da' | 'en';
export const LANGUAGES: readonly Language[] = ['da', 'en'];

/** A language tag or code as an SP or a link gives it (`da`, `en`, `da-DK`, `EN`, `dan`, `eng`); else undefined. */
export function parseLanguage(value: unknown): Language | undefined {
  if (typeof value !== 'string') return undefined;
  const primary = value.trim().toLowerCase().split(/[-_]/)[0];
  if (primary === 'da' || primary === 'dan') return 'da';
  if (primary === 'en' || primary === 'eng') return 'en';
  return undefined;
}

/** The best of our languages for an Accept-Language header; undefined when it names neither (or only at q=0). */
export function negotiateLanguage(acceptLanguage: string | undefined): Language | undefined {
  let best: { lang: Language; q: number } | undefined;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const [tag, ...params] = part.split(';').map((s) => s.trim());
    const lang = parseLanguage(tag);
    if (!lang) continue;
    const qParam = params.find((p) => /^q=/i.test(p));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0 || q > 1) continue;
    if (!best || q > best.q || (q === best.q && lang === 'da')) best = { lang, q };
  }
  return best?.lang;
}

/** Explicit choices in order of precedence, then Accept-Language, then Danish. */
export function chooseLanguage(explicit: readonly unknown[], acceptLanguage: string | undefined): Language {
  for (const candidate of explicit) {
    const lang = parseLanguage(candidate);
    if (lang) return lang;
  }
  return negotiateLanguage(acceptLanguage) ?? 'da';
}
