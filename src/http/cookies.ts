import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CookieChanges } from '../login/index.js';
import { SESSION_COOKIE } from '../login/index.js';

// Our cookies: all signed (a list of secrets: the first signs, every one verifies), HttpOnly, path /.
// - the browser cookie binds login transactions to this browser (SameSite=Lax: only our own pages use it);
// - the session cookie carries the IdP session for SSO; an SP's cross-site POST to /saml/sso must carry it, so it is
//   SameSite=None, which browsers accept only with Secure (http://localhost counts as secure in browsers);
// - the remember-user-id cookie holds NemID's opaque token, only when the user ticked the box.
// Behind https (IDP_BASE_URL), the browser and session cookies carry the `__Host-` prefix (RFC 6265bis §4.1.3.2):
// the browser then accepts them only Secure, path /, without Domain, so no sibling host can set or shadow them;
// only the prefixed name is read. The remember-user-id cookie is scoped to /login and cannot carry the prefix.

export const BROWSER_COOKIE = 'nemid_idp_browser';
export const REMEMBER_USERID_COOKIE = 'nemid_remember_userid';
export const LANGUAGE_COOKIE = 'lang';

export interface CookiePolicy {
  /** True for https base URLs and for localhost, where browsers accept Secure cookies over http. */
  readonly secure: boolean;
  /** True for https base URLs: the path-/ cookies are named `__Host-<name>`. */
  readonly hostPrefix: boolean;
  readonly sessionTtlSeconds: number;
}

const HOST_PREFIXED = new Set<string>([BROWSER_COOKIE, SESSION_COOKIE]);

/** The name a cookie has on the wire under `policy`. */
export function cookieName(policy: CookiePolicy, name: string): string {
  return policy.hostPrefix && HOST_PREFIXED.has(name) ? `__Host-${name}` : name;
}

export function cookiePolicyFor(baseUrl: string, sessionTtlSeconds: number): CookiePolicy {
  const url = new URL(baseUrl);
  const secure = url.protocol === 'https:' || url.hostname === 'localhost' || url.hostname === '127.0.0.1';
  return { secure, hostPrefix: url.protocol === 'https:', sessionTtlSeconds };
}

export function readSignedCookie(request: FastifyRequest, name: string, policy: CookiePolicy): string | undefined {
  const raw = request.cookies[cookieName(policy, name)];
  if (!raw) return undefined;
  const unsigned = request.unsignCookie(raw);
  return unsigned.valid && unsigned.value !== null ? unsigned.value : undefined;
}

export function applyCookieChanges(reply: FastifyReply, policy: CookiePolicy, changes: CookieChanges): void {
  const base = { path: '/', httpOnly: true, signed: true } as const;
  if (changes.browserSecret) {
    reply.setCookie(cookieName(policy, BROWSER_COOKIE), changes.browserSecret, { ...base, sameSite: 'lax', secure: policy.secure });
  }
  if (changes.sessionSecret === null) {
    reply.clearCookie(cookieName(policy, SESSION_COOKIE), { path: '/', ...(policy.hostPrefix ? { secure: true } : {}) });
  } else if (changes.sessionSecret) {
    reply.setCookie(cookieName(policy, SESSION_COOKIE), changes.sessionSecret, {
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
