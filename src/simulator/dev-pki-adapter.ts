import { X509Certificate, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import { BoundedLru } from '../shared/index.js';
import type { CaName, ForgedChain, SimulatorCredential, SimulatorPki } from './pki-port.js';
import { TEST_USERS, type TestUser } from './users/test-users.js';

// Adapts the dev-pki (src/pki/dev-pki, a DevPki instance) to the simulator's SimulatorPki port. Each test user gets
// its own certificate, issued once into the DevPki under the name `sim-<userId>` (so it is persisted with the
// dev PKI by whoever persists that, and reused when already there). The look-alike chain for `untrusted-root` is a
// second DevPki with the same names and other keys, made on first use by `createForgedPki`.

/** The parts of pki's DevPki the simulator uses (structural, so this file needs no import from dev-pki). */
export interface DevPkiLike {
  readonly root: { certificateDer: Buffer };
  readonly issuingCa: { certificateDer: Buffer };
  readonly users: Map<string, { certificateDer: Buffer; privateKey: KeyObject }>;
  readonly revocations: Map<string, unknown>;
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
const YEAR = 365 * DAY;

export const simulatorUserName = (user: TestUser) => `sim-${user.userId.toLowerCase()}`;

async function issue(pki: DevPkiLike, user: TestUser, now: Date): Promise<SimulatorCredential> {
  const existing = pki.users.get(simulatorUserName(user));
  if (existing) return { certificateDer: existing.certificateDer, privateKey: existing.privateKey };
  const c = user.certificate;
  const issued = await pki.issueUserCertificate({
    name: simulatorUserName(user),
    type: c.kind,
    cn: c.commonName,
    pidOrRid: c.kind === 'POCES' ? (c.pid as string) : (c.rid as string),
    ...(c.kind === 'MOCES' ? { cvr: c.cvr as string, organization: c.company as string } : {}),
    ...(c.youth ? { youth: true } : {}),
    notBefore: c.expired ? new Date(now.getTime() - 4 * YEAR) : new Date(now.getTime() - DAY),
    notAfter: c.expired ? new Date(now.getTime() - YEAR) : new Date(now.getTime() + 3 * YEAR),
  });
  if (c.revoked) pki.revoke(issued.certificate.serialHex, { revokedAt: new Date(now.getTime() - 3_600_000), reason: 'keyCompromise' });
  return { certificateDer: issued.certificateDer, privateKey: issued.privateKey };
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
    userCredential: (user) => issue(pki, user, options.now()),
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
    async crl(ca: CaName, thisUpdate, nextUpdate) {
      return pki.buildCrl(ca === 'root' ? 'root' : 'ca', { thisUpdate, nextUpdate });
    },
    async ocsp(requestDer, answer) {
      const der = pki.ocspRespond(requestDer, { now: answer.now, ...(answer.forceStatus ? { status: answer.forceStatus } : {}) });
      return answer.badSignature ? corruptOcspSignature(der) : der;
    },
  };
}
