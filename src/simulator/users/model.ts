// The simulator's user model. eID-neutral at the top (user id, password, CPR, businesses, the log), with the eID's
// own identity below it: for NemID the OCES certificate's subject and a code card. The MitID broker simulator's
// users are meant to live in the same registry under eid 'mitid'.

export type CertificateKind = 'POCES' | 'MOCES';

export interface Business {
  cvr: string;
  name: string;
}

export interface CertificateIdentity {
  kind: CertificateKind;
  /** Subject CN ("Pseudonym" for a pseudonym user). */
  commonName: string;
  /** POCES: the PID (without "PID:"). */
  pid?: string;
  /** MOCES: CVR and RID; the O text is "<company> // CVR:<cvr>". */
  cvr?: string;
  rid?: string;
  company?: string;
  youth: boolean;
  /** Shipped users only: listed in the CA's CRL from the start. Created users are revoked through `revokedAt`. */
  revoked: boolean;
  /** Issued with a notAfter in the past. */
  expired: boolean;
}

/** What a login needs to know about a user, whatever the registry keeps besides. */
export interface UserIdentity {
  /** Lower case; NemID compared user ids ignoring case. */
  userId: string;
  /** Code card number (G + 9 digits). */
  cardNumber: string;
  /** Whether the user also has a key file (CodeFile client). */
  hasKeyFile: boolean;
  /** Whether the user has only a code card (PREVENT_OTP_CARD then gives AUTH019). */
  cardOnly: boolean;
  certificate: CertificateIdentity;
  identityAssuranceLevel: '1' | '2';
  /** Businesses the person owns (roles service, business-login step). */
  businesses: Business[];
}

/** A CPR number sealed for storage (AES-256-GCM; see users/cpr-seal.ts). */
export interface SealedCpr {
  ciphertext: Buffer;
  keyId: string;
}

/** A certificate the simulator's CA issued for a created user, with its test-only private key. */
export interface StoredCredential {
  certificateDer: Buffer;
  privateKeyPem: string;
  serialHex: string;
}

/** A user as the registry keeps it. */
export interface SimUser extends UserIdentity {
  eid: 'nemid';
  origin: 'shipped' | 'created';
  /** scrypt hash (users/passwords.ts), never the password. */
  passwordHash: string;
  cpr?: SealedCpr;
  /** Created users: their certificate. Shipped users take theirs from the dev PKI. */
  credential?: StoredCredential;
  revokedAt?: Date;
  createdAt: Date;
}
