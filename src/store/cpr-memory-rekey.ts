import type { Queryable } from './pool.js';
import { query } from './query.js';

// Re-encrypting remembered CPR numbers under the newest key (CLI `reencrypt-cpr`). A row is replaced only if it
// still holds the ciphertext that was read (compare-and-set), and last_used_at is left alone: a re-encryption is
// not a use, so it must not postpone the purge.

export interface SealedCprRow {
  pidHmac: Buffer;
  spEntityId: string;
  ciphertext: Buffer;
  keyId: string;
}

/** Up to `limit` rows sealed under any key but `currentKeyId`. */
export async function listNotUnderKey(db: Queryable, currentKeyId: string, limit: number): Promise<SealedCprRow[]> {
  const result = await query<{ pid_hmac: Buffer; sp_entity_id: string; ciphertext: Buffer; key_id: string }>(
    db,
    'SELECT pid_hmac, sp_entity_id, ciphertext, key_id FROM cpr_memory WHERE key_id <> $1 ORDER BY pid_hmac, sp_entity_id LIMIT $2',
    [currentKeyId, limit],
  );
  return result.rows.map((r) => ({ pidHmac: r.pid_hmac, spEntityId: r.sp_entity_id, ciphertext: r.ciphertext, keyId: r.key_id }));
}

export async function replaceSealed(db: Queryable, before: SealedCprRow, after: { ciphertext: Buffer; keyId: string }): Promise<boolean> {
  const result = await query(
    db,
    'UPDATE cpr_memory SET ciphertext = $4, key_id = $5 WHERE pid_hmac = $1 AND key_id = $2 AND ciphertext = $3 AND sp_entity_id = $6',
    [before.pidHmac, before.keyId, before.ciphertext, after.ciphertext, after.keyId, before.spEntityId],
  );
  return result.rowCount === 1;
}

export async function countByKey(db: Queryable): Promise<Record<string, number>> {
  const result = await query<{ key_id: string; n: string }>(db, 'SELECT key_id, count(*) AS n FROM cpr_memory GROUP BY key_id ORDER BY key_id');
  return Object.fromEntries(result.rows.map((r) => [r.key_id, Number(r.n)]));
}
