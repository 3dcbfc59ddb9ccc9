import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { SimRequest } from './types.js';

// Who may change the simulator's state (issue 16 item 4). A cross-site page can make a browser send a form POST
// anywhere, but not a JSON one (that needs a CORS preflight we never answer), and the browser names the page's
// origin. So: JSON bodies are accepted from non-browser clients (no Origin) and from the simulator's own pages;
// form bodies only with the per-start secret the /developers/ page (and the log) shows.

export function contentTypeOf(req: SimRequest): string {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** A JSON call from a test suite (no Origin, no cross-site fetch metadata) or from the simulator's own origin. */
export function isTrustedJsonCall(req: SimRequest, ownOrigin: string): boolean {
  if (contentTypeOf(req) !== 'application/json') return false;
  return isSameOriginOrNonBrowser(req, ownOrigin);
}

export function isSameOriginOrNonBrowser(req: SimRequest, ownOrigin: string): boolean {
  const origin = req.headers['origin'];
  if (origin !== undefined && origin !== ownOrigin) return false;
  const site = req.headers['sec-fetch-site'];
  return site === undefined || site === 'same-origin' || site === 'none';
}

/** Whether `given` (a form field) equals the per-start secret, compared in constant time. */
export function hasSecret(given: string | undefined, secret: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(secret, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A fresh per-start secret: 24 lower-case letters (≈ 113 bits), no digits, so no log scrubber mistakes it for a CPR. */
export function newControlSecret(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz';
  let secret = '';
  for (const byte of randomBytes(48)) {
    if (byte < 234) secret += alphabet[byte % 26];
    if (secret.length === 24) break;
  }
  return secret.padEnd(24, 'a');
}
