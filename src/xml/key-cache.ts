import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';

// Our own keys and the SPs' certificates are few and used for every response: parse each PEM once, not per message.
// Bounded, so a stream of distinct inputs cannot grow it without limit.

const LIMIT = 64;
const privateKeys = new Map<string, KeyObject>();
const certificates = new Map<string, X509Certificate>();

function remember<V>(cache: Map<string, V>, pem: string, make: () => V): V {
  const known = cache.get(pem);
  if (known) return known;
  const value = make();
  if (cache.size >= LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(pem, value);
  return value;
}

export function privateKeyOf(pem: string | Buffer | KeyObject): KeyObject {
  if (typeof pem !== 'string' && !Buffer.isBuffer(pem)) return pem;
  const text = pem.toString();
  return remember(privateKeys, text, () => createPrivateKey(text));
}

export function certificateOf(pem: string): X509Certificate {
  return remember(certificates, pem, () => new X509Certificate(pem));
}
