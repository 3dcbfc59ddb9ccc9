// The OCSP response builder the simulator serves (nemid-protocol.md §10 item 6): answers SHA-1 and SHA-256 CertIDs
// for one issuing CA, echoes the nonce, signs with a delegated responder key and names the responder by key hash.
// Requests are untrusted: anything malformed gets the `malformedRequest` status, never an exception.
import { createHash, type KeyObject } from 'node:crypto';
import type { ParsedCertificate } from '../certificate.js';
import { DerError, TAG, childrenOf, contentOf, decodeIntegerHex, decodeOid, readRoot, wholeOf } from '../der.js';
import {
  algorithm,
  bitString,
  enumerated,
  explicit,
  extension,
  generalizedTime,
  implicitConstructed,
  implicitPrimitive,
  octetString,
  oid,
  sequence,
} from '../der-write.js';
import { OID } from '../oids.js';
import { CRL_REASON, signSha256Rsa, type CrlReason } from './builders.js';

export type OcspLookup = (serialHex: string) => { status: 'good' } | { status: 'revoked'; revokedAt: Date; reason?: CrlReason } | { status: 'unknown' };

export interface OcspResponderOptions {
  issuer: ParsedCertificate;
  responderCertificateDer: Buffer;
  responderKey: KeyObject;
  responderPublicKeyBits: Buffer;
  lookup: OcspLookup;
  now: Date;
  /** nextUpdate = now + this (default 10 minutes); 0 leaves nextUpdate out. */
  validityMs?: number;
}

const STATUS = { successful: 0, malformedRequest: 1, internalError: 2 } as const;
const HASHES: Readonly<Record<string, string>> = { [OID.sha1]: 'sha1', [OID.sha256]: 'sha256' };

interface ParsedRequest {
  certIds: Array<{ der: Buffer; hashOid: string; nameHash: Buffer; keyHash: Buffer; serialHex: string }>;
  nonce?: Buffer;
}

function parseRequest(der: Buffer): ParsedRequest {
  const root = readRoot(der, TAG.SEQUENCE, 'OCSPRequest');
  const [tbs] = childrenOf(der, root);
  if (!tbs || tbs.tag !== TAG.SEQUENCE) throw new DerError('TBSRequest missing');
  const parts = childrenOf(der, tbs);
  const list = parts.find((p) => p.tag === TAG.SEQUENCE);
  if (!list) throw new DerError('requestList missing');
  const certIds = childrenOf(der, list).map((request) => {
    const [certId] = childrenOf(der, request);
    if (!certId) throw new DerError('Request without CertID');
    const [hashAlgorithm, nameHash, keyHash, serial] = childrenOf(der, certId);
    if (!hashAlgorithm || !nameHash || !keyHash || !serial) throw new DerError('CertID incomplete');
    const [hashOid] = childrenOf(der, hashAlgorithm);
    if (!hashOid || nameHash.tag !== TAG.OCTET_STRING || keyHash.tag !== TAG.OCTET_STRING) throw new DerError('CertID malformed');
    return {
      der: Buffer.from(wholeOf(der, certId)),
      hashOid: decodeOid(der, hashOid),
      nameHash: Buffer.from(contentOf(der, nameHash)),
      keyHash: Buffer.from(contentOf(der, keyHash)),
      serialHex: decodeIntegerHex(der, serial),
    };
  });
  if (certIds.length === 0) throw new DerError('empty requestList');
  let nonce: Buffer | undefined;
  const extensionsWrapper = parts.find((p) => p.tag === 0xa2);
  if (extensionsWrapper) {
    const [extensions] = childrenOf(der, extensionsWrapper);
    for (const ext of extensions ? childrenOf(der, extensions) : []) {
      const fields = childrenOf(der, ext);
      if (fields[0] && decodeOid(der, fields[0]) === OID.ocspNonce) {
        const value = fields[fields.length - 1]!;
        nonce = Buffer.from(contentOf(der, value));
      }
    }
  }
  return nonce ? { certIds, nonce } : { certIds };
}

function statusOnly(status: number): Buffer {
  return sequence(enumerated(status));
}

/** Builds a DER OCSPResponse for `requestDer`. */
export function buildOcspResponse(requestDer: Buffer, options: OcspResponderOptions): Buffer {
  let request: ParsedRequest;
  try {
    request = parseRequest(requestDer);
  } catch {
    return statusOnly(STATUS.malformedRequest);
  }
  const { issuer, now } = options;
  const validityMs = options.validityMs ?? 10 * 60_000;
  const singles = request.certIds.map((certId) => {
    const hash = HASHES[certId.hashOid];
    const ours =
      hash !== undefined &&
      createHash(hash).update(issuer.subjectDer).digest().equals(certId.nameHash) &&
      createHash(hash).update(issuer.publicKeyBits).digest().equals(certId.keyHash);
    const answer = ours ? options.lookup(certId.serialHex) : ({ status: 'unknown' } as const);
    const certStatus =
      answer.status === 'good'
        ? implicitPrimitive(0, Buffer.alloc(0))
        : answer.status === 'revoked'
          ? implicitConstructed(1, generalizedTime(answer.revokedAt), explicit(0, enumerated(CRL_REASON[answer.reason ?? 'unspecified'])))
          : implicitPrimitive(2, Buffer.alloc(0));
    return sequence(
      certId.der,
      certStatus,
      generalizedTime(now),
      ...(validityMs > 0 ? [explicit(0, generalizedTime(new Date(now.getTime() + validityMs)))] : []),
    );
  });
  const responderKeyHash = createHash('sha1').update(options.responderPublicKeyBits).digest();
  const responseData = sequence(
    explicit(2, octetString(responderKeyHash)),
    generalizedTime(now),
    sequence(...singles),
    ...(request.nonce ? [explicit(1, sequence(extension(OID.ocspNonce, false, request.nonce)))] : []),
  );
  const basic = sequence(
    responseData,
    algorithm(OID.sha256WithRSA),
    bitString(signSha256Rsa(responseData, options.responderKey)),
    explicit(0, sequence(options.responderCertificateDer)),
  );
  return sequence(enumerated(STATUS.successful), explicit(0, sequence(oid(OID.ocspBasic), octetString(basic))));
}
