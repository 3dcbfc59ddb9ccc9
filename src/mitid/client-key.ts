import { createHash, createPrivateKey, createPublicKey, webcrypto } from 'node:crypto';

// The key we authenticate to the broker with (private_key_jwt, RFC 7523) and its public JWK for {IDP_BASE_URL}/mitid/jwks.

export interface ClientKey {
  readonly kid: string;
  readonly alg: 'RS256' | 'ES256';
  readonly privateKey: webcrypto.CryptoKey;
  readonly publicJwk: Readonly<Record<string, string>>;
}

/** RFC 7638 thumbprint: SHA-256 of the required members in lexicographic order, base64url. */
function thumbprint(jwk: Record<string, unknown>): string {
  const members = jwk['kty'] === 'EC' ? { crv: jwk['crv'], kty: jwk['kty'], x: jwk['x'], y: jwk['y'] } : { e: jwk['e'], kty: jwk['kty'], n: jwk['n'] };
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}

export async function loadClientKey(keyPem: string, keyId: string | null): Promise<ClientKey> {
  const key = createPrivateKey(keyPem);
  const ec = key.asymmetricKeyType === 'ec';
  const alg = ec ? 'ES256' : 'RS256';
  const der = key.export({ type: 'pkcs8', format: 'der' });
  const privateKey = await webcrypto.subtle.importKey(
    'pkcs8',
    der,
    ec ? { name: 'ECDSA', namedCurve: 'P-256' } : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const jwk = createPublicKey(key).export({ format: 'jwk' }) as Record<string, string>;
  const kid = keyId ?? thumbprint(jwk);
  return { kid, alg, privateKey, publicJwk: Object.freeze({ ...jwk, kid, alg, use: 'sig' }) };
}
