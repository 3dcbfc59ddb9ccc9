// The certificate decision: chain to the pinned root, CA constraints, OCES profile, validity at the given instant,
// then revocation of the leaf and of each issuing CA. Only a complete, explicit success is VALID; every input
// problem becomes a verdict, never an exception.
import type { ErrorCode } from '../errors/index.js';
import { systemClock, type Clock } from '../shared/index.js';
import { parseCertificate, type ParsedCertificate } from './certificate.js';
import { buildChain } from './chain.js';
import { readOcesIdentity, type OcesIdentity, type OcesType } from './oces-profile.js';
import { silentLogger, type Logger, type RevocationAnswer, type RevocationSource, type RevocationStatus } from './revocation/types.js';
import type { TrustStore } from './trust-store.js';

export type CertificateStatus = 'VALID' | 'EXPIRED' | 'NOT_YET_VALID' | 'REVOKED' | 'UNTRUSTED' | 'REVOCATION_UNAVAILABLE';

export interface ChainElement {
  subject: string;
  serialHex: string;
  notAfter: Date;
  revocation: RevocationStatus;
}

export interface CertificateVerdict {
  status: CertificateStatus;
  type?: OcesType;
  identity?: OcesIdentity;
  revocation: RevocationStatus;
  chain: ChainElement[];
  /** The chain as DER, leaf first, ending in the pinned root: what the verdict rests on (kept as login evidence). */
  chainDer?: Buffer[];
  /** For logs only. */
  reason?: string;
}

export interface ValidateOptions {
  at?: Date;
  revocation?: 'check' | 'skip';
}

export interface CertificateValidator {
  validate(leafDer: Buffer, bag: Buffer[], options: ValidateOptions): Promise<CertificateVerdict>;
}

/** The catalogue code a login fails with for a verdict; undefined for VALID. */
export function verdictErrorCode(verdict: CertificateVerdict): ErrorCode | undefined {
  const codes: Record<CertificateStatus, ErrorCode | undefined> = {
    VALID: undefined,
    EXPIRED: 'NEMID_CERT_EXPIRED',
    NOT_YET_VALID: 'NEMID_CERT_NOT_YET_VALID',
    REVOKED: 'NEMID_CERT_REVOKED',
    UNTRUSTED: 'NEMID_CERT_UNTRUSTED',
    REVOCATION_UNAVAILABLE: 'NEMID_REVOCATION_UNAVAILABLE',
  };
  return codes[verdict.status];
}

function tryParse(der: Buffer): ParsedCertificate | undefined {
  try {
    return parseCertificate(der);
  } catch {
    return undefined;
  }
}

export function createCertificateValidator(options: {
  trustStore: TrustStore;
  revocation: RevocationSource;
  clock?: Clock;
  log?: Logger;
}): CertificateValidator {
  const { trustStore, revocation } = options;
  const clock = options.clock ?? systemClock;
  const log = options.log ?? silentLogger;

  async function checkRevocation(query: Parameters<RevocationSource['check']>[0]): Promise<RevocationAnswer> {
    try {
      return await revocation.check(query);
    } catch (error) {
      log.error({ err: error, serial: query.certificate.serialHex }, 'revocation source failed');
      return { status: 'UNAVAILABLE', reason: 'revocation source failed' };
    }
  }

  async function decide(leafDer: Buffer, bag: Buffer[], validateOptions: ValidateOptions): Promise<CertificateVerdict> {
    const at = validateOptions.at ?? clock.now();
    const untrusted = (reason: string, chain: ChainElement[] = []): CertificateVerdict => ({
      status: 'UNTRUSTED',
      revocation: 'NOT_CHECKED',
      chain,
      reason,
    });
    const leaf = tryParse(leafDer);
    if (!leaf) return untrusted('leaf certificate malformed');
    const bagCertificates = bag.map(tryParse).filter((c): c is ParsedCertificate => c !== undefined);
    const built = buildChain(leaf, bagCertificates, trustStore);
    if (!built.ok) return untrusted(built.reason);
    const path = built.path;
    const chain: ChainElement[] = path.map((c) => ({
      subject: c.subject,
      serialHex: c.serialHex,
      notAfter: c.notAfter,
      revocation: 'NOT_CHECKED',
    }));
    if (!leaf.keyUsage.includes('digitalSignature')) return untrusted('leaf keyUsage lacks digitalSignature', chain);
    const profile = readOcesIdentity(leaf, trustStore.environment);
    if (!profile.ok) return untrusted(`OCES profile: ${profile.reason}`, chain);
    const identity = profile.identity;
    const base = { type: identity.type, identity, chain, chainDer: path.map((c) => c.der) };

    for (const certificate of path) {
      if (at.getTime() < certificate.notBefore.getTime()) {
        return { ...base, status: 'NOT_YET_VALID', revocation: 'NOT_CHECKED', reason: `not valid before ${certificate.notBefore.toISOString()}: serial ${certificate.serialHex} issued by ${certificate.issuer}` };
      }
      if (at.getTime() > certificate.notAfter.getTime()) {
        return { ...base, status: 'EXPIRED', revocation: 'NOT_CHECKED', reason: `expired ${certificate.notAfter.toISOString()}: serial ${certificate.serialHex} issued by ${certificate.issuer}` };
      }
    }
    if (validateOptions.revocation === 'skip') return { ...base, status: 'VALID', revocation: 'NOT_CHECKED' };

    // Leaf and every issuing CA below the root; the root itself has no revocation status.
    const answers = await Promise.all(
      path.slice(0, -1).map((certificate, i) =>
        checkRevocation({ certificate, issuer: path[i + 1]!, role: i === 0 ? 'leaf' : 'ca', at }),
      ),
    );
    answers.forEach((a, i) => (chain[i]!.revocation = a.status));
    const reasons = answers
      .map((a, i) => (a.reason ? `${i === 0 ? 'leaf' : `ca ${path[i]!.serialHex}`}: ${a.reason}` : ''))
      .filter(Boolean)
      .join('; ');
    const withReason = reasons ? { reason: reasons } : {};
    const leafStatus = answers[0]!.status;
    const revokedAt = answers.findIndex((a) => a.status === 'REVOKED');
    if (revokedAt !== -1) {
      // The cause first: which certificate, by issuer and serial, with the CRL entry's reason and date.
      const revoked = path[revokedAt]!;
      const entry = answers[revokedAt]!.revoked;
      const cause = [
        `${revokedAt === 0 ? 'the user certificate' : 'an issuing CA'} is revoked: serial ${revoked.serialHex} issued by ${revoked.issuer}`,
        `reason ${entry?.reason ?? 'not given'}`,
        ...(entry?.revokedAt ? [`revoked ${entry.revokedAt.toISOString()}`] : []),
        ...(answers[revokedAt]!.source ? [`by ${answers[revokedAt]!.source!.toUpperCase()}`] : []),
      ].join(', ');
      return { ...base, status: 'REVOKED', revocation: leafStatus, reason: reasons ? `${cause} (${reasons})` : cause };
    }
    // A leaf must have a definite GOOD; a CA may be NOT_CHECKED only where the source says so (offline CRL files).
    if (leafStatus !== 'GOOD' || answers.some((a) => a.status === 'UNAVAILABLE')) {
      return { ...base, status: 'REVOCATION_UNAVAILABLE', revocation: leafStatus, ...withReason };
    }
    return { ...base, status: 'VALID', revocation: 'GOOD', ...withReason };
  }

  return {
    async validate(leafDer, bag, validateOptions) {
      const verdict = await decide(leafDer, bag, validateOptions);
      if (verdict.status !== 'VALID') {
        log.warn({ status: verdict.status, reason: verdict.reason, serial: verdict.identity?.certificateSerialHex }, 'certificate not valid');
      }
      return verdict;
    },
  };
}
