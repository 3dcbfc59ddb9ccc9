// The simulator's own PKI, generated at run time (issue 4 item 5): root and issuing CA in the TRUST2408 layout,
// the IdP's VOCES, the standard test users, a delegated OCSP responder, CRLs and OCSP answers. Nothing here is
// trusted anywhere but in the `simulator` trust store, which pins this root's fingerprint.
import { createPublicKey, generateKeyPair, randomBytes, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { derToPem, parseCertificate, type ParsedCertificate } from '../certificate.js';
import { policyArc, type Environment, type OcesType } from '../oces-profile.js';
import { buildCertificate, buildCrl, encodeName, keyIdentifier, type CrlReason } from './builders.js';
import {
  ISSUING_CA_NAME,
  OCSP_RESPONDER_NAME,
  ROOT_NAME,
  authorityInfoAccess,
  authorityKeyId,
  caBasicConstraints,
  caKeyUsage,
  distributionPoints,
  emailExtension,
  leafBasicConstraints,
  leafKeyUsage,
  leafName,
  ocspSigningExtensions,
  policiesExtension,
  subjectKeyId,
  urlsFor,
  type DevPkiUrls,
} from './layout.js';
import { buildOcspResponse } from './ocsp-responder.js';
import { OID } from '../oids.js';

const generateKeyPairAsync = promisify(generateKeyPair);
const DAY = 24 * 3600 * 1000;
const YEAR = 365 * DAY;

export interface DevPkiCredential {
  readonly certificateDer: Buffer;
  readonly certificatePem: string;
  readonly privateKey: KeyObject;
  readonly privateKeyPem: string;
  readonly certificate: ParsedCertificate;
}

export interface DevPkiUser extends DevPkiCredential {
  readonly name: string;
  readonly type: OcesType;
}

export interface IssueUserOptions {
  /** Stable name the simulator keys the user by (e.g. `poces-valid`). */
  name: string;
  type: OcesType;
  cn: string;
  /** PID (POCES), RID (MOCES), UID (VOCES) or FID (FOCES), without prefix. */
  pidOrRid: string;
  cvr?: string;
  organization?: string;
  youth?: boolean;
  email?: string;
  notBefore?: Date;
  notAfter?: Date;
  /** Reuse a key pair (tests) instead of generating one. */
  privateKey?: KeyObject;
}

export interface RevocationRecord {
  serialHex: string;
  revokedAt: Date;
  reason: CrlReason;
  /** Which CRL lists it: the issuing CA's (users) or the root's (the issuing CA itself). */
  list: 'root' | 'ca';
}

export interface GenerateDevPkiOptions {
  /** The simulator origin, e.g. `http://localhost:8081`; CRL, OCSP and AIA URLs are built from it. */
  baseUrl: string;
  now?: Date;
  /** Root key size: 4096 as in TRUST2408; tests may pass 2048. */
  rootKeyBits?: number;
  keyBits?: number;
  /** See DevPki.policyEnvironment. */
  policyEnvironment?: Environment;
}

export async function newRsaKey(bits: number): Promise<KeyObject> {
  const { privateKey } = await generateKeyPairAsync('rsa', { modulusLength: bits, publicExponent: 0x10001 });
  return privateKey;
}

function randomSerialHex(): string {
  const bytes = randomBytes(8);
  bytes[0] = (bytes[0]! & 0x7f) | 0x10; // positive, never a leading zero octet
  return bytes.toString('hex').toUpperCase();
}

function credential(certificateDer: Buffer, privateKey: KeyObject): DevPkiCredential {
  return {
    certificateDer,
    certificatePem: derToPem(certificateDer),
    privateKey,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    certificate: parseCertificate(certificateDer, { errorCode: 'INTERNAL_ERROR' }),
  };
}

export class DevPki {
  readonly urls: DevPkiUrls;
  readonly users = new Map<string, DevPkiUser>();
  readonly revocations = new Map<string, RevocationRecord>();
  crlNumber = 1;
  /**
   * Whose OCES policy arc user certificates carry: the simulator's (default), or pre-production's for a staging PKI
   * that a `preproduction` service trusts through OCES_ROOT_SHA256 (tests). Not persisted.
   */
  policyEnvironment: Environment = 'simulator';

  constructor(
    readonly baseUrl: string,
    readonly root: DevPkiCredential,
    readonly issuingCa: DevPkiCredential,
    readonly ocspResponder: DevPkiCredential,
    readonly keyBits: number,
  ) {
    this.urls = urlsFor(baseUrl);
  }

  /** Root and issuing CA, for the simulator trust store. */
  trustCertificates(): Buffer[] {
    return [this.root.certificateDer, this.issuingCa.certificateDer];
  }

  get rootFingerprint256(): string {
    return this.root.certificate.fingerprint256;
  }

  async issueUserCertificate(options: IssueUserOptions): Promise<DevPkiUser> {
    if (options.type !== 'POCES' && !/^[0-9]{8}$/.test(options.cvr ?? '')) throw new TypeError('a CVR of 8 digits is required');
    const privateKey = options.privateKey ?? (await newRsaKey(this.keyBits));
    const serialHex = randomSerialHex();
    const notBefore = options.notBefore ?? new Date(Date.now() - DAY);
    const notAfter = options.notAfter ?? new Date(notBefore.getTime() + 3 * YEAR);
    const partition = Number(BigInt(`0x${serialHex}`) % 16n) + 1;
    const der = buildCertificate({
      serialHex,
      issuer: this.issuingCa.certificate.subjectDer,
      subject: encodeName(
        leafName({
          type: options.type,
          commonName: options.cn,
          id: options.pidOrRid,
          ...(options.cvr ? { cvr: options.cvr } : {}),
          ...(options.organization ? { organization: options.organization } : {}),
          ...(options.youth ? { youth: true } : {}),
        }),
      ),
      notBefore,
      notAfter,
      publicKey: publicKeyOf(privateKey),
      signingKey: this.issuingCa.privateKey,
      extensions: [
        leafKeyUsage(options.type),
        authorityInfoAccess(this.urls),
        policiesExtension(`${policyArc(this.policyEnvironment, options.type)}.1`),
        distributionPoints(this.urls.issuingCaCrl, ISSUING_CA_NAME, partition),
        authorityKeyId(keyIdentifier(publicKeyOf(this.issuingCa.privateKey))),
        subjectKeyId(keyIdentifier(publicKeyOf(privateKey))),
        leafBasicConstraints(),
        ...(options.email ? [emailExtension(options.email)] : []),
      ],
    });
    const user: DevPkiUser = { ...credential(der, privateKey), name: options.name, type: options.type };
    this.users.set(options.name, user);
    return user;
  }

  user(name: string): DevPkiUser {
    const found = this.users.get(name);
    if (!found) throw new RangeError(`no dev-pki user ${name}`);
    return found;
  }

  revoke(serialHex: string, options: { revokedAt?: Date; reason?: CrlReason; list?: 'root' | 'ca' } = {}): void {
    this.revocations.set(serialHex.toUpperCase(), {
      serialHex: serialHex.toUpperCase(),
      revokedAt: options.revokedAt ?? new Date(),
      reason: options.reason ?? 'keyCompromise',
      list: options.list ?? 'ca',
    });
  }

  /** A v2 full CRL of `list`, nextUpdate = thisUpdate + 12 h unless given. */
  buildCrl(list: 'root' | 'ca', options: { thisUpdate?: Date; nextUpdate?: Date } = {}): Buffer {
    const signer = list === 'root' ? this.root : this.issuingCa;
    const thisUpdate = options.thisUpdate ?? new Date();
    return buildCrl({
      issuer: signer.certificate.subjectDer,
      signingKey: signer.privateKey,
      authorityKeyId: keyIdentifier(publicKeyOf(signer.privateKey)),
      thisUpdate,
      nextUpdate: options.nextUpdate ?? new Date(thisUpdate.getTime() + 12 * 3600 * 1000),
      crlNumber: this.crlNumber++,
      entries: [...this.revocations.values()]
        .filter((r) => r.list === list)
        .map((r) => ({ serialHex: r.serialHex, revokedAt: r.revokedAt, reason: r.reason })),
    });
  }

  /** The DER OCSPResponse for a DER OCSPRequest about the issuing CA's certificates. */
  ocspRespond(requestDer: Buffer, options: { now?: Date; validityMs?: number; status?: 'unknown' | 'revoked' } = {}): Buffer {
    const known = new Set([...this.users.values()].map((u) => u.certificate.serialHex));
    known.add(this.ocspResponder.certificate.serialHex);
    return buildOcspResponse(requestDer, {
      issuer: this.issuingCa.certificate,
      responderCertificateDer: this.ocspResponder.certificateDer,
      responderKey: this.ocspResponder.privateKey,
      responderPublicKeyBits: this.ocspResponder.certificate.publicKeyBits,
      now: options.now ?? new Date(),
      ...(options.validityMs !== undefined ? { validityMs: options.validityMs } : {}),
      lookup: (serialHex) => {
        if (options.status === 'unknown') return { status: 'unknown' };
        const revoked = this.revocations.get(serialHex);
        if (options.status === 'revoked' || (revoked && revoked.list === 'ca')) {
          return { status: 'revoked', revokedAt: revoked?.revokedAt ?? new Date(), reason: revoked?.reason ?? 'keyCompromise' };
        }
        return known.has(serialHex) ? { status: 'good' } : { status: 'unknown' };
      },
    });
  }
}

export function publicKeyOf(privateKey: KeyObject): KeyObject {
  return createPublicKey(privateKey);
}

export async function buildAuthorities(options: GenerateDevPkiOptions & { rootKey?: KeyObject; caKey?: KeyObject; responderKey?: KeyObject }) {
  const now = options.now ?? new Date();
  const urls = urlsFor(options.baseUrl);
  const keyBits = options.keyBits ?? 2048;
  const [rootKey, caKey, responderKey] = await Promise.all([
    options.rootKey ?? newRsaKey(options.rootKeyBits ?? 4096),
    options.caKey ?? newRsaKey(keyBits),
    options.responderKey ?? newRsaKey(keyBits),
  ]);
  const rootName = encodeName(ROOT_NAME);
  const caName = encodeName(ISSUING_CA_NAME);
  const rootId = keyIdentifier(publicKeyOf(rootKey));
  const caId = keyIdentifier(publicKeyOf(caKey));
  const rootDer = buildCertificate({
    serialHex: randomSerialHex(),
    issuer: rootName,
    subject: rootName,
    // Back-dated so the `expired` user's whole window lies inside its issuers' windows.
    notBefore: new Date(now.getTime() - 5 * YEAR),
    notAfter: new Date(now.getTime() + 25 * YEAR),
    publicKey: publicKeyOf(rootKey),
    signingKey: rootKey,
    extensions: [caKeyUsage(), caBasicConstraints(), subjectKeyId(rootId)],
  });
  const caDer = buildCertificate({
    serialHex: randomSerialHex(),
    issuer: rootName,
    subject: caName,
    notBefore: new Date(now.getTime() - 5 * YEAR),
    notAfter: new Date(now.getTime() + 15 * YEAR),
    publicKey: publicKeyOf(caKey),
    signingKey: rootKey,
    extensions: [
      caKeyUsage(),
      caBasicConstraints(),
      policiesExtension(OID.anyPolicy),
      distributionPoints(urls.rootCrl, ROOT_NAME, 1),
      authorityKeyId(rootId),
      subjectKeyId(caId),
    ],
  });
  const responderDer = buildCertificate({
    serialHex: randomSerialHex(),
    issuer: caName,
    subject: encodeName(OCSP_RESPONDER_NAME),
    notBefore: new Date(now.getTime() - DAY),
    notAfter: new Date(now.getTime() + 2 * YEAR),
    publicKey: publicKeyOf(responderKey),
    signingKey: caKey,
    extensions: [...ocspSigningExtensions(), authorityKeyId(caId), subjectKeyId(keyIdentifier(publicKeyOf(responderKey)))],
  });
  const pki = new DevPki(options.baseUrl, credential(rootDer, rootKey), credential(caDer, caKey), credential(responderDer, responderKey), keyBits);
  if (options.policyEnvironment) pki.policyEnvironment = options.policyEnvironment;
  return pki;
}

/** The standard set: the IdP's VOCES and the users the simulator maps its test users onto. */
export const STANDARD_USERS: ReadonlyArray<IssueUserOptions & { revoked?: boolean; expired?: boolean }> = [
  { name: 'voces-idp', type: 'VOCES', cn: 'nemid-idp SIMULATOR IdP VOCES', pidOrRid: '10000001', cvr: '99000001', organization: 'nemid-idp SIMULATOR ApS' },
  { name: 'poces-valid', type: 'POCES', cn: 'Signe Simulator', pidOrRid: '9999-2002-2-000000000001' },
  { name: 'poces-revoked', type: 'POCES', cn: 'Rikke Revoked', pidOrRid: '9999-2002-2-000000000002', revoked: true },
  { name: 'poces-expired', type: 'POCES', cn: 'Erik Expired', pidOrRid: '9999-2002-2-000000000003', expired: true },
  { name: 'poces-youth', type: 'POCES', cn: 'Ulla Ung', pidOrRid: '9999-2002-2-000000000004', youth: true },
  { name: 'poces-pseudonym', type: 'POCES', cn: 'Pseudonym', pidOrRid: '9999-2002-2-000000000005' },
  { name: 'moces-valid', type: 'MOCES', cn: 'Morten Medarbejder', pidOrRid: '20000001', cvr: '99000002', organization: 'Simulator Firma ApS', email: 'morten@simulator.invalid' },
  { name: 'moces-revoked', type: 'MOCES', cn: 'Mette Revoked', pidOrRid: '20000002', cvr: '99000002', organization: 'Simulator Firma ApS', revoked: true },
];

/** Generates the whole simulator PKI with the standard users; the revoked ones are on the issuing CA's CRL. */
export async function generateDevPki(options: GenerateDevPkiOptions): Promise<DevPki> {
  const now = options.now ?? new Date();
  // Keys first, in parallel (generation runs on the thread pool), then the certificates in a stable order.
  const [pki, ...keys] = await Promise.all([
    buildAuthorities(options),
    ...STANDARD_USERS.map(() => newRsaKey(options.keyBits ?? 2048)),
  ]);
  for (const [i, spec] of STANDARD_USERS.entries()) {
    const { revoked, expired, ...issue } = spec;
    const user = await pki.issueUserCertificate({
      ...issue,
      privateKey: keys[i]!,
      notBefore: expired ? new Date(now.getTime() - 4 * YEAR) : new Date(now.getTime() - DAY),
      notAfter: expired ? new Date(now.getTime() - YEAR) : new Date(now.getTime() + 3 * YEAR),
    });
    if (revoked) pki.revoke(user.certificate.serialHex, { revokedAt: new Date(now.getTime() - 3600_000), reason: 'keyCompromise' });
  }
  return pki;
}
