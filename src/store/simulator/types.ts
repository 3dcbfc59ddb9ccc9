// The records the simulator's store keeps. They mirror the simulator's own port (src/simulator/store-port.ts and
// users/model.ts) structurally, because store/ may not import simulator/: the composition root passes this store
// where the simulator expects its port, and the compiler checks that the two agree.

export interface StoredCertificateIdentity {
  kind: 'POCES' | 'MOCES';
  commonName: string;
  pid?: string;
  cvr?: string;
  rid?: string;
  company?: string;
  youth: boolean;
  revoked: boolean;
  expired: boolean;
}

export interface StoredSimUser {
  userId: string;
  eid: 'nemid';
  origin: 'shipped' | 'created';
  passwordHash: string;
  cpr?: { ciphertext: Buffer; keyId: string };
  cardNumber: string;
  hasKeyFile: boolean;
  cardOnly: boolean;
  certificate: StoredCertificateIdentity;
  identityAssuranceLevel: '1' | '2';
  businesses: Array<{ cvr: string; name: string }>;
  credential?: { certificateDer: Buffer; privateKeyPem: string; serialHex: string };
  revokedAt?: Date;
  createdAt: Date;
}

export interface StoredLockState {
  quarantinedUntil?: Date;
  cardLocked: boolean;
  wrongPasswords: number;
  wrongCodes: number;
}

export interface StoredUserEvent {
  sessionId: string;
  userId: string;
  at: Date;
  client: 'js' | 'codefile';
  service: string;
  step: 'password' | 'code' | 'key-file' | 'cancel' | 'result';
  outcome: string;
}

/** A running client session: the store keeps all but id and lastActivity as one JSON document. */
export interface SessionShape {
  id: string;
  lastActivity: number;
}
