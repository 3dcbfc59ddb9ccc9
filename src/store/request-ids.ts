import type { Queryable } from './pool.js';
import { query } from './query.js';

// Request IDs per SP for their validity window. Recording is the replay check: one atomic INSERT decides.

/** True the first time (sp, id) is seen; false on a replay. */
export async function record(db: Queryable, spEntityId: string, requestId: string, expiresAt: Date): Promise<boolean> {
  const result = await query(
    db,
    'INSERT INTO authn_request_ids (sp_entity_id, request_id, expires_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
    [spEntityId, requestId, expiresAt],
  );
  return result.rowCount === 1;
}

export async function deleteExpired(db: Queryable, now: Date): Promise<number> {
  const result = await query(db, 'DELETE FROM authn_request_ids WHERE expires_at <= $1', [now]);
  return result.rowCount ?? 0;
}
