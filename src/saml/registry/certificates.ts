import { X509Certificate } from 'node:crypto';

// "Usable" certificate (saml-profile.md §8.1): parses as X.509 with an RSA key of at least 2048 bits. Dates are not
// enforced (the metadata file is the trust anchor); expiry is reported as a warning only.

export interface UsableCertificate {
  pem: string;
  notAfter: Date;
}

export function pemFromBase64Der(base64: string): string {
  const body = base64.replace(/\s+/g, '');
  const lines = body.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/** The certificate as PEM when usable; otherwise a reason. */
export function usableCertificate(base64Der: string): UsableCertificate | { problem: string } {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(Buffer.from(base64Der.replace(/\s+/g, ''), 'base64'));
  } catch {
    return { problem: 'does not parse as an X.509 certificate' };
  }
  const key = certificate.publicKey;
  if (key.asymmetricKeyType !== 'rsa') return { problem: `key type ${key.asymmetricKeyType ?? 'unknown'} is not RSA` };
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < 2048) return { problem: `RSA key of ${bits} bits is shorter than 2048` };
  return { pem: certificate.toString(), notAfter: new Date(certificate.validTo) };
}
