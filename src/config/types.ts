import type { KeyObject, X509Certificate } from 'node:crypto';

export type Environment = 'simulator' | 'preproduction' | 'production';
export type RevocationMode = 'crl' | 'ocsp' | 'crl+ocsp';

export interface KeyPair {
  /** Where it was read from, for messages and readiness reports. */
  readonly keyPath: string;
  readonly certPath: string;
  readonly key: KeyObject;
  readonly keyPem: string;
  readonly cert: X509Certificate;
  readonly certPem: string;
}

export interface NamedKey {
  readonly id: string;
  readonly key: Buffer;
}

/** The validated, frozen configuration. Built once by `loadConfig` and passed in; never imported as a global. */
export interface Config {
  readonly environment: Environment;
  readonly dataDir: string;
  readonly http: {
    readonly host: string;
    readonly port: number;
    readonly simulatorPort: number;
    /**
     * Whether this process serves the simulator's origin (simulator environment). With several instances on one
     * DATA_DIR exactly one does; the others use it, as IdPs share the one real NemID.
     */
    readonly simulatorListen: boolean;
    readonly simulatorPidCprPort: number;
    readonly trustProxy: boolean;
    readonly rateLimitPerMinute: number;
    readonly bodyLimitBytes: number;
    readonly shutdownTimeoutMs: number;
    /** After SIGTERM: how long /readyz is 503 while requests are still served, before the listener closes. */
    readonly shutdownDrainMs: number;
    /** Whether responses carry `x-served-by: <instanceId>`. */
    readonly servedByHeader: boolean;
  };
  /** Names this process in every log line, in `x-served-by` and in job claims. */
  readonly instanceId: string;
  /**
   * Where /metrics and the detailed /readyz are served: `separate` is a second listener on `port` (the public port
   * then shows ready/not ready only); `public` is the service port, behind `token` when one is set.
   */
  readonly operations: {
    readonly listener: 'public' | 'separate';
    readonly port: number | null;
    readonly token: string | null;
  };
  readonly database: {
    readonly poolMax: number;
    /** 0 = no statement timeout. */
    readonly statementTimeoutMs: number;
    /** Requests waiting for a connection beyond which new ones are refused at once (SERVICE_BUSY). */
    readonly queueLimit: number;
    readonly connectTimeoutMs: number;
  };
  readonly idp: {
    readonly baseUrl: string;
    readonly entityId: string;
    readonly signing: KeyPair;
    readonly nextSigning: KeyPair | null;
    readonly displayName: { readonly da: string; readonly en: string };
    readonly organization: { readonly name: string; readonly displayName: string; readonly url: string };
    readonly contacts: { readonly technical: string; readonly support: string };
    /** Footer links on every page: help, contact, privacy (null: not shown). */
    readonly links: { readonly help: string | null; readonly contact: string | null; readonly privacy: string | null };
    readonly clockSkewSeconds: number;
    readonly loginTransactionTtlSeconds: number;
    readonly sessionTtlSeconds: number;
  };
  readonly databaseUrl: string | null;
  readonly metadataDir: string;
  readonly nemid: {
    readonly sp: KeyPair;
    readonly requestIssuer: string;
    readonly clientOrigin: string;
    readonly jsClientUrl: string;
    readonly codeFileUrl: string | null;
    readonly evidenceRetentionDays: number;
  };
  readonly oces: {
    readonly trustDir: string;
    /** OCES_ROOT_SHA256 as given (normalised upper-case hex), or null for the environment's genuine root. */
    readonly rootSha256: readonly string[] | null;
    readonly revocationMode: RevocationMode;
    readonly revocationTimeoutMs: number;
    readonly revocationGraceSeconds: number;
    readonly revocationHosts: readonly string[];
    readonly crlMaxBytes: number;
  };
  readonly pidCpr: {
    readonly url: string | null;
    readonly spid: string | null;
    readonly serverCaPath: string | null;
    readonly timeoutMs: number;
  };
  readonly roles: {
    readonly url: string | null;
    readonly serverCaPath: string | null;
    readonly useClientCertificate: boolean;
    readonly timeoutMs: number;
  };
  readonly secrets: {
    readonly cookie: readonly string[];
    readonly pseudonym: readonly Buffer[];
    readonly cprEncryption: readonly NamedKey[];
    readonly cprPidHmac: Buffer;
  };
  readonly cprMemoryRetention: { readonly months: number; readonly days: number };
  readonly jobs: {
    readonly enabled: boolean;
    readonly timezone: string;
    readonly sweepSchedule: string;
    readonly cprPurgeSchedule: string;
    readonly crlRefreshSchedule: string;
  };
  /** MitID through an OIDC broker; null when MITID_ISSUER is not set (then MitID is never offered). */
  readonly mitid: MitidSettings | null;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

export type MitidClientAuth =
  | { readonly method: 'private_key_jwt'; readonly keyPem: string; readonly keyId: string | null }
  | { readonly method: 'client_secret_basic'; readonly secret: string };

export interface MitidSettings {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientAuth: MitidClientAuth;
  readonly preset: 'signicat';
  /** Overrides of the preset's entries (MITID_CLAIMS_MAP), validated against the preset's shape by mitid/. */
  readonly claimsMap: Readonly<Record<string, unknown>>;
  readonly timeoutMs: number;
  /** MitID Erhverv (professional identities) offered besides MitID for persons. */
  readonly erhverv: boolean;
  /** Plain http is accepted only for the simulator environment's own broker simulator. */
  readonly allowInsecureHttp: boolean;
}
