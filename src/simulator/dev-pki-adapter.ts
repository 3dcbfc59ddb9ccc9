import { X509Certificate, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import { buildOcspResponse, type ParsedCertificate } from '../pki/index.js';
import { BoundedLru } from '../shared/index.js';
import type { CaName, ForgedChain, SimulatorCredential, SimulatorPki } from './pki-port.js';
import type { UserIdentity } from './users/model.js';
import { TEST_USERS } from './users/test-users.js';

// Adapts the dev-pki (src/pki/dev-pki, a DevPki instance) to the simulator's SimulatorPki port. Each test user gets
// its own certificate, issued once into the DevPki under the name `sim-<userId>` (so it is persisted with the
// dev PKI by whoever persists that, and reused when already there). The look-alike chain for `untrusted-root` is a
// second DevPki with the same names and other keys, made on first use by `createForgedPki`.

/** The parts of pki's DevPki the simulator uses (structural, so this file needs no import from dev-pki). */
export interface DevPkiLike {
  readonly root: { certificateDer: Buffer };
  readonly issuingCa: { certificateDer: Buffer; certificate: ParsedCertificate };
  readonly ocspResponder: { certificateDer: Buffer; privateKey: KeyObject; certificate: ParsedCertificate };
  readonly users: Map<string, { certificateDer: Buffer; privateKey: KeyObject; certificate: { serialHex: string } }>;
  readonly revocations: Map<string, { revokedAt: Date; list: 'root' | 'ca' }>;
  issueUserCertificate(options: {
    name: string;
    type: 'POCES' | 'MOCES';
    cn: string;
    pidOrRid: string;
    cvr?: string;
    organization?: string;
    youth?: boolean;
    notBefore?: Date;
    notAfter?: Date;
  }): Promise<{ certificateDer: Buffer; privateKey: KeyObject; certificate: { serialHex: string } }>;
  revoke(serialHex: string, options?: { revokedAt?: Date; reason?: 'keyCompromise'; list?: 'root' | 'ca' }): void;
  buildCrl(list: 'root' | 'ca', options?: { thisUpdate?: Date; nextUpdate?: Date }): Buffer;
  ocspRespond(requestDer: Buffer, options?: { now?: Date; status?: 'unknown' | 'revoked' }): Buffer;
}

const DAY = 24 * 3600 * 1000;
export const OCSP_VALIDITY_MS = 60_000;
const YEAR = 365 * DAY;

export const simulatorUserName = (user: UserIdentity) => `sim-${user.userId.toLowerCase()}`;

async function issue(pki: DevPkiLike, user: UserIdentity, now: Date, name = simulatorUserName(user)) {
  const existing = pki.users.get(name);
  if (existing) return { certificateDer: existing.certificateDer, privateKey: existing.privateKey, serialHex: existing.certificate.serialHex };
  const c = user.certificate;
  const issued = await pki.issueUserCertificate({
    name,
    type: c.kind,
    cn: c.commonName,
    pidOrRid: c.kind === 'POCES' ? (c.pid as string) : (c.rid as string),
    ...(c.kind === 'MOCES' ? { cvr: c.cvr as string, organization: c.company as string } : {}),
    ...(c.youth ? { youth: true } : {}),
    notBefore: c.expired ? new Date(now.getTime() - 4 * YEAR) : new Date(now.getTime() - DAY),
    notAfter: c.expired ? new Date(now.getTime() - YEAR) : new Date(now.getTime() + 3 * YEAR),
  });
  if (c.revoked) pki.revoke(issued.certificate.serialHex, { revokedAt: new Date(now.getTime() - 3_600_000), reason: 'keyCompromise' });
  return { certificateDer: issued.certificateDer, privateKey: issued.privateKey, serialHex: issued.certificate.serialHex };
}

/** Issues every test user's certificate now (start-up), so later logins never wait for key generation. */
export async function issueSimulatorUsers(pki: DevPkiLike, now: Date): Promise<void> {
  for (const user of TEST_USERS) await issue(pki, user, now);
}

// The SP's VOCES is asked about on every login: its serial is read once per distinct certificate.
const serials = new BoundedLru<string, string>(64);

function serialHexOf(certificateDer: Buffer): string | undefined {
  try {
    return serials.getOrCreate(certificateDer.toString('latin1'), () =>
      new X509Certificate(certificateDer).serialNumber.toUpperCase().replace(/^(00)+(?=[0-9A-F])/, ''),
    );
  } catch {
    return undefined;
  }
}

/** The OCSP response with one bit of the responder's signature flipped (switch ocsp=bad-signature). */
export function corruptOcspSignature(responseDer: Buffer): Buffer {
  const outer = asn1js.fromBER(new Uint8Array(responseDer));
  const responseBytes = (outer.result as asn1js.Sequence).valueBlock.value[1] as asn1js.Constructed | undefined;
  const inner = (responseBytes?.valueBlock.value[0] as asn1js.Sequence | undefined)?.valueBlock.value[1] as asn1js.OctetString | undefined;
  if (!inner) throw new Error('OCSP response without a BasicOCSPResponse');
  const basic = asn1js.fromBER(inner.valueBlock.valueHexView);
  const signature = (basic.result as asn1js.Sequence).valueBlock.value[2] as asn1js.BitString | undefined;
  if (!signature) throw new Error('BasicOCSPResponse without a signature');
  const signatureBytes = Buffer.from(signature.valueBlock.valueHexView);
  const at = responseDer.indexOf(signatureBytes);
  if (at < 0 || signatureBytes.length === 0) throw new Error('signature bytes not found');
  const corrupted = Buffer.from(responseDer);
  corrupted[at + signatureBytes.length - 1] = (corrupted[at + signatureBytes.length - 1] ?? 0) ^ 0x01;
  return corrupted;
}

export function devPkiAdapter(
  pki: DevPkiLike,
  options: { createForgedPki: () => Promise<DevPkiLike>; now: () => Date; spVocesName?: string },
): SimulatorPki & { spVocesDer?: Buffer } {
  let forged: Promise<DevPkiLike> | undefined;
  const voces = pki.users.get(options.spVocesName ?? 'voces-idp');
  return {
    rootDer: pki.root.certificateDer,
    issuingCaDer: pki.issuingCa.certificateDer,
    ...(voces ? { spVocesDer: voces.certificateDer } : {}),
    async userCredential(user): Promise<SimulatorCredential> {
      const { certificateDer, privateKey } = await issue(pki, user, options.now());
      return { certificateDer, privateKey };
    },
    async issueCertificate(user, now) {
      // Kept under a name of its own in memory only: the registry (PostgreSQL) is where created users live.
      const issued = await issue(pki, user, now, `created-${user.userId}-${Date.now().toString(36)}`);
      return {
        certificateDer: issued.certificateDer,
        privateKeyPem: issued.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        serialHex: issued.serialHex,
      };
    },
    async forgedChain(user): Promise<ForgedChain> {
      forged ??= options.createForgedPki();
      const lookAlike = await forged;
      const credential = await issue(lookAlike, { ...user, certificate: { ...user.certificate, revoked: false, expired: false } }, options.now());
      return {
        leafDer: credential.certificateDer,
        issuingCaDer: lookAlike.issuingCa.certificateDer,
        rootDer: lookAlike.root.certificateDer,
        privateKey: credential.privateKey,
      };
    },
    isRevoked(certificateDer) {
      const serial = serialHexOf(certificateDer);
      return serial === undefined || pki.revocations.has(serial);
    },
    async crl(ca: CaName, thisUpdate, nextUpdate, registry) {
      // A revocation never ends, so the registry's are merged into the dev PKI's list for good.
      for (const [serialHex, revokedAt] of registry?.revoked ?? []) {
        if (!pki.revocations.has(serialHex)) pki.revoke(serialHex, { revokedAt, reason: 'keyCompromise', list: 'ca' });
      }
      return pki.buildCrl(ca === 'root' ? 'root' : 'ca', { thisUpdate, nextUpdate });
    },
    async ocsp(requestDer, answer) {
      const known = new Set([...pki.users.values()].map((user) => user.certificate.serialHex));
      known.add(pki.ocspResponder.certificate.serialHex);
      const der = buildOcspResponse(requestDer, {
        issuer: pki.issuingCa.certificate,
        responderCertificateDer: pki.ocspResponder.certificateDer,
        responderKey: pki.ocspResponder.privateKey,
        responderPublicKeyBits: pki.ocspResponder.certificate.publicKeyBits,
        now: answer.now,
        // A short nextUpdate: verifiers cache a good answer until then, so a revocation on a user's page reaches an
        // IdP in OCSP mode within a minute.
        validityMs: OCSP_VALIDITY_MS,
        lookup: (serialHex) => {
          if (answer.forceStatus === 'unknown') return { status: 'unknown' };
          const revokedAt = answer.registry?.revoked.get(serialHex) ?? (pki.revocations.get(serialHex)?.list === 'ca' ? pki.revocations.get(serialHex)?.revokedAt : undefined);
          if (answer.forceStatus === 'revoked' || revokedAt) return { status: 'revoked', revokedAt: revokedAt ?? answer.now, reason: 'keyCompromise' };
          return known.has(serialHex) || answer.registry?.known.has(serialHex) ? { status: 'good' } : { status: 'unknown' };
        },
      });
      return answer.badSignature ? corruptOcspSignature(der) : der;
    },
  };
}
