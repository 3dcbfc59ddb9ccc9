import { randomBytes } from 'node:crypto';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** Fresh per request; every inline script and style carries it (CSP level 2 nonces). */
    cspNonce: string;
  }
}

export interface CspSources {
  /** Origins our pages may post forms to besides our own: the registered ACS origins. */
  formActionOrigins(): readonly string[];
  /** Origins our pages may frame: the NemID client origin. */
  frameOrigins(): readonly string[];
}

export function defaultCsp(nonce: string, sources: CspSources): string {
  const formAction = ["'self'", ...sources.formActionOrigins()].join(' ');
  const frames = sources.frameOrigins();
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "connect-src 'self'",
    `form-action ${formAction}`,
    frames.length > 0 ? `frame-src ${frames.join(' ')}` : "frame-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/**
 * Helmet for the standard headers; our own Content-Security-Policy, because the default `form-action 'self'` would
 * block the SAML POST to an SP's ACS. A route that needs a narrower policy (the POST form page) sets its own header.
 */
export async function registerSecurityHeaders(app: FastifyInstance, sources: CspSources, options: { frameguard: boolean } = { frameguard: true }): Promise<void> {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: false,
    crossOriginEmbedderPolicy: false,
    // Pages that may be framed say so in their own CSP frame-ancestors; X-Frame-Options cannot name an origin.
    frameguard: options.frameguard ? { action: 'deny' } : false,
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: { maxAge: 31536000, includeSubDomains: true },
  });
  app.decorateRequest('cspNonce', '');
  app.addHook('onRequest', async (request) => {
    request.cspNonce = randomBytes(16).toString('base64');
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (!reply.hasHeader('content-security-policy')) {
      reply.header('content-security-policy', defaultCsp(request.cspNonce, sources));
    }
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });
}
