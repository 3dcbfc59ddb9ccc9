import type { FastifyReply, FastifyRequest } from 'fastify';
import { chooseLanguage, parseLanguage, type Language } from '../shared/index.js';
import { LANGUAGE_COOKIE } from './cookies.js';

// Which language a page speaks (issue 14 item 4). At /saml/sso the SP may ask with a `lang` parameter on the SSO URL
// (HTTP-Redirect; outside the signed octets) or a `lang` form field (HTTP-POST); else the browser's Accept-Language.
// The choice is kept in a browser-session cookie, so every later page of the login (our pages, the NemID client's
// LANGUAGE, error pages) speaks it; a language link (`?lang=`) on one of our pages changes it for the rest.

function queryLanguage(request: FastifyRequest): unknown {
  return (request.query as Record<string, unknown> | undefined)?.['lang'];
}

/** The language of a page of a login in progress: a language link, then the login's kept choice, then the browser. */
export function requestLanguage(request: FastifyRequest): Language {
  return chooseLanguage([queryLanguage(request), request.cookies?.[LANGUAGE_COOKIE]], request.headers['accept-language']);
}

/** The language a new login starts in: the SP's explicit choice, then the browser's; an earlier login's is not kept. */
export function ssoLanguage(request: FastifyRequest, form: Record<string, string | undefined> = {}): Language {
  return chooseLanguage([queryLanguage(request), form['lang']], request.headers['accept-language']);
}

/** Keeps the language for the rest of this browser session. */
export function keepLanguage(reply: FastifyReply, language: Language, secure: boolean): void {
  reply.setCookie(LANGUAGE_COOKIE, language, { path: '/', httpOnly: true, sameSite: 'lax', secure });
}

/** A language link was followed: keep its choice. */
export function keepLinkedLanguage(request: FastifyRequest, reply: FastifyReply, secure: boolean): void {
  const lang = parseLanguage(queryLanguage(request));
  if (lang && request.cookies?.[LANGUAGE_COOKIE] !== lang) keepLanguage(reply, lang, secure);
}
