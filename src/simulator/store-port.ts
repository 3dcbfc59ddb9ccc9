import type { CheckedParameters } from './parameters/check-parameters.js';
import type { ClientKind } from './parameters/rules.js';
import type { FaultName } from './users/test-users.js';
import type { SimUser } from './users/model.js';

// What the simulator keeps between requests, behind one narrow port: the user registry, code cards, revocations,
// lock-outs, running client sessions, remember-user-id tokens and the per-user transaction log. The composition
// root passes the PostgreSQL implementation (src/store/simulator), so users survive a restart and every instance
// sees the same state; without one the simulator keeps it in memory (memory-store.ts), as unit tests do.

export type EventStep = 'password' | 'code' | 'key-file' | 'cancel' | 'result';

/** One step outcome of one client session of one user. Never a password or a code. */
export interface UserEvent {
  sessionId: string;
  userId: string;
  at: Date;
  client: ClientKind;
  /** The service the session was for: the RequestIssuer (the SP's registered name). */
  service: string;
  step: EventStep;
  /** 'ok', 'wrong', 'locked', a client error code, 'signed-response', … */
  outcome: string;
}

export interface StoredSession {
  id: string;
  checked: CheckedParameters;
  /** Epoch milliseconds of the last step. */
  lastActivity: number;
  step: 'password' | 'code';
  /** Wrong user ids typed in this session (an unknown id has no per-user counter). */
  unknownUserAttempts: number;
  userId?: string;
  fault?: FaultName;
  /** The code card key asked for. */
  challengeKey?: string;
  rememberUserid: boolean;
}

export interface LockState {
  quarantinedUntil?: Date;
  cardLocked: boolean;
  wrongPasswords: number;
  wrongCodes: number;
}

export interface Revocation {
  serialHex: string;
  revokedAt: Date;
}

export interface SimulatorStore {
  readonly users: {
    find(userId: string): Promise<SimUser | null>;
    findByPid(pid: string): Promise<SimUser | null>;
    list(): Promise<SimUser[]>;
    /** False when the user id, PID, card number or serial is taken. */
    insert(user: SimUser): Promise<boolean>;
    /** Gives the user a new code card (the old one is retired) and unlocks a locked card. */
    replaceCard(userId: string, cardNumber: string, at: Date): Promise<boolean>;
    retiredCards(userId: string): Promise<string[]>;
    /** Marks the user revoked and lists the certificate's serial for CRL and OCSP; false when already revoked. */
    revoke(userId: string, serialHex: string, at: Date): Promise<boolean>;
    revocations(): Promise<Revocation[]>;
  };
  readonly lockouts: {
    get(userId: string): Promise<LockState>;
    /** Counts one more wrong answer and returns the new count. */
    countWrong(userId: string, kind: 'password' | 'code'): Promise<number>;
    clearWrong(userId: string, kind: 'password' | 'code'): Promise<void>;
    quarantine(userId: string, until: Date): Promise<void>;
    lockCard(userId: string): Promise<void>;
    /** One user's lock-outs, or everybody's. */
    reset(userId?: string): Promise<void>;
  };
  readonly sessions: {
    create(session: StoredSession): Promise<void>;
    get(id: string): Promise<StoredSession | null>;
    save(session: StoredSession): Promise<void>;
    end(id: string): Promise<void>;
    /** Drops sessions idle since before `before`. */
    sweep(before: Date): Promise<void>;
  };
  readonly rememberTokens: {
    put(tokenSha256: Buffer, userId: string, at: Date): Promise<void>;
    get(tokenSha256: Buffer): Promise<string | null>;
  };
  readonly events: {
    append(event: UserEvent): Promise<void>;
    /** The user's newest events first, at most `limit`. */
    forUser(userId: string, limit: number): Promise<UserEvent[]>;
  };
  /** DELETE /control: lock-outs, sessions and remember tokens (users, cards, revocations and logs stay). */
  resetVolatile(): Promise<void>;
}
