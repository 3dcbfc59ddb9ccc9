import { randomBytes } from 'node:crypto';
import type { SimResponse } from '../http/types.js';

// Shared page scaffolding: every simulator page carries its own CSP with a fresh nonce and loads nothing external.

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * `frameable`: the launcher must load inside any SP's login page, like NemID's; the other pages never in a frame.
 */
export function htmlResponse(html: string, nonce: string, frameable: boolean, options: { formsToSelf?: boolean } = {}): SimResponse {
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    "connect-src 'self'",
    "base-uri 'none'",
    options.formsToSelf ? "form-action 'self'" : "form-action 'none'",
    `frame-ancestors ${frameable ? '*' : "'none'"}`,
  ].join('; ');
  return {
    status: 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': csp,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    },
    body: html,
  };
}
