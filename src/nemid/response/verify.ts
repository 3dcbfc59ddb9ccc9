import { createHash } from 'node:crypto';
import { verifyEnvelopingSignature } from '../../xml/index.js';
import type { CertificateValidator, OcesIdentity } from '../../pki/index.js';
import { checkLeafCertificate, type LoginCertificateVerdict } from './certificate-check.js';
import { evidenceDocument } from './evidence.js';
import {
  checkAction,
  checkChallenge,
  checkRequestIssuer,
  checkTimestamp,
  propertyRecord,
  readSignedProperties,
  type SignedProperties,
  type SignedProperty,
} from './properties.js';
import { NEMID_SIGNATURE_CODES, readNemidDocument } from './structure.js';

// The verification checklist of nemid-protocol.md §4.5, steps 2–12 and 14, in order. Step 13 (the replay record) is
// the caller's: it stores `signatureValueDigest` in PostgreSQL. Every failure is an IdpError with the step's code.

/** Values only a live login knows. Each given value is checked; login/ passes all of them. */
export interface ExpectedProperties {
  challenge?: string | undefined;
  requestIssuer?: string | undefined;
  timestamp?: string | undefined;
  /** Which client the transaction started (the CodeFile client signs no TimeStamp). */
  client?: 'js' | 'codefile' | undefined;
}

export interface VerifyNemidResponseOptions {
  validator: CertificateValidator;
  at: Date;
  expected: ExpectedProperties;
  /** `skip` only for offline evidence whose CRLs are gone (verify-response --revocation skip). */
  revocation?: 'check' | 'skip';
}

export interface VerifiedNemidResponse {
  readonly identity: OcesIdentity;
  readonly type: 'POCES' | 'MOCES';
  readonly signedProperties: SignedProperties;
  /** The same properties with their encodings and signed text, in document order. */
  readonly signedPropertyList: readonly SignedProperty[];
  /** SHA-256 of the decoded SignatureValue: the response's identity for replay protection (step 13). */
  readonly signatureValueDigest: Buffer;
  /**
   * What is kept as evidence: a NemID document rebuilt from what was signed (SignedInfo and Object as signed, the
   * SignatureValue, the certificate chain of the verdict), never the received bytes (see evidence.ts).
   */
  readonly evidenceXml: string;
  readonly rememberUseridToken?: string;
  readonly identityAssuranceLevel?: string;
  readonly certificateStatus: LoginCertificateVerdict;
}

export async function verifyNemidResponse(
  unverifiedXml: Buffer | string,
  options: VerifyNemidResponseOptions,
): Promise<VerifiedNemidResponse> {
  const document = readNemidDocument(unverifiedXml);
  const verified = verifyEnvelopingSignature(document.parts, document.leaf.publicKey, NEMID_SIGNATURE_CODES);
  const verdict = await checkLeafCertificate(options.validator, document.leafDer, document.bagDers, {
    at: options.at,
    revocation: options.revocation ?? 'check',
  });
  const properties = readSignedProperties(verified.signedObject);
  checkAction(properties);
  checkExpectedProperties(properties, options.expected);

  const signedProperties = propertyRecord(properties);
  const result: VerifiedNemidResponse = {
    identity: verdict.identity,
    type: verdict.type,
    signedProperties,
    signedPropertyList: properties,
    signatureValueDigest: createHash('sha256').update(verified.signatureValue).digest(),
    evidenceXml: evidenceDocument(document.parts, verified.signedObjectBytes, verdict.chainDer ?? []),
    certificateStatus: verdict,
    ...(signedProperties.rememberUseridToken === undefined ? {} : { rememberUseridToken: signedProperties.rememberUseridToken }),
    ...(signedProperties.identityAssuranceLevel === undefined ? {} : { identityAssuranceLevel: signedProperties.identityAssuranceLevel }),
  };
  return result;
}

/** Steps 10–12 for every expected value given; login/ may also call the single checks after its compare-and-set. */
export function checkExpectedProperties(properties: readonly SignedProperty[], expected: ExpectedProperties): void {
  if (expected.challenge !== undefined) checkChallenge(properties, expected.challenge);
  if (expected.requestIssuer !== undefined) checkRequestIssuer(properties, expected.requestIssuer);
  if (expected.timestamp !== undefined) checkTimestamp(properties, expected.timestamp, expected.client);
}
