// Signature checks over exact signed bytes (TBSCertificate, TBSCertList, ResponseData). Only RSA PKCS#1 v1.5 with
// SHA-256/384/512 is accepted; an unknown algorithm is a failed check, never a skipped one.
import { verify, type KeyObject } from 'node:crypto';
import { SIGNATURE_HASH } from './oids.js';

export function verifySignature(algorithmOid: string, signedBytes: Buffer, signature: Buffer, publicKey: KeyObject): boolean {
  const hash = SIGNATURE_HASH[algorithmOid];
  if (!hash || publicKey.asymmetricKeyType !== 'rsa') return false;
  try {
    return verify(hash, signedBytes, publicKey, signature);
  } catch {
    return false;
  }
}
