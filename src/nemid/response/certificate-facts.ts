import { parseCertificate, type ParsedCertificate } from '../../pki/index.js';

// What step 3 needs to tell the leaf from the CA certificates in KeyInfo, structurally and never by position.
// A certificate pki cannot parse makes the document malformed.

export type CertificateFacts = Pick<ParsedCertificate, 'isCa' | 'keyUsage' | 'publicKey'>;

export function certificateFacts(der: Buffer): CertificateFacts {
  return parseCertificate(der, { errorCode: 'NEMID_RESPONSE_MALFORMED' });
}
