import type { Queryable } from './pool.js';
import { query } from './query.js';

// SHA-256 of each accepted NemID SignatureValue: recording is the replay check (one atomic INSERT decides).

/** True the first time the digest is seen; false on a replayed response. */
export async function record(db: Queryable, digest: Buffer, loginId: string, createdAt: Date, expiresAt: Date): Promise<boolean> {
  if (digest.length !== 32) throw new RangeError('response digest must be 32 bytes (SHA-256)');
  const result = await query(
    db,
    `INSERT INTO nemid_response_digests (digest, login_id, created_at, expires_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT DO NOTHING`,
    [digest, loginId, createdAt, expiresAt],
  );
  return result.rowCount === 1;
}

export async function deleteExpired(db: Queryable, now: Date): Promise<number> {
  const result = await query(db, 'DELETE FROM nemid_response_digests WHERE expires_at <= $1', [now]);
  return result.rowCount ?? 0;
}
