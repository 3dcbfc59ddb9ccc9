import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

// A login transaction belongs to the browser that started it: the browser holds a random value in a signed cookie
// and the database keeps only its hash, so a leaked transaction id is useless in another browser and a database
// dump does not reveal live cookies.

export function newBrowserSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function bindingOf(browserSecret: string): string {
  return createHash('sha256').update(`nemid-idp:browser:v1\0${browserSecret}`).digest('base64url');
}

export function sameBinding(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** A CSRF token for one form of one login (or session) in one browser, keyed with the first cookie secret. */
export function csrfToken(secret: string, browserBinding: string, purpose: string): string {
  return createHmac('sha256', secret).update(`nemid-idp:csrf:v1\0${browserBinding}\0${purpose}`).digest('base64url');
}

/** Accepts a token made with any of the configured secrets (rotation), in constant time. */
export function validCsrfToken(secrets: readonly string[], browserBinding: string, purpose: string, token: unknown): boolean {
  if (typeof token !== 'string' || token.length === 0) return false;
  return secrets.some((secret) => sameBinding(csrfToken(secret, browserBinding, purpose), token));
}
