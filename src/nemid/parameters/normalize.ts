import { createHash, sign, constants, type KeyObject } from 'node:crypto';

// Normalisation, PARAMS_DIGEST and DIGEST_SIGNATURE of nemid-protocol.md §2.3, byte for byte as Nets' reference
// library computed them (a TreeMap with Java's String.CASE_INSENSITIVE_ORDER).

const EXCLUDED = new Set(['params_digest', 'digest_signature']);

/** Java String.CASE_INSENSITIVE_ORDER for ASCII names: lower-case, then ordinal UTF-16 comparison. */
export function compareParameterNames(a: string, b: string): number {
  const left = a.toLowerCase();
  const right = b.toLowerCase();
  return left < right ? -1 : left > right ? 1 : 0;
}

/** The normalised string N: `name value` pairs sorted case-insensitively, concatenated without separators. */
export function normalizeParameters(parameters: Record<string, string>): string {
  return Object.entries(parameters)
    .filter(([name]) => !EXCLUDED.has(name.toLowerCase()))
    .sort(([a], [b]) => compareParameterNames(a, b))
    .map(([name, value]) => `${name}${value}`)
    .join('');
}

/** PARAMS_DIGEST: base64 of SHA-256 over the UTF-8 bytes of N. */
export function paramsDigest(parameters: Record<string, string>): string {
  return digestNormalized(normalizeParameters(parameters));
}

export function digestNormalized(normalized: string): string {
  return createHash('sha256').update(Buffer.from(normalized, 'utf8')).digest('base64');
}

/** DIGEST_SIGNATURE: RSASSA-PKCS1-v1_5 with SHA-256 over N itself (never over the digest text). */
export function signNormalized(normalized: string, spKey: KeyObject): string {
  return sign('sha256', Buffer.from(normalized, 'utf8'), { key: spKey, padding: constants.RSA_PKCS1_PADDING }).toString('base64');
}
