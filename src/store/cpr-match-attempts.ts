import type { Pool, Queryable } from './pool.js';
import { query, withTransaction } from './query.js';

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

export type Reservation =
  | { readonly kind: 'reserved'; readonly attempt: number }
  | { readonly kind: 'login-limit' }
  | { readonly kind: 'pid-limit' }
  | { readonly kind: 'moved-on' };

// pg_advisory_xact_lock(int4, int4): this namespace, then 32 bits of the PID's HMAC (a collision only serialises
// two PIDs' tries, it never merges their counts).
const LOCK_NAMESPACE = 0x4350524d; // "CPRM"

/**
 * One CPR try, counted against both limits atomically (issue 16.2): under a transaction-scoped advisory lock per
 * PID, the PID's tries since `since` are counted, the login's counter is raised if both limits allow, and the try
 * is recorded — so parallel logins of one PID cannot together exceed `maxPerPid`, nor parallel posts of one login
 * `maxPerLogin`. It commits before PID-CPR is asked, so a try counts even if that call never returns.
 */
export async function reserve(
  pool: Pool,
  r: { pidHmac: Buffer; loginId: string; since: Date; now: Date; maxPerLogin: number; maxPerPid: number },
): Promise<Reservation> {
  return withTransaction(pool, async (client) => {
    await query(client, 'SELECT pg_advisory_xact_lock($1::int, $2::int)', [LOCK_NAMESPACE, r.pidHmac.readInt32BE(0)]);
    const result = await query<{ recent: number; attempt: number | null; current: number | null }>(
      client,
      `WITH recent AS (SELECT count(*)::int AS n FROM cpr_match_attempts WHERE pid_hmac = $1 AND attempted_at >= $2),
            counted AS (UPDATE login_transactions SET cpr_attempts = cpr_attempts + 1, updated_at = $3
                         WHERE id = $4 AND state = 'cpr' AND cpr_attempts < $5 AND (SELECT n FROM recent) < $6
                         RETURNING cpr_attempts),
            recorded AS (INSERT INTO cpr_match_attempts (pid_hmac, attempted_at) SELECT $1, $3 FROM counted)
       SELECT (SELECT n FROM recent) AS recent, (SELECT cpr_attempts FROM counted) AS attempt,
              (SELECT cpr_attempts FROM login_transactions WHERE id = $4 AND state = 'cpr') AS current`,
      [r.pidHmac, r.since, r.now, r.loginId, r.maxPerLogin, r.maxPerPid],
    );
    const row = result.rows[0]!;
    if (row.attempt !== null) return { kind: 'reserved', attempt: row.attempt };
    if (row.current === null) return { kind: 'moved-on' };
    if (row.current >= r.maxPerLogin) return { kind: 'login-limit' };
    return { kind: 'pid-limit' };
  });
}
