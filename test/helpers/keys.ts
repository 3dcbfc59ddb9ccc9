import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throw-away RSA key with a self-signed certificate, written to a temp dir (openssl makes the certificate). */
export function makeTestKeyPair(name = 'test', bits = 2048): { dir: string; keyPath: string; certPath: string; keyPem: string; certPem: string } {
  const dir = mkdtempSync(join(tmpdir(), `nemid-idp-${name}-`));
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const keyPath = join(dir, `${name}.TEST-ONLY.key.pem`);
  const certPath = join(dir, `${name}.cert.pem`);
  writeFileSync(keyPath, keyPem, { mode: 0o600 });
  execFileSync('openssl', ['req', '-new', '-x509', '-key', keyPath, '-out', certPath, '-days', '3650', '-subj', `/CN=${name} TEST ONLY`], { stdio: 'ignore' });
  const certPem = new X509Certificate(readFileSync(certPath)).toString();
  return { dir, keyPath, certPath, keyPem, certPem };
}

