import type { Queryable } from '../pool.js';
import { query } from '../query.js';
import { isUniqueViolation } from './unique.js';
import type { StoredSimUser } from './types.js';

// sim_users, sim_code_cards and sim_revocations: the simulator's test-user registry. The CPR arrives sealed and
// the password hashed; this module never sees either in plain text.

interface Row {
  user_id: string;
  eid: 'nemid';
  origin: 'shipped' | 'created';
  password_hash: string;
  cpr_ciphertext: Buffer | null;
  cpr_key_id: string | null;
  card_number: string;
  has_key_file: boolean;
  card_only: boolean;
  identity_assurance_level: '1' | '2';
  certificate: StoredSimUser['certificate'];
  businesses: StoredSimUser['businesses'];
  certificate_der: Buffer | null;
  private_key_pem: string | null;
  serial_hex: string | null;
  revoked_at: Date | null;
  created_at: Date;
}

function fromRow(r: Row): StoredSimUser {
  return {
    userId: r.user_id,
    eid: r.eid,
    origin: r.origin,
    passwordHash: r.password_hash,
    ...(r.cpr_ciphertext && r.cpr_key_id ? { cpr: { ciphertext: r.cpr_ciphertext, keyId: r.cpr_key_id } } : {}),
    cardNumber: r.card_number,
    hasKeyFile: r.has_key_file,
    cardOnly: r.card_only,
    certificate: r.certificate,
    identityAssuranceLevel: r.identity_assurance_level,
    businesses: r.businesses,
    ...(r.certificate_der && r.private_key_pem && r.serial_hex
      ? { credential: { certificateDer: r.certificate_der, privateKeyPem: r.private_key_pem, serialHex: r.serial_hex } }
      : {}),
    ...(r.revoked_at ? { revokedAt: r.revoked_at } : {}),
    createdAt: r.created_at,
  };
}

export async function find(db: Queryable, userId: string): Promise<StoredSimUser | null> {
  const result = await query<Row>(db, 'SELECT * FROM sim_users WHERE user_id = $1', [userId]);
  return result.rows[0] ? fromRow(result.rows[0]) : null;
}

export async function findByPid(db: Queryable, pid: string): Promise<StoredSimUser | null> {
  const result = await query<Row>(db, 'SELECT * FROM sim_users WHERE pid = $1', [pid]);
  return result.rows[0] ? fromRow(result.rows[0]) : null;
}

export async function list(db: Queryable): Promise<StoredSimUser[]> {
  const result = await query<Row>(db, 'SELECT * FROM sim_users ORDER BY created_at, user_id');
  return result.rows.map(fromRow);
}

/** False when the user id, PID, card number or serial is taken. */
export async function insert(db: Queryable, user: StoredSimUser): Promise<boolean> {
  try {
    const result = await query(
      db,
      `INSERT INTO sim_users (user_id, eid, origin, password_hash, cpr_ciphertext, cpr_key_id, pid, card_number, has_key_file, card_only,
         identity_assurance_level, certificate, businesses, certificate_der, private_key_pem, serial_hex, revoked_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
       ON CONFLICT DO NOTHING`,
      [
        user.userId,
        user.eid,
        user.origin,
        user.passwordHash,
        user.cpr?.ciphertext ?? null,
        user.cpr?.keyId ?? null,
        user.certificate.pid ?? null,
        user.cardNumber,
        user.hasKeyFile,
        user.cardOnly,
        user.identityAssuranceLevel,
        JSON.stringify(user.certificate),
        JSON.stringify(user.businesses),
        user.credential?.certificateDer ?? null,
        user.credential?.privateKeyPem ?? null,
        user.credential?.serialHex ?? null,
        user.revokedAt ?? null,
        user.createdAt,
      ],
    );
    return result.rowCount === 1;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/** Retires the current card and gives the user `cardNumber`; unlocks a locked card. One statement each, in order. */
export async function replaceCard(db: Queryable, userId: string, cardNumber: string, at: Date): Promise<boolean> {
  try {
    const result = await query(
      db,
      `WITH old AS (SELECT user_id, card_number FROM sim_users WHERE user_id = $1 FOR UPDATE),
            retired AS (INSERT INTO sim_code_cards (card_number, user_id, retired_at) SELECT card_number, user_id, $3 FROM old),
            unlocked AS (UPDATE sim_lockouts SET card_locked = false, wrong_codes = 0 WHERE user_id = $1)
       UPDATE sim_users SET card_number = $2 WHERE user_id = $1`,
      [userId, cardNumber, at],
    );
    return result.rowCount === 1;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

export async function retiredCards(db: Queryable, userId: string): Promise<string[]> {
  const result = await query<{ card_number: string }>(db, 'SELECT card_number FROM sim_code_cards WHERE user_id = $1 ORDER BY retired_at', [userId]);
  return result.rows.map((r) => r.card_number);
}

/** Marks the user revoked and lists the serial, once. */
export async function revoke(db: Queryable, userId: string, serialHex: string, at: Date): Promise<boolean> {
  const result = await query(
    db,
    `WITH marked AS (UPDATE sim_users SET revoked_at = $3 WHERE user_id = $1 AND revoked_at IS NULL RETURNING user_id)
     INSERT INTO sim_revocations (serial_hex, user_id, revoked_at) SELECT $2, user_id, $3 FROM marked ON CONFLICT (serial_hex) DO NOTHING`,
    [userId, serialHex, at],
  );
  return result.rowCount === 1;
}

export async function revocations(db: Queryable): Promise<Array<{ serialHex: string; revokedAt: Date }>> {
  const result = await query<{ serial_hex: string; revoked_at: Date }>(db, 'SELECT serial_hex, revoked_at FROM sim_revocations ORDER BY revoked_at');
  return result.rows.map((r) => ({ serialHex: r.serial_hex, revokedAt: r.revoked_at }));
}
