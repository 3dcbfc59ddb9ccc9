import { createPrivateKey, createPublicKey, KeyObject, X509Certificate, type KeyLike } from 'node:crypto';

// Our own keys and the SPs' certificates are few and used for every response: parse each PEM once, not per message.
// Bounded, so a stream of distinct inputs cannot grow it without limit.

const LIMIT = 64;
const privateKeys = new Map<string, KeyObject>();
const certificates = new Map<string, X509Certificate>();
const publicKeys = new Map<string, KeyObject>();
const publicOfPrivate = new WeakMap<KeyObject, KeyObject>();

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

/**
 * The public key to verify with, from a certificate or key in PEM (an SP's metadata certificate for each Redirect
 * signature, the signer certificate xml-crypto hands over) or a KeyObject: parsed once per distinct PEM.
 */
export function publicKeyOf(key: KeyLike): KeyObject {
  if (key instanceof KeyObject) {
    if (key.type === 'public') return key;
    let derived = publicOfPrivate.get(key);
    if (!derived) publicOfPrivate.set(key, (derived = createPublicKey(key)));
    return derived;
  }
  if (typeof key === 'string' || Buffer.isBuffer(key)) {
    const text = key.toString();
    return remember(publicKeys, text, () => createPublicKey(text));
  }
  return createPublicKey(key as never);
}
