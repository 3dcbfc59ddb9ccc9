import type { Queryable } from './pool.js';
import { query } from './query.js';

// The verified NemID document kept as evidence of a login, for the retention period (it holds no CPR).

export interface NemidEvidence {
  loginId: string;
  signedXml: string;
  createdAt: Date;
  expiresAt: Date;
}

export async function put(db: Queryable, evidence: NemidEvidence): Promise<void> {
  await query(
    db,
    'INSERT INTO nemid_evidence (login_id, signed_xml, created_at, expires_at) VALUES ($1, $2, $3, $4)',
    [evidence.loginId, evidence.signedXml, evidence.createdAt, evidence.expiresAt],
  );
}

export async function get(db: Queryable, loginId: string): Promise<NemidEvidence | null> {
  const result = await query<{ login_id: string; signed_xml: string; created_at: Date; expires_at: Date }>(
    db,
    'SELECT * FROM nemid_evidence WHERE login_id = $1',
    [loginId],
  );
  const r = result.rows[0];
  return r ? { loginId: r.login_id, signedXml: r.signed_xml, createdAt: r.created_at, expiresAt: r.expires_at } : null;
}

export async function deleteExpired(db: Queryable, now: Date): Promise<number> {
  const result = await query(db, 'DELETE FROM nemid_evidence WHERE expires_at <= $1', [now]);
  return result.rowCount ?? 0;
}
