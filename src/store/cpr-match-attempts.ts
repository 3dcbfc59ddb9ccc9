import type { Queryable } from './pool.js';
import { query } from './query.js';

// One row per CPR match attempt, keyed by the PID's HMAC, for the per-PID hourly limit across logins.

export async function record(db: Queryable, pidHmac: Buffer, attemptedAt: Date): Promise<void> {
  await query(db, 'INSERT INTO cpr_match_attempts (pid_hmac, attempted_at) VALUES ($1, $2)', [pidHmac, attemptedAt]);
}

/** Attempts for this PID at or after `since`. */
export async function countSince(db: Queryable, pidHmac: Buffer, since: Date): Promise<number> {
  const result = await query<{ n: string }>(
    db,
    'SELECT count(*) AS n FROM cpr_match_attempts WHERE pid_hmac = $1 AND attempted_at >= $2',
    [pidHmac, since],
  );
  return Number(result.rows[0]!.n);
}

export async function deleteOlderThan(db: Queryable, cutoff: Date): Promise<number> {
  const result = await query(db, 'DELETE FROM cpr_match_attempts WHERE attempted_at < $1', [cutoff]);
  return result.rowCount ?? 0;
}
