import type { SpPolicy } from './policy.js';
import type { ContentEncryption, KeyTransport } from '../../xml/index.js';

export interface AcsEndpoint {
  binding: string;
  location: string;
  index: number;
  isDefault?: boolean;
}

export interface SloEndpoint {
  binding: string;
  location: string;
  responseLocation?: string;
}

/** How assertions to this SP are encrypted, decided at registration from its metadata and policy (§3.4). */
export interface SpEncryption {
  certificate: string;
  content: ContentEncryption;
  keyTransport: KeyTransport;
}

/** A registered SP: its metadata facts (trusted because of the file's placement) and its policy with defaults. */
export interface RegisteredSp {
  /** File name without extension (`metadata/<name>.xml`). */
  name: string;
  /** Where problems with it are reported: its files in METADATA_DIR, or a built-in registration of this environment. */
  labels?: { readonly metadata: string; readonly policy: string };
  entityId: string;
  policy: SpPolicy;
  acsEndpoints: readonly AcsEndpoint[];
  sloEndpoints: readonly SloEndpoint[];
  /** PEM certificates whose keys may sign this SP's requests. */
  signingCertificates: readonly string[];
  encryptionCertificate?: string;
  /** Algorithm URIs of the encryption KeyDescriptor's EncryptionMethod elements (empty when none listed). */
  encryptionMethods: readonly string[];
  /** Present when assertions are encrypted (an encryption key and encryptAssertion ≠ never). */
  encryption?: SpEncryption;
  /** Names to show users, by language (mdui:DisplayName or OrganizationDisplayName); may be empty. */
  displayNames: Readonly<Record<string, string>>;
  /** Certificates expired or expiring within 30 days: for the log and health, never a refusal. */
  warnings: readonly string[];
}

export interface SpRegistry {
  byEntityId(entityId: string): RegisteredSp | undefined;
  all(): readonly RegisteredSp[];
}

export type NemidEnvironment = 'simulator' | 'preproduction' | 'production';
