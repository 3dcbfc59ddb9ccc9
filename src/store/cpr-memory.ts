import type { Queryable } from './pool.js';
import { query } from './query.js';

// Remembered CPR numbers: key = (HMAC of the PID, entity ID of the SP the user agreed at), value = the CPR encrypted
// by the caller (this module never sees a plaintext CPR). A number remembered for one service is never read for
// another (issue 16.1). Rows unused for CPR_MEMORY_RETENTION are purged.

export interface CprMemoryEntry {
  pidHmac: Buffer;
  spEntityId: string;
  ciphertext: Buffer;
  keyId: string;
  createdAt: Date;
  lastUsedAt: Date;
}

interface Row {
  pid_hmac: Buffer;
  sp_entity_id: string;
  ciphertext: Buffer;
  key_id: string;
  created_at: Date;
  last_used_at: Date;
}

const fromRow = (r: Row): CprMemoryEntry => ({
  pidHmac: r.pid_hmac,
  spEntityId: r.sp_entity_id,
  ciphertext: r.ciphertext,
  keyId: r.key_id,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
});

/** The entry remembered for this PID at this SP, and only that SP. */
export async function get(db: Queryable, pidHmac: Buffer, spEntityId: string): Promise<CprMemoryEntry | null> {
  const result = await query<Row>(db, 'SELECT * FROM cpr_memory WHERE pid_hmac = $1 AND sp_entity_id = $2', [pidHmac, spEntityId]);
  return result.rows[0] ? fromRow(result.rows[0]) : null;
}

/** The SPs this PID has a remembered CPR at (for "forget my CPR number" pages), by entity ID. */
export async function servicesOf(db: Queryable, pidHmac: Buffer): Promise<Array<{ spEntityId: string; lastUsedAt: Date }>> {
  const result = await query<{ sp_entity_id: string; last_used_at: Date }>(
    db,
    'SELECT sp_entity_id, last_used_at FROM cpr_memory WHERE pid_hmac = $1 ORDER BY sp_entity_id',
    [pidHmac],
  );
  return result.rows.map((r) => ({ spEntityId: r.sp_entity_id, lastUsedAt: r.last_used_at }));
}

/** Stores (or replaces, e.g. after key rotation) the encrypted CPR for this PID at this SP. */
export async function put(db: Queryable, entry: { pidHmac: Buffer; spEntityId: string; ciphertext: Buffer; keyId: string; now: Date }): Promise<void> {
  await query(
    db,
    `INSERT INTO cpr_memory (pid_hmac, sp_entity_id, ciphertext, key_id, created_at, last_used_at) VALUES ($1, $2, $3, $4, $5, $5)
     ON CONFLICT (pid_hmac, sp_entity_id) DO UPDATE SET ciphertext = EXCLUDED.ciphertext, key_id = EXCLUDED.key_id, last_used_at = EXCLUDED.last_used_at`,
    [entry.pidHmac, entry.spEntityId, entry.ciphertext, entry.keyId, entry.now],
  );
}

/** Marks the entry used at `now` (retention counts from last use); false when there is none. */
export async function touch(db: Queryable, pidHmac: Buffer, spEntityId: string, now: Date): Promise<boolean> {
  const result = await query(
    db,
    'UPDATE cpr_memory SET last_used_at = GREATEST(last_used_at, $3) WHERE pid_hmac = $1 AND sp_entity_id = $2',
    [pidHmac, spEntityId, now],
  );
  return result.rowCount === 1;
}

/**
 * Deletes ("forget me") the entry at one SP, or with `spEntityId` absent every entry of this PID; true when there was
 * one.
 */
export async function forget(db: Queryable, pidHmac: Buffer, spEntityId?: string): Promise<boolean> {
  const result = spEntityId === undefined
    ? await query(db, 'DELETE FROM cpr_memory WHERE pid_hmac = $1', [pidHmac])
    : await query(db, 'DELETE FROM cpr_memory WHERE pid_hmac = $1 AND sp_entity_id = $2', [pidHmac, spEntityId]);
  return (result.rowCount ?? 0) > 0;
}

/** Deletes (or with dryRun only counts) entries last used before `cutoff`. */
export async function purgeOlderThan(db: Queryable, cutoff: Date, options: { dryRun?: boolean } = {}): Promise<number> {
  const result = options.dryRun
    ? await query<{ n: string }>(db, 'SELECT count(*) AS n FROM cpr_memory WHERE last_used_at < $1', [cutoff])
    : await query(db, 'DELETE FROM cpr_memory WHERE last_used_at < $1', [cutoff]);
  return options.dryRun ? Number((result.rows[0] as { n: string }).n) : (result.rowCount ?? 0);
}
