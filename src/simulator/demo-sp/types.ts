import type { Clock } from '../../shared/index.js';
import type { SimLog } from '../http/types.js';

// The demo SP's configuration: its own registration (the files in metadata/) and the IdP's published facts. It is an
// independent SP: it trusts only the IdP certificates given here, never a KeyInfo in a message.

export interface DemoSpOptions {
  /** The IdP's SingleSignOnService (HTTP-Redirect and HTTP-POST), e.g. http://localhost:8080/saml/sso. */
  idpSsoUrl: string;
  /** The IdP's SingleLogoutService, e.g. http://localhost:8080/saml/slo. */
  idpSloUrl: string;
  idpEntityId: string;
  /** PEM certificates whose keys may sign the IdP's assertions and messages (current and next). */
  idpSigningCertificates: readonly string[];
  spEntityId: string;
  /** Our AssertionConsumerService (HTTP-POST), exactly as registered. */
  acsUrl: string;
  /** Our SingleLogoutService, exactly as registered. */
  sloUrl: string;
  signingKeyPem: string;
  signingCertPem: string;
  encryptionKeyPem: string;
  clock: Clock;
  log: SimLog;
  /** The simulator's test-users page, linked from the demo page. */
  simulatorUrl?: string;
  /** Accept IdP-initiated (unsolicited) responses; our registration allows them. Default true. */
  acceptUnsolicited?: boolean;
  /** Our own metadata (metadata/demo-sp.xml), served at GET /demo/metadata when given. */
  metadataXml?: string;
  /** Allowed clock skew for assertion time checks. Default 60 s. */
  skewSeconds?: number;
}

export interface ReceivedAttribute {
  name: string;
  friendlyName?: string;
  nameFormat?: string;
  values: string[];
}

export interface ReceivedNameId {
  value: string;
  format?: string;
  nameQualifier?: string;
  spNameQualifier?: string;
}

/** What a verified assertion told us; read only from the signed bytes. */
export interface DemoLogin {
  nameId: ReceivedNameId;
  sessionIndex?: string;
  authnInstant?: string;
  authnContextClassRef?: string;
  assertionId: string;
  /** The request this answered; absent for an IdP-initiated login. */
  inResponseTo?: string;
  attributes: ReceivedAttribute[];
}

/** A one-time notice for the demo page (shown once, then dropped). */
export type DemoNotice =
  | { kind: 'status'; statusCodes: string[]; statusMessage?: string }
  | { kind: 'logged-out'; statusCodes: string[] }
  | { kind: 'logged-out-by-idp' };
