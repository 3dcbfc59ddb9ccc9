import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CookieChanges } from '../login/index.js';
import { SESSION_COOKIE } from '../login/index.js';

// Our cookies: all signed (a list of secrets: the first signs, every one verifies), HttpOnly, path /.
// - the browser cookie binds login transactions to this browser (SameSite=Lax: only our own pages use it);
// - the session cookie carries the IdP session for SSO; an SP's cross-site POST to /saml/sso must carry it, so it is
//   SameSite=None, which browsers accept only with Secure (http://localhost counts as secure in browsers);
// - the remember-user-id cookie holds NemID's opaque token, only when the user ticked the box.

export const BROWSER_COOKIE = 'nemid_idp_browser';
export const REMEMBER_USERID_COOKIE = 'nemid_remember_userid';
export const LANGUAGE_COOKIE = 'lang';

export interface CookiePolicy {
  /** True for https base URLs and for localhost, where browsers accept Secure cookies over http. */
  readonly secure: boolean;
  readonly sessionTtlSeconds: number;
}

export function cookiePolicyFor(baseUrl: string, sessionTtlSeconds: number): CookiePolicy {
  const url = new URL(baseUrl);
  const secure = url.protocol === 'https:' || url.hostname === 'localhost' || url.hostname === '127.0.0.1';
  return { secure, sessionTtlSeconds };
}

export function readSignedCookie(request: FastifyRequest, name: string): string | undefined {
  const raw = request.cookies[name];
  if (!raw) return undefined;
  const unsigned = request.unsignCookie(raw);
  return unsigned.valid && unsigned.value !== null ? unsigned.value : undefined;
}

export function applyCookieChanges(reply: FastifyReply, policy: CookiePolicy, changes: CookieChanges): void {
  const base = { path: '/', httpOnly: true, signed: true } as const;
  if (changes.browserSecret) {
    reply.setCookie(BROWSER_COOKIE, changes.browserSecret, { ...base, sameSite: 'lax', secure: policy.secure });
  }
  if (changes.sessionSecret === null) {
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
  } else if (changes.sessionSecret) {
    reply.setCookie(SESSION_COOKIE, changes.sessionSecret, {
      ...base,
      sameSite: policy.secure ? 'none' : 'lax',
      secure: policy.secure,
      maxAge: policy.sessionTtlSeconds,
    });
  }
}

export function setRememberUserid(reply: FastifyReply, policy: CookiePolicy, token: string): void {
  reply.setCookie(REMEMBER_USERID_COOKIE, token, { path: '/login', httpOnly: true, signed: true, sameSite: 'lax', secure: policy.secure, maxAge: 365 * 24 * 3600 });
}
