// What every revocation source answers, and the hooks pki offers for logging and metrics without depending on a
// logging or metrics library.
import type { ParsedCertificate } from '../certificate.js';

export type RevocationStatus = 'GOOD' | 'REVOKED' | 'NOT_CHECKED' | 'UNAVAILABLE';

export interface RevocationQuery {
  readonly certificate: ParsedCertificate;
  readonly issuer: ParsedCertificate;
  /** The leaf is checked on every login; `ca` is an issuing CA checked against its root's CRL. */
  readonly role: 'leaf' | 'ca';
  readonly at: Date;
}

export interface RevocationAnswer {
  readonly status: RevocationStatus;
  readonly source?: 'crl' | 'ocsp';
  /** For logs only. */
  readonly reason?: string;
  /** For REVOKED: what the CRL entry says (RFC 5280 reasonCode name, revocationDate), when the source knows. */
  readonly revoked?: { readonly revokedAt?: Date; readonly reason?: string };
}

export interface RevocationSource {
  check(query: RevocationQuery): Promise<RevocationAnswer>;
}

/** pino-compatible subset. */
export interface Logger {
  info(object: Record<string, unknown>, message?: string): void;
  warn(object: Record<string, unknown>, message?: string): void;
  error(object: Record<string, unknown>, message?: string): void;
}

export type PkiMetric =
  | { name: 'crl_fetch_failure'; url: string; reason: string }
  | { name: 'crl_fetch'; url: string; seconds: number; bytes: number; entries: number }
  | { name: 'crl_grace_used'; url: string }
  | { name: 'ocsp_request'; url: string; seconds: number; outcome: 'good' | 'revoked' | 'unknown' | 'error' };

export type MetricHook = (metric: PkiMetric) => void;

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };

/** Persisted CRLs shared by all instances (implemented by src/store/crl-cache.ts; pki never imports store). */
export interface CrlPersistence {
  get(url: string): Promise<{ der: Buffer; fetchedAt: Date } | null>;
  put(
    url: string,
    entry: { der: Buffer; issuer: string; thisUpdate: Date; nextUpdate: Date; entries: number },
  ): Promise<void>;
}
