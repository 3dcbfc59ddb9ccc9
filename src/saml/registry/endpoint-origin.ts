import type { AcsEndpoint, SloEndpoint } from './types.js';

// The usual copy-paste mistake: an SP's metadata copied from another deployment of this IdP (or from the demo on
// port 8080) names this IdP's host on another port or scheme. Such endpoints are legal SAML, so they only warn.

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

function hostKey(hostname: string): string {
  const lower = hostname.toLowerCase();
  return LOOPBACK.has(lower) ? 'loopback' : lower;
}

/** Warnings for endpoints on the IdP's own host but another origin (port or scheme) than `idpBaseUrl`. */
export function endpointsOffIdpOrigin(idpBaseUrl: string, endpoints: readonly (AcsEndpoint | SloEndpoint)[]): string[] {
  let idp: URL;
  try {
    idp = new URL(idpBaseUrl);
  } catch {
    return [];
  }
  const warnings = new Set<string>();
  for (const endpoint of endpoints) {
    for (const location of [endpoint.location, 'responseLocation' in endpoint ? endpoint.responseLocation : undefined]) {
      if (!location) continue;
      let url: URL;
      try {
        url = new URL(location);
      } catch {
        continue;
      }
      if (hostKey(url.hostname) === hostKey(idp.hostname) && url.origin !== idp.origin) {
        warnings.add(`endpoint ${location} is on this IdP's host but not its origin ${idp.origin} (IDP_BASE_URL): metadata copied from another deployment?`);
      }
    }
  }
  return [...warnings];
}
