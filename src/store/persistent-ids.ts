import type { Queryable } from './pool.js';
import { query } from './query.js';

// Persistent NameIDs issued per SP. The caller computes candidates with every configured secret; the first already
// issued one is reused, so adding a secret never changes an ID an SP has seen (saml-profile.md §2.5).

/** The first of `candidates` already issued to this SP, or null. */
export async function findIssued(db: Queryable, spEntityId: string, candidates: readonly string[]): Promise<string | null> {
  if (candidates.length === 0) return null;
  const result = await query<{ name_id: string }>(
    db,
    'SELECT name_id FROM persistent_ids WHERE sp_entity_id = $1 AND name_id = ANY($2::text[])',
    [spEntityId, [...candidates]],
  );
  const issued = new Set(result.rows.map((r) => r.name_id));
  return candidates.find((c) => issued.has(c)) ?? null;
}

/** Records an issued ID; true when new, false when it was already recorded. */
export async function record(db: Queryable, spEntityId: string, nameId: string, createdAt: Date): Promise<boolean> {
  const result = await query(
    db,
    'INSERT INTO persistent_ids (sp_entity_id, name_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
    [spEntityId, nameId, createdAt],
  );
  return result.rowCount === 1;
}
