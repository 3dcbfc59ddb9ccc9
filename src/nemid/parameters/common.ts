import { createPrivateKey, KeyObject, X509Certificate } from 'node:crypto';
import { IdpError } from '../../errors/index.js';
import { BoundedLru, randomHex128 } from '../../shared/index.js';
import { normalizeParameters, paramsDigest, signNormalized, compareParameterNames } from './normalize.js';

// What the JS and CodeFile builders share: challenge, TIMESTAMP, ORIGIN and SP_CERT checks, and the final signing
// step that refuses unknown or case-duplicated names (nemid-protocol.md §2.2–§2.5, §3).

export interface SignedClientParameters {
  /** The JSON text for `<script type="text/x-nemid">`: every value a JSON string. */
  readonly json: string;
  readonly parameters: Record<string, string>;
  /** The TIMESTAMP value exactly as sent (base64); store it with the transaction. */
  readonly timestamp: string;
  /** The challenge sent in SIGN_PROPERTIES; store it with the transaction. */
  readonly challenge: string;
}

const CHALLENGE = /^[0-9a-f]{32}$/;
const ASCII_PRINTABLE = /^[\x20-\x7e]*$/;

/** A fresh challenge: 128 bits from the CSPRNG as 32 lower-case hex characters. */
export function createChallenge(): string {
  return randomHex128();
}

export function checkChallengeFormat(challenge: string): string {
  if (!CHALLENGE.test(challenge)) throw new IdpError('NEMID_PARAMETERS_INVALID', 'challenge must be 32 lower-case hex characters');
  return challenge;
}

/** TIMESTAMP as we send it: base64 of the UTC time `yyyy-MM-dd HH:mm:ss+0000`. */
export function formatTimestamp(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new IdpError('NEMID_PARAMETERS_INVALID', 'invalid TIMESTAMP instant');
  const text = `${date.toISOString().slice(0, 10)} ${date.toISOString().slice(11, 19)}+0000`;
  return Buffer.from(text, 'ascii').toString('base64');
}

/** ORIGIN must already be the serialised origin: scheme://host[:port], punycode host, no default port, no path. */
export function checkOrigin(origin: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(origin);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || parsed.origin !== origin) {
    throw new IdpError('NEMID_PARAMETERS_INVALID', 'ORIGIN is not a serialised http(s) origin');
  }
  return origin;
}

/** SP_CERT: standard base64 of the DER certificate on one line (never the PEM file). */
export function encodeSpCertificate(spCertDer: Buffer): string {
  if (spCertDer.subarray(0, 1).toString('latin1') === '-') throw new IdpError('NEMID_PARAMETERS_INVALID', 'SP certificate is PEM');
  const encoded = spCertDer.toString('base64');
  // The same VOCES for every login: checked once per distinct certificate, not parsed per page.
  if (wellFormedSpCertificates.get(encoded)) return encoded;
  try {
    new X509Certificate(spCertDer);
  } catch (cause) {
    throw new IdpError('NEMID_PARAMETERS_INVALID', 'SP certificate is not a DER X.509 certificate', { cause });
  }
  wellFormedSpCertificates.set(encoded, true);
  return encoded;
}

const wellFormedSpCertificates = new BoundedLru<string, true>(16);

export function toPrivateKey(spKey: KeyObject | string | Buffer): KeyObject {
  try {
    const key = spKey instanceof KeyObject ? spKey : createPrivateKey(spKey);
    if (key.type !== 'private' || key.asymmetricKeyType !== 'rsa') throw new Error('not an RSA private key');
    return key;
  } catch (cause) {
    throw new IdpError('NEMID_PARAMETERS_INVALID', 'SP key is not an RSA private key', { cause });
  }
}

/**
 * Adds PARAMS_DIGEST and DIGEST_SIGNATURE to `entries` (in the order given) after checking every name is in
 * `allowedNames`, no two names are equal ignoring case, and every value is printable ASCII.
 */
export function signParameters(
  entries: [string, string][],
  allowedNames: readonly string[],
  spKey: KeyObject,
): Record<string, string> {
  const seen = new Set<string>();
  const parameters: Record<string, string> = {};
  for (const [name, value] of entries) {
    if (!allowedNames.includes(name)) throw new IdpError('NEMID_PARAMETERS_INVALID', `parameter ${name} is not allowed`);
    const folded = name.toLowerCase();
    if (seen.has(folded)) throw new IdpError('NEMID_PARAMETERS_INVALID', `parameter ${name} given twice`);
    seen.add(folded);
    if (typeof value !== 'string' || !ASCII_PRINTABLE.test(value)) {
      throw new IdpError('NEMID_PARAMETERS_INVALID', `parameter ${name} must be a printable ASCII string`);
    }
    parameters[name] = value;
  }
  const normalized = normalizeParameters(parameters);
  parameters.PARAMS_DIGEST = paramsDigest(parameters);
  parameters.DIGEST_SIGNATURE = signNormalized(normalized, spKey);
  return parameters;
}

export { compareParameterNames };
