import { createHmac, generateKeyPairSync, randomBytes } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, importJWK, SignJWT, type JWK } from 'jose';
import { SIGNICAT } from '../../mitid/index.js';
import type { IdTokenForgery } from './controls.js';

// Rewrites an ID token the simulator issued into one of the attacks of ID_TOKEN_FORGERIES. Claim forgeries are
// re-signed with the simulator's real key, so that only the forged claim is wrong.

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export async function forgeIdToken(idToken: string, forgery: IdTokenForgery, signingJwk: JWK, publicKeyPem: string): Promise<string> {
  if (forgery === 'none') return idToken;
  const header = decodeProtectedHeader(idToken);
  const payload = decodeJwt(idToken) as Record<string, unknown>;
  const now = Math.floor(Date.now() / 1000);
  const sign = async (claims: Record<string, unknown>, jwk: JWK = signingJwk) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'RS256', ...(header.kid ? { kid: header.kid } : {}) }).sign(await importJWK(jwk, 'RS256'));
  switch (forgery) {
    case 'other-key': {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      return sign(payload, privateKey.export({ format: 'jwk' }) as JWK);
    }
    case 'alg-none':
      return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`;
    case 'hs256-public-key': {
      // The classic key-confusion attack: an HMAC whose secret is the RSA public key the verifier already holds.
      const input = `${b64({ alg: 'HS256', typ: 'JWT', ...(header.kid ? { kid: header.kid } : {}) })}.${b64(payload)}`;
      return `${input}.${createHmac('sha256', publicKeyPem).update(input).digest('base64url')}`;
    }
    case 'expired':
      return sign({ ...payload, iat: now - 7200, exp: now - 3600 });
    case 'not-yet-valid':
      return sign({ ...payload, nbf: now + 3600 });
    case 'wrong-aud':
      return sign({ ...payload, aud: 'another-relying-party' });
    case 'wrong-nonce':
      return sign({ ...payload, nonce: randomBytes(16).toString('base64url') });
    case 'lower-acr':
      return sign({ ...payload, acr: SIGNICAT.acr.Low, [SIGNICAT.claims.loa]: SIGNICAT.levelValues.Low, [SIGNICAT.claims.aal]: SIGNICAT.levelValues.Low });
    case 'wrong-iss':
      return sign({ ...payload, iss: 'https://broker.attacker.invalid' });
  }
}
