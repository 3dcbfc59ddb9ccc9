import type { Queryable } from './pool.js';
import { query } from './query.js';

// The SPs that received an assertion in an IdP session, with the exact NameID issued (a LogoutRequest must carry
// it back) and the progress of the logout chain.

export type LogoutState = 'pending' | 'sent' | 'succeeded' | 'failed' | 'skipped';

export interface Participant {
  sessionId: string;
  spEntityId: string;
  nameId: string;
  nameIdFormat: string;
  nameQualifier: string | null;
  spNameQualifier: string | null;
  sessionIndex: string;
  createdAt: Date;
  logoutState: LogoutState | null;
  logoutRequestId: string | null;
}

export type NewParticipant = Omit<Participant, 'logoutState' | 'logoutRequestId'>;

interface Row {
  session_id: string;
  sp_entity_id: string;
  name_id: string;
  name_id_format: string;
  name_qualifier: string | null;
  sp_name_qualifier: string | null;
  session_index: string;
  created_at: Date;
  logout_state: LogoutState | null;
  logout_request_id: string | null;
}

function fromRow(r: Row): Participant {
  return {
    sessionId: r.session_id,
    spEntityId: r.sp_entity_id,
    nameId: r.name_id,
    nameIdFormat: r.name_id_format,
    nameQualifier: r.name_qualifier,
    spNameQualifier: r.sp_name_qualifier,
    sessionIndex: r.session_index,
    createdAt: r.created_at,
    logoutState: r.logout_state,
    logoutRequestId: r.logout_request_id,
  };
}

/** Records the SP in the session; a later assertion to the same SP replaces its NameID and SessionIndex. */
export async function upsert(db: Queryable, p: NewParticipant): Promise<Participant> {
  const result = await query<Row>(
    db,
    `INSERT INTO idp_session_participants
       (session_id, sp_entity_id, name_id, name_id_format, name_qualifier, sp_name_qualifier, session_index, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (session_id, sp_entity_id) DO UPDATE SET
       name_id = EXCLUDED.name_id, name_id_format = EXCLUDED.name_id_format, name_qualifier = EXCLUDED.name_qualifier,
       sp_name_qualifier = EXCLUDED.sp_name_qualifier, session_index = EXCLUDED.session_index,
       created_at = EXCLUDED.created_at, logout_state = NULL, logout_request_id = NULL
     RETURNING *`,
    [p.sessionId, p.spEntityId, p.nameId, p.nameIdFormat, p.nameQualifier, p.spNameQualifier, p.sessionIndex, p.createdAt],
  );
  return fromRow(result.rows[0]!);
}

export async function get(db: Queryable, sessionId: string, spEntityId: string): Promise<Participant | null> {
  const result = await query<Row>(
    db,
    'SELECT * FROM idp_session_participants WHERE session_id = $1 AND sp_entity_id = $2',
    [sessionId, spEntityId],
  );
  return result.rows[0] ? fromRow(result.rows[0]) : null;
}

/** Participants in the order they joined (the logout chain visits them in this order). */
export async function list(db: Queryable, sessionId: string): Promise<Participant[]> {
  const result = await query<Row>(
    db,
    'SELECT * FROM idp_session_participants WHERE session_id = $1 ORDER BY created_at, sp_entity_id',
    [sessionId],
  );
  return result.rows.map(fromRow);
}

/**
 * Compare-and-set on the participant's logout state (null = not yet visited). Returns false when another request
 * already moved it.
 */
export async function setLogoutState(
  db: Queryable,
  sessionId: string,
  spEntityId: string,
  expected: LogoutState | null,
  next: LogoutState,
  logoutRequestId: string | null,
): Promise<boolean> {
  const result = await query(
    db,
    `UPDATE idp_session_participants SET logout_state = $4, logout_request_id = $5
      WHERE session_id = $1 AND sp_entity_id = $2 AND logout_state IS NOT DISTINCT FROM $3`,
    [sessionId, spEntityId, expected, next, logoutRequestId],
  );
  return result.rowCount === 1;
}

/**
 * The participant that `spEntityId` answers with a LogoutResponse: the one we sent LogoutRequest `requestId` to.
 * Matching on the SP too means a response from another issuer can never advance someone else's chain.
 */
export async function findByLogoutRequestId(db: Queryable, spEntityId: string, requestId: string): Promise<Participant | null> {
  const result = await query<Row>(
    db,
    'SELECT * FROM idp_session_participants WHERE sp_entity_id = $1 AND logout_request_id = $2',
    [spEntityId, requestId],
  );
  return result.rows.length === 1 ? fromRow(result.rows[0]!) : null;
}
