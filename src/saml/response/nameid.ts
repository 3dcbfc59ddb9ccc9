import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { AttributeProfile } from '../registry/policy.js';
import type { Capacity } from './subject.js';

// NameID values (saml-profile.md §2.5): pairwise persistent IDs from a keyed HMAC, transient IDs from the CSPRNG,
// and the X509SubjectName string.

const PERSISTENT_LABEL = 'nemid-idp:persistent:v1';
const PERSON_PREFIX = 'https://data.gov.dk/model/core/eid/person/uuid/';
const PROFESSIONAL_PREFIX = 'https://data.gov.dk/model/core/eid/professional/uuid/';

function oiosaml3Prefix(capacity: Capacity): string {
  return capacity === 'employee' ? PROFESSIONAL_PREFIX : PERSON_PREFIX;
}

function formatUuid(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The pairwise persistent NameID: HMAC-SHA256(secret, label ‖ 0x00 ‖ SP entityID ‖ 0x00 ‖ subject key), its first
 * 16 bytes as a UUID with version nibble 8 and the RFC 4122 variant. `subjectKey` is the certificate serialNumber
 * verbatim; a business-owner login passes the person's key and so keeps the person's ID.
 */
export function computePersistentNameId(
  secret: string | Buffer,
  spEntityId: string,
  subjectKey: string,
  profile: AttributeProfile,
  capacity: Capacity,
): string {
  const mac = createHmac('sha256', secret);
  mac.update(Buffer.concat([Buffer.from(PERSISTENT_LABEL, 'utf8'), Buffer.of(0), Buffer.from(spEntityId, 'utf8'), Buffer.of(0), Buffer.from(subjectKey, 'utf8')]));
  const bytes = mac.digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const uuid = formatUuid(bytes);
  return profile === 'oiosaml3' ? oiosaml3Prefix(capacity) + uuid : uuid;
}

/** A fresh transient NameID: `_` + 32 hex (oiosaml2) or the oiosaml3 URI prefix + a version-4 UUID. */
export function transientNameId(profile: AttributeProfile, capacity: Capacity = 'private'): string {
  return profile === 'oiosaml3' ? oiosaml3Prefix(capacity) + randomUUID() : `_${randomBytes(16).toString('hex')}`;
}

/** RFC 4514 escaping of one attribute value. */
export function escapeRfc4514(value: string): string {
  let out = value.replace(/[\\"+,;<>]/g, (c) => `\\${c}`).replace(/\0/g, '\\00');
  if (out.startsWith('#') || out.startsWith(' ')) out = `\\${out}`;
  if (out.endsWith(' ') && !out.endsWith('\\ ')) out = `${out.slice(0, -1)}\\ `;
  return out;
}

/** `C=DK,O=<O>,CN=<CN>,Serial=<serialNumber>` in that order (OIOSAML 2 X509SubjectName). */
export function x509SubjectName(subject: { c: string; o: string; cn: string; serialNumber: string }): string {
  return [
    ['C', subject.c],
    ['O', subject.o],
    ['CN', subject.cn],
    ['Serial', subject.serialNumber],
  ]
    .map(([key, value]) => `${key}=${escapeRfc4514(value ?? '')}`)
    .join(',');
}
