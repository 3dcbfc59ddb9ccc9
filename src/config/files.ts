import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { KeyPair } from './types.js';

/** Reads a PEM key and certificate pair, adding one readable problem per fault, each naming its setting. */
export function readKeyPair(
  keySetting: string,
  keyPath: string,
  certSetting: string,
  certPath: string,
  problems: string[],
): KeyPair | null {
  const keyPem = readText(keySetting, keyPath, problems);
  const certPem = readText(certSetting, certPath, problems);
  if (keyPem === null || certPem === null) return null;
  let key;
  let cert;
  try {
    key = createPrivateKey(keyPem);
  } catch {
    problems.push(`${keySetting}: ${keyPath} is not a readable PEM private key (encrypted keys are not supported)`);
  }
  try {
    cert = new X509Certificate(certPem);
  } catch {
    problems.push(`${certSetting}: ${certPath} is not a PEM X.509 certificate`);
  }
  if (!key || !cert) return null;
  if (key.asymmetricKeyType !== 'rsa' || (key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) {
    problems.push(`${keySetting}: ${keyPath} must be an RSA key of at least 2048 bits`);
    return null;
  }
  const fromKey = createPublicKey(key).export({ type: 'spki', format: 'der' });
  const fromCert = cert.publicKey.export({ type: 'spki', format: 'der' });
  if (!fromKey.equals(fromCert)) {
    problems.push(`${keySetting}/${certSetting}: the key in ${keyPath} does not belong to the certificate in ${certPath}`);
    return null;
  }
  return { keyPath, certPath, key, keyPem, cert, certPem };
}

export function readText(setting: string, path: string, problems: string[]): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    problems.push(`${setting}: cannot read ${path} (${reason})`);
    return null;
  }
}
