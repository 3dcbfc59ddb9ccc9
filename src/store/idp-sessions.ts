import { jsonParam } from './login-transactions.js';
import type { Queryable } from './pool.js';
import { query } from './query.js';

// IdP sessions for SSO and single logout. Ending a session is a compare-and-set on ended_at IS NULL, so logout is
// idempotent and a concurrent logout cannot end it twice.

export interface IdpSession {
  id: string;
  browserBinding: string;
  subject: Record<string, unknown>;
  certificateType: string;
  youth: boolean;
  /** Which eID authenticated the session, and at which NSIS level (a request for more re-authenticates). */
  eid: 'nemid' | 'mitid';
  loa: 'Low' | 'Substantial' | 'High';
  authnInstant: Date;
  createdAt: Date;
  expiresAt: Date;
  endedAt: Date | null;
  logout: Record<string, unknown> | null;
}

export type NewIdpSession = Omit<IdpSession, 'endedAt' | 'logout' | 'eid' | 'loa'> & Partial<Pick<IdpSession, 'eid' | 'loa'>>;

interface Row {
  id: string;
  browser_binding: string;
  subject: Record<string, unknown>;
  certificate_type: string;
  youth: boolean;
  eid: 'nemid' | 'mitid';
  loa: 'Low' | 'Substantial' | 'High';
  authn_instant: Date;
  created_at: Date;
  expires_at: Date;
  ended_at: Date | null;
  logout: Record<string, unknown> | null;
}

function fromRow(r: Row): IdpSession {
  return {
    id: r.id,
    browserBinding: r.browser_binding,
    subject: r.subject,
    certificateType: r.certificate_type,
    youth: r.youth,
    eid: r.eid,
    loa: r.loa,
    authnInstant: r.authn_instant,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    endedAt: r.ended_at,
    logout: r.logout,
  };
}

export async function create(db: Queryable, session: NewIdpSession): Promise<IdpSession> {
  const result = await query<Row>(
    db,
    `INSERT INTO idp_sessions (id, browser_binding, subject, certificate_type, youth, authn_instant, created_at, expires_at, eid, loa)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
    [session.id, session.browserBinding, jsonParam(session.subject), session.certificateType, session.youth,
      session.authnInstant, session.createdAt, session.expiresAt, session.eid ?? 'nemid', session.loa ?? 'Substantial'],
  );
  return fromRow(result.rows[0]!);
}

/** The session whatever its state; see `getActive` for the one SSO may use. */
export async function get(db: Queryable, id: string): Promise<IdpSession | null> {
  const result = await query<Row>(db, 'SELECT * FROM idp_sessions WHERE id = $1', [id]);
  return result.rows[0] ? fromRow(result.rows[0]) : null;
}

/** The session only if it has not ended and not expired at `now`. */
export async function getActive(db: Queryable, id: string, now: Date): Promise<IdpSession | null> {
  const result = await query<Row>(
    db,
    'SELECT * FROM idp_sessions WHERE id = $1 AND ended_at IS NULL AND expires_at > $2',
    [id, now],
  );
  return result.rows[0] ? fromRow(result.rows[0]) : null;
}

/** Ends the session; returns it when this call ended it, null when it was unknown or already ended. */
export async function end(db: Queryable, id: string, endedAt: Date, logout: Record<string, unknown> | null = null): Promise<IdpSession | null> {
  const result = await query<Row>(
    db,
    'UPDATE idp_sessions SET ended_at = $2, logout = $3 WHERE id = $1 AND ended_at IS NULL RETURNING *',
    [id, endedAt, jsonParam(logout)],
  );
  return result.rows[0] ? fromRow(result.rows[0]) : null;
}

/** Replaces the running logout chain's state (kept on the ended session so any instance can continue it). */
export async function setLogout(db: Queryable, id: string, logout: Record<string, unknown> | null): Promise<boolean> {
  const result = await query(db, 'UPDATE idp_sessions SET logout = $2 WHERE id = $1', [id, jsonParam(logout)]);
  return result.rowCount === 1;
}

/**
 * Deletes sessions past their expiry, and ended sessions whose logout chain had `endedRetentionMs` to finish.
 * Participants go with them (ON DELETE CASCADE).
 */
export async function deleteExpired(db: Queryable, now: Date, endedRetentionMs = 60 * 60 * 1000): Promise<number> {
  const result = await query(
    db,
    'DELETE FROM idp_sessions WHERE expires_at <= $1 OR ended_at <= $2',
    [now, new Date(now.getTime() - endedRetentionMs)],
  );
  return result.rowCount ?? 0;
}
