import type { Queryable } from './pool.js';
import { query } from './query.js';

// Remembered CPR numbers: key = HMAC of the PID, value = the CPR encrypted by the caller (this module never sees a
// plaintext CPR). Rows unused for CPR_MEMORY_RETENTION are purged.

export interface CprMemoryEntry {
  pidHmac: Buffer;
  ciphertext: Buffer;
  keyId: string;
  createdAt: Date;
  lastUsedAt: Date;
}

interface Row {
  pid_hmac: Buffer;
  ciphertext: Buffer;
  key_id: string;
  created_at: Date;
  last_used_at: Date;
}

const fromRow = (r: Row): CprMemoryEntry => ({
  pidHmac: r.pid_hmac,
  ciphertext: r.ciphertext,
  keyId: r.key_id,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
});

export async function get(db: Queryable, pidHmac: Buffer): Promise<CprMemoryEntry | null> {
  const result = await query<Row>(db, 'SELECT * FROM cpr_memory WHERE pid_hmac = $1', [pidHmac]);
  return result.rows[0] ? fromRow(result.rows[0]) : null;
}

/** Stores (or replaces, e.g. after key rotation) the encrypted CPR for this PID. */
export async function put(db: Queryable, entry: { pidHmac: Buffer; ciphertext: Buffer; keyId: string; now: Date }): Promise<void> {
  await query(
    db,
    `INSERT INTO cpr_memory (pid_hmac, ciphertext, key_id, created_at, last_used_at) VALUES ($1, $2, $3, $4, $4)
     ON CONFLICT (pid_hmac) DO UPDATE SET ciphertext = EXCLUDED.ciphertext, key_id = EXCLUDED.key_id, last_used_at = EXCLUDED.last_used_at`,
    [entry.pidHmac, entry.ciphertext, entry.keyId, entry.now],
  );
}

/** Marks the entry used at `now` (retention counts from last use); false when there is none. */
export async function touch(db: Queryable, pidHmac: Buffer, now: Date): Promise<boolean> {
  const result = await query(db, 'UPDATE cpr_memory SET last_used_at = GREATEST(last_used_at, $2) WHERE pid_hmac = $1', [pidHmac, now]);
  return result.rowCount === 1;
}

/** Deletes the entry ("forget me"); true when there was one. */
export async function forget(db: Queryable, pidHmac: Buffer): Promise<boolean> {
  const result = await query(db, 'DELETE FROM cpr_memory WHERE pid_hmac = $1', [pidHmac]);
  return result.rowCount === 1;
}

/** Deletes (or with dryRun only counts) entries last used before `cutoff`. */
export async function purgeOlderThan(db: Queryable, cutoff: Date, options: { dryRun?: boolean } = {}): Promise<number> {
  const result = options.dryRun
    ? await query<{ n: string }>(db, 'SELECT count(*) AS n FROM cpr_memory WHERE last_used_at < $1', [cutoff])
    : await query(db, 'DELETE FROM cpr_memory WHERE last_used_at < $1', [cutoff]);
  return options.dryRun ? Number((result.rows[0] as { n: string }).n) : (result.rowCount ?? 0);
}
