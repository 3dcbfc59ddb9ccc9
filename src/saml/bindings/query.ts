import { IdpError } from '../../errors/index.js';

// The raw query string of an HTTP-Redirect message, kept as received: the signed octets are built from the raw
// (still percent-encoded) values, never from decoded and re-encoded ones (saml-profile.md §2.3).

export interface RawQuery {
  /** Raw values exactly as in the URL, by parameter name; each name appears at most once. */
  raw: ReadonlyMap<string, string>;
}

const KNOWN = new Set(['SAMLRequest', 'SAMLResponse', 'RelayState', 'SigAlg', 'Signature', 'SAMLEncoding']);

export function splitRawQuery(rawQueryString: string): RawQuery {
  const query = rawQueryString.startsWith('?') ? rawQueryString.slice(1) : rawQueryString;
  const raw = new Map<string, string>();
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const name = equals < 0 ? pair : pair.slice(0, equals);
    const value = equals < 0 ? '' : pair.slice(equals + 1);
    if (!KNOWN.has(name)) continue; // other parameters are not ours to interpret and are not signed
    if (raw.has(name)) throw new IdpError('SAML_REQUEST_MALFORMED', `${name} appears more than once`);
    raw.set(name, value);
  }
  return { raw };
}

/** application/x-www-form-urlencoded decoding of one value. */
export function percentDecode(rawValue: string): string {
  try {
    return decodeURIComponent(rawValue.replace(/\+/g, ' '));
  } catch (error) {
    throw new IdpError('SAML_REQUEST_MALFORMED', 'bad percent-encoding', { cause: error });
  }
}
