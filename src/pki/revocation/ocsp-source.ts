// OCSP (RFC 6960) as nemid-protocol.md §7 fixes it: a SHA-1 (or SHA-256) CertID with a nonce, POSTed as DER; the
// answer counts only when every check passes: successful status, one SingleResponse for exactly our CertID, a
// responder that is the issuing CA or its delegate (EKU OCSPSigning + ocsp-nocheck, valid now), a valid signature,
// a current thisUpdate/nextUpdate and our nonce if echoed. `unknown` counts as revoked. ASN.1 is read with pkijs.
import { createHash, randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { parseCertificate, type ParsedCertificate } from '../certificate.js';
import { childrenOf, readRoot, TAG, wholeOf } from '../der.js';
import { namesEqual, parseName, type ParsedName } from '../names.js';
import { OID } from '../oids.js';
import { verifySignature } from '../signatures.js';
import { isIssuedBy } from '../trust-store.js';
import { fetchBytes, hostAllowed, type FetchLike } from './http-fetch.js';
import { silentLogger, type Logger, type MetricHook, type RevocationAnswer, type RevocationQuery, type RevocationSource } from './types.js';

export interface OcspSourceOptions {
  allowedHosts: readonly string[];
  timeoutMs?: number;
  hash?: 'SHA-1' | 'SHA-256';
  /** Upper bound on caching a good answer (default and maximum 10 min). */
  maxCacheMs?: number;
  log?: Logger;
  onMetric?: MetricHook;
  fetchImpl?: FetchLike;
}

const CLOCK_SKEW_MS = 60_000;
const NO_NEXT_UPDATE_MAX_AGE_MS = 10 * 60_000;
const MAX_RESPONSE_BYTES = 1024 * 1024;

class OcspRefused extends Error {}

function refuse(reason: string): never {
  throw new OcspRefused(reason);
}

function serialBytes(serialHex: string): Buffer {
  const bytes = Buffer.from(serialHex.length % 2 ? `0${serialHex}` : serialHex, 'hex');
  return bytes[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
}

function canonicalHex(view: Uint8Array): string {
  let start = 0;
  while (start < view.length - 1 && view[start] === 0) start++;
  return Buffer.from(view.subarray(start)).toString('hex').toUpperCase();
}

interface CertIdFields {
  hashOid: string;
  nameHash: Buffer;
  keyHash: Buffer;
  serialHex: string;
}

export function ocspCertId(certificate: ParsedCertificate, issuer: ParsedCertificate, hash: 'SHA-1' | 'SHA-256'): CertIdFields {
  const algorithm = hash === 'SHA-1' ? 'sha1' : 'sha256';
  return {
    hashOid: hash === 'SHA-1' ? OID.sha1 : OID.sha256,
    nameHash: createHash(algorithm).update(issuer.subjectDer).digest(),
    keyHash: createHash(algorithm).update(issuer.publicKeyBits).digest(),
    serialHex: certificate.serialHex,
  };
}

export function buildOcspRequest(certId: CertIdFields, nonce: Buffer): Buffer {
  const request = new pkijs.OCSPRequest();
  request.tbsRequest.requestList = [
    new pkijs.Request({
      reqCert: new pkijs.CertID({
        hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: certId.hashOid, algorithmParams: new asn1js.Null() }),
        issuerNameHash: new asn1js.OctetString({ valueHex: certId.nameHash }),
        issuerKeyHash: new asn1js.OctetString({ valueHex: certId.keyHash }),
        serialNumber: new asn1js.Integer({ valueHex: serialBytes(certId.serialHex) }),
      }),
    }),
  ];
  request.tbsRequest.requestExtensions = [
    new pkijs.Extension({ extnID: OID.ocspNonce, extnValue: new asn1js.OctetString({ valueHex: nonce }).toBER(false) }),
  ];
  return Buffer.from(request.toSchema(true).toBER(false));
}

/** The responder certificates of a BasicOCSPResponse, as their exact DER. */
function embeddedCertificates(basicDer: Buffer): Buffer[] {
  const root = readRoot(basicDer, TAG.SEQUENCE, 'BasicOCSPResponse');
  const certs = childrenOf(basicDer, root)[3];
  if (!certs) return [];
  if (certs.tag !== 0xa0) refuse('unexpected field in BasicOCSPResponse');
  const [list] = childrenOf(basicDer, certs);
  return list ? childrenOf(basicDer, list).map((tlv) => Buffer.from(wholeOf(basicDer, tlv))) : [];
}

function nonceMatches(extensions: pkijs.Extension[] | undefined, nonce: Buffer): boolean {
  const echoed = extensions?.find((e) => e.extnID === OID.ocspNonce);
  if (!echoed) return true; // Nets' responders did not always echo; a different nonce is refused
  const raw = Buffer.from(echoed.extnValue.valueBlock.valueHexView);
  if (raw.equals(nonce)) return true;
  const inner = asn1js.fromBER(raw);
  return inner.offset !== -1 && inner.result instanceof asn1js.OctetString && Buffer.from(inner.result.valueBlock.valueHexView).equals(nonce);
}

/** Judges a DER OCSPResponse for `certId`; returns the status and how long a good answer may be cached. */
export function judgeOcspResponse(
  responseDer: Buffer,
  expected: { certId: CertIdFields; nonce: Buffer; issuer: ParsedCertificate; at: Date },
): { status: 'GOOD' | 'REVOKED'; certStatus: 'good' | 'revoked' | 'unknown'; cacheUntil?: Date } {
  const parsed = asn1js.fromBER(responseDer);
  if (parsed.offset === -1 || parsed.offset !== responseDer.length) refuse('OCSP response not DER');
  const response = new pkijs.OCSPResponse({ schema: parsed.result });
  if (response.responseStatus.valueBlock.valueDec !== 0) refuse(`OCSP responseStatus ${response.responseStatus.valueBlock.valueDec}`);
  if (!response.responseBytes || response.responseBytes.responseType !== OID.ocspBasic) refuse('not a basic OCSP response');
  const basicDer = Buffer.from(response.responseBytes.response.valueBlock.valueHexView);
  const basic = pkijs.BasicOCSPResponse.fromBER(basicDer);
  const data = basic.tbsResponseData;
  if (data.responses.length !== 1) refuse('expected exactly one SingleResponse');
  const single = data.responses[0]!;
  const id = single.certID;
  const { certId } = expected;
  if (
    id.hashAlgorithm.algorithmId !== certId.hashOid ||
    !Buffer.from(id.issuerNameHash.valueBlock.valueHexView).equals(certId.nameHash) ||
    !Buffer.from(id.issuerKeyHash.valueBlock.valueHexView).equals(certId.keyHash) ||
    canonicalHex(id.serialNumber.valueBlock.valueHexView) !== certId.serialHex
  ) {
    refuse('SingleResponse is for another certificate');
  }

  // The responder: the issuing CA itself, or certs[0] delegated by it.
  const issuer = expected.issuer;
  const embedded = embeddedCertificates(basicDer).map((der) => parseCertificate(der));
  let responder: ParsedCertificate;
  const first = embedded[0];
  if (!first || first.fingerprint256 === issuer.fingerprint256) {
    responder = issuer;
  } else {
    responder = first;
    if (!isIssuedBy(responder, issuer)) refuse('responder certificate not issued by the issuing CA');
    if (!responder.extendedKeyUsage?.includes(OID.kpOcspSigning)) refuse('responder lacks id-kp-OCSPSigning');
    if (!responder.ocspNoCheck) refuse('responder lacks id-pkix-ocsp-nocheck');
    if (responder.unknownCriticalExtensions.length > 0) refuse('responder has an unknown critical extension');
    if (expected.at < responder.notBefore || expected.at > responder.notAfter) refuse('responder certificate not valid now');
  }
  const responderId = data.responderID;
  if (responderId instanceof asn1js.OctetString) {
    const keyHash = createHash('sha1').update(responder.publicKeyBits).digest();
    if (!Buffer.from(responderId.valueBlock.valueHexView).equals(keyHash)) refuse('responderID (by key) does not match');
  } else {
    const byName = parseCertificateName(responderId);
    if (!byName || !namesEqual(byName, responder.subjectName)) refuse('responderID (by name) does not match');
  }
  const tbs = Buffer.from(data.tbsView);
  const signature = Buffer.from(basic.signature.valueBlock.valueHexView);
  if (!verifySignature(basic.signatureAlgorithm.algorithmId, tbs, signature, responder.publicKey)) refuse('OCSP signature invalid');

  const now = expected.at.getTime();
  const thisUpdate = single.thisUpdate.getTime();
  if (thisUpdate > now + CLOCK_SKEW_MS) refuse('thisUpdate in the future');
  const nextUpdate = single.nextUpdate?.getTime();
  if (nextUpdate !== undefined) {
    if (now > nextUpdate) refuse('OCSP response past nextUpdate');
  } else if (thisUpdate < now - NO_NEXT_UPDATE_MAX_AGE_MS) {
    refuse('OCSP response without nextUpdate is too old');
  }
  if (!nonceMatches(data.responseExtensions, expected.nonce)) refuse('nonce differs');

  const statusTag = (single.certStatus as asn1js.BaseBlock).idBlock.tagNumber;
  const tagClass = (single.certStatus as asn1js.BaseBlock).idBlock.tagClass;
  if (tagClass !== 3 || statusTag > 2) refuse('certStatus malformed');
  if (statusTag === 0) {
    const cacheUntil = new Date(Math.min(nextUpdate ?? now, now + NO_NEXT_UPDATE_MAX_AGE_MS));
    return { status: 'GOOD', certStatus: 'good', cacheUntil };
  }
  return { status: 'REVOKED', certStatus: statusTag === 1 ? 'revoked' : 'unknown' };
}

/** responderID byName, read with the same name parser as certificates. */
function parseCertificateName(name: pkijs.RelativeDistinguishedNames): ParsedName | undefined {
  try {
    const der = Buffer.from(name.toSchema().toBER(false));
    return parseName(der, readRoot(der, TAG.SEQUENCE, 'Name'));
  } catch {
    return undefined;
  }
}

export function createOcspSource(options: OcspSourceOptions): RevocationSource {
  const log = options.log ?? silentLogger;
  const hash = options.hash ?? 'SHA-1';
  const maxCacheMs = Math.min(options.maxCacheMs ?? NO_NEXT_UPDATE_MAX_AGE_MS, NO_NEXT_UPDATE_MAX_AGE_MS);
  const goodUntil = new Map<string, number>();

  return {
    async check(query: RevocationQuery): Promise<RevocationAnswer> {
      const { certificate, issuer, at } = query;
      const cacheKey = `${issuer.fingerprint256}/${certificate.serialHex}`;
      const cached = goodUntil.get(cacheKey);
      if (cached !== undefined && at.getTime() <= cached) return { status: 'GOOD', source: 'ocsp' };
      goodUntil.delete(cacheKey);

      const url = certificate.ocspUrls.find((candidate) => {
        try {
          return hostAllowed(new URL(candidate), options.allowedHosts);
        } catch {
          return false;
        }
      });
      if (!url) return { status: 'UNAVAILABLE', reason: 'no OCSP URL on the allow-list' };
      const certId = ocspCertId(certificate, issuer, hash);
      const nonce = randomBytes(16);
      const started = process.hrtime.bigint();
      const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
      try {
        const body = await fetchBytes(url, {
          allowedHosts: options.allowedHosts,
          timeoutMs: options.timeoutMs ?? 10_000,
          maxBytes: MAX_RESPONSE_BYTES,
          method: 'POST',
          body: buildOcspRequest(certId, nonce),
          contentType: 'application/ocsp-request',
          accept: 'application/ocsp-response',
          ...(options.fetchImpl ? { fetchImpl: options.fetchImpl } : {}),
        });
        const judged = judgeOcspResponse(body, { certId, nonce, issuer, at });
        options.onMetric?.({ name: 'ocsp_request', url, seconds: seconds(), outcome: judged.certStatus });
        if (judged.status === 'GOOD') {
          if (judged.cacheUntil) goodUntil.set(cacheKey, Math.min(judged.cacheUntil.getTime(), at.getTime() + maxCacheMs));
          return { status: 'GOOD', source: 'ocsp' };
        }
        return { status: 'REVOKED', source: 'ocsp', ...(judged.certStatus === 'unknown' ? { reason: 'OCSP unknown' } : {}) };
      } catch (error) {
        options.onMetric?.({ name: 'ocsp_request', url, seconds: seconds(), outcome: 'error' });
        const reason = error instanceof Error ? error.message : 'OCSP failed';
        log.warn({ url, reason }, 'OCSP answer unusable');
        return { status: 'UNAVAILABLE', reason };
      }
    },
  };
}
