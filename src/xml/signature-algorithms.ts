import { privateKeyOf, publicKeyOf } from './key-cache.js';
import { constants, createHash, createSign, createVerify, type KeyLike, type KeyObject } from 'node:crypto';

// The XML-DSig and Redirect-binding algorithm allow-list (saml-profile.md §2.3) and the RSA variants xml-crypto
// 6.3.2 lacks (rsa-sha384, the SHA-384/512 RSASSA-PSS forms, the SHA-384 digest). Nothing outside these maps is ever
// accepted: there is no fallback algorithm.

export const C14N_EXCLUSIVE = 'http://www.w3.org/2001/10/xml-exc-c14n#';
export const TRANSFORM_ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
export const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
export const RSA_SHA1 = 'http://www.w3.org/2000/09/xmldsig#rsa-sha1';
export const DIGEST_SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';
export const DIGEST_SHA1 = 'http://www.w3.org/2000/09/xmldsig#sha1';

export interface RsaSignatureAlgorithm {
  readonly hash: 'sha1' | 'sha256' | 'sha384' | 'sha512';
  readonly pss: boolean;
  readonly sha1: boolean;
}

export const SIGNATURE_ALGORITHMS: Readonly<Record<string, RsaSignatureAlgorithm>> = {
  [RSA_SHA256]: { hash: 'sha256', pss: false, sha1: false },
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384': { hash: 'sha384', pss: false, sha1: false },
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512': { hash: 'sha512', pss: false, sha1: false },
  'http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1': { hash: 'sha256', pss: true, sha1: false },
  'http://www.w3.org/2007/05/xmldsig-more#sha384-rsa-MGF1': { hash: 'sha384', pss: true, sha1: false },
  'http://www.w3.org/2007/05/xmldsig-more#sha512-rsa-MGF1': { hash: 'sha512', pss: true, sha1: false },
  [RSA_SHA1]: { hash: 'sha1', pss: false, sha1: true },
};

export const DIGEST_ALGORITHMS: Readonly<Record<string, { hash: string; sha1: boolean }>> = {
  [DIGEST_SHA256]: { hash: 'sha256', sha1: false },
  'http://www.w3.org/2001/04/xmldsig-more#sha384': { hash: 'sha384', sha1: false },
  'http://www.w3.org/2001/04/xmlenc#sha512': { hash: 'sha512', sha1: false },
  [DIGEST_SHA1]: { hash: 'sha1', sha1: true },
};

/** The algorithm entry for `uri` when it is allowed under this SP's policy; undefined otherwise. */
export function allowedSignatureAlgorithm(uri: string, allowSha1: boolean): RsaSignatureAlgorithm | undefined {
  const algorithm = Object.hasOwn(SIGNATURE_ALGORITHMS, uri) ? SIGNATURE_ALGORITHMS[uri] : undefined;
  return algorithm && (!algorithm.sha1 || allowSha1) ? algorithm : undefined;
}

export function isAllowedDigestAlgorithm(uri: string, allowSha1: boolean): boolean {
  const digest = Object.hasOwn(DIGEST_ALGORITHMS, uri) ? DIGEST_ALGORITHMS[uri] : undefined;
  return digest !== undefined && (!digest.sha1 || allowSha1);
}

function rsaOptions(algorithm: RsaSignatureAlgorithm, key: KeyObject) {
  return algorithm.pss
    ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }
    : { key };
}

/** Verifies an RSA signature over `material` (Redirect binding octets or canonical SignedInfo). */
export function verifyRsa(algorithm: RsaSignatureAlgorithm, material: string | Buffer, key: KeyLike, signature: Buffer): boolean {
  try {
    const verifier = createVerify(algorithm.hash);
    verifier.update(material);
    return verifier.verify(rsaOptions(algorithm, publicKeyOf(key)), signature);
  } catch {
    return false;
  }
}

export function signRsa(algorithm: RsaSignatureAlgorithm, material: string | Buffer, key: KeyLike): Buffer {
  const signer = createSign(algorithm.hash);
  signer.update(material);
  return signer.sign(rsaOptions(algorithm, privateKeyOf(key as string | Buffer | KeyObject)));
}

/** xml-crypto SignatureAlgorithm objects for every allowed URI (used only after the allow-list check). */
export function xmlCryptoSignatureAlgorithms(): Record<string, new () => unknown> {
  const out: Record<string, new () => unknown> = {};
  for (const [uri, algorithm] of Object.entries(SIGNATURE_ALGORITHMS)) {
    out[uri] = class {
      getAlgorithmName = () => uri;
      getSignature = (signedInfo: string, privateKey: KeyLike) => signRsa(algorithm, signedInfo, privateKey).toString('base64');
      verifySignature = (material: string, key: KeyLike, signatureValue: string) =>
        verifyRsa(algorithm, material, key, Buffer.from(signatureValue, 'base64'));
    };
  }
  return out;
}

export function xmlCryptoHashAlgorithms(): Record<string, new () => unknown> {
  const out: Record<string, new () => unknown> = {};
  for (const [uri, digest] of Object.entries(DIGEST_ALGORITHMS)) {
    out[uri] = class {
      getAlgorithmName = () => uri;
      getHash = (xml: string) => createHash(digest.hash).update(xml, 'utf8').digest('base64');
    };
  }
  return out;
}
