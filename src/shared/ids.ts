import { randomBytes, randomUUID } from 'node:crypto';

/** 128 random bits as 32 lower-case hex characters. */
export function randomHex128(): string {
  return randomBytes(16).toString('hex');
}

/** A SAML ID: must be an xs:ID (NCName), so it starts with "_" (saml-profile.md §3.2). */
export function samlId(): string {
  return `_${randomHex128()}`;
}

export function uuid(): string {
  return randomUUID();
}

/** Opaque, URL-safe identifier with 128 random bits (login transactions, trace ids). */
export function opaqueId(): string {
  return randomBytes(16).toString('base64url');
}
