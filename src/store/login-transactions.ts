import type { Queryable } from './pool.js';
import { query } from './query.js';

// The login-transaction row. Every state change is a compare-and-set on the expected state, so two requests racing
// on one login (double submit, two tabs, two instances) cannot both move it forward.

export const LOGIN_STATES = ['created', 'client_started', 'mitid_started', 'authenticated', 'cpr', 'business', 'completed', 'failed'] as const;
export type LoginState = (typeof LOGIN_STATES)[number];

export interface LoginTransaction {
  id: string;
  state: LoginState;
  browserBinding: string;
  spEntityId: string;
  requestId: string | null;
  acsUrl: string;
  acsBinding: string;
  relayState: string | null;
  request: Record<string, unknown>;
  language: string;
  nemidClient: string | null;
  nemidChallenge: string | null;
  nemidTimestamp: string | null;
  identity: Record<string, unknown> | null;
  cprCiphertext: Buffer | null;
  cprKeyId: string | null;
  cprAttempts: number;
  cprSource: string | null;
  businessChoice: Record<string, unknown> | null;
  errorCode: string | null;
  idpSessionId: string | null;
  mitidState: string | null;
  mitidRequest: Record<string, unknown> | null;
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date;
  completedAt: Date | null;
}

export interface NewLoginTransaction {
  id: string;
  browserBinding: string;
  spEntityId: string;
  requestId: string | null;
  acsUrl: string;
  acsBinding: string;
  relayState: string | null;
  request: Record<string, unknown>;
  language: string;
  createdAt: Date;
  expiresAt: Date;
}

/** Columns a transition may change, besides state and updated_at. */
export interface LoginTransactionPatch {
  nemidClient?: string | null;
  nemidChallenge?: string | null;
  nemidTimestamp?: string | null;
  identity?: Record<string, unknown> | null;
  cprCiphertext?: Buffer | null;
  cprKeyId?: string | null;
  cprAttempts?: number;
  cprSource?: string | null;
  businessChoice?: Record<string, unknown> | null;
  errorCode?: string | null;
  idpSessionId?: string | null;
  mitidState?: string | null;
  mitidRequest?: Record<string, unknown> | null;
  expiresAt?: Date;
  completedAt?: Date | null;
}

const PATCH_COLUMNS: Record<keyof LoginTransactionPatch, { column: string; json?: true }> = {
  nemidClient: { column: 'nemid_client' },
  nemidChallenge: { column: 'nemid_challenge' },
  nemidTimestamp: { column: 'nemid_timestamp' },
  identity: { column: 'identity', json: true },
  cprCiphertext: { column: 'cpr_ciphertext' },
  cprKeyId: { column: 'cpr_key_id' },
  cprAttempts: { column: 'cpr_attempts' },
  cprSource: { column: 'cpr_source' },
  businessChoice: { column: 'business_choice', json: true },
  errorCode: { column: 'error_code' },
  idpSessionId: { column: 'idp_session_id' },
  mitidState: { column: 'mitid_state' },
  mitidRequest: { column: 'mitid_request', json: true },
  expiresAt: { column: 'expires_at' },
  completedAt: { column: 'completed_at' },
};

export interface Row {
  id: string;
  state: LoginState;
  browser_binding: string;
  sp_entity_id: string;
  request_id: string | null;
  acs_url: string;
  acs_binding: string;
  relay_state: string | null;
  request: Record<string, unknown>;
  language: string;
  nemid_client: string | null;
  nemid_challenge: string | null;
  nemid_timestamp: string | null;
  identity: Record<string, unknown> | null;
  cpr_ciphertext: Buffer | null;
  cpr_key_id: string | null;
  cpr_attempts: number;
  cpr_source: string | null;
  business_choice: Record<string, unknown> | null;
  error_code: string | null;
  idp_session_id: string | null;
  mitid_state: string | null;
  mitid_request: Record<string, unknown> | null;
  created_at: Date;
  updated_at: Date;
  expires_at: Date;
  completed_at: Date | null;
}

export function fromRow(r: Row): LoginTransaction {
  return {
    id: r.id,
    state: r.state,
    browserBinding: r.browser_binding,
    spEntityId: r.sp_entity_id,
    requestId: r.request_id,
    acsUrl: r.acs_url,
    acsBinding: r.acs_binding,
    relayState: r.relay_state,
    request: r.request,
    language: r.language,
    nemidClient: r.nemid_client,
    nemidChallenge: r.nemid_challenge,
    nemidTimestamp: r.nemid_timestamp,
    identity: r.identity,
    cprCiphertext: r.cpr_ciphertext,
    cprKeyId: r.cpr_key_id,
    cprAttempts: r.cpr_attempts,
    cprSource: r.cpr_source,
    businessChoice: r.business_choice,
    errorCode: r.error_code,
    idpSessionId: r.idp_session_id,
    mitidState: r.mitid_state ?? null,
    mitidRequest: r.mitid_request ?? null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    expiresAt: r.expires_at,
    completedAt: r.completed_at,
  };
}

/**
 * The column assignments of `patch` as [column, parameter placeholder] pairs; `add` registers a value and returns its
 * placeholder. Only the columns of LoginTransactionPatch can be patched (the request, ACS and browser never change).
 */
export function patchAssignments(patch: LoginTransactionPatch, add: (value: unknown) => string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(patch) as [keyof LoginTransactionPatch, unknown][]) {
    const spec = PATCH_COLUMNS[key];
    if (spec === undefined) throw new TypeError(`not a patchable login transaction field: ${key}`);
    if (value === undefined) continue;
    out.push([spec.column, spec.json ? `${add(jsonParam(value))}::jsonb` : add(value)]);
  }
  return out;
}

/** jsonb parameters go as JSON text: pg would turn a JS array into a PostgreSQL array literal. */
export function jsonParam(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

export async function create(db: Queryable, tx: NewLoginTransaction): Promise<LoginTransaction> {
  const result = await query<Row>(
    db,
    `INSERT INTO login_transactions
       (id, state, browser_binding, sp_entity_id, request_id, acs_url, acs_binding, relay_state, request, language,
        created_at, updated_at, expires_at)
     VALUES ($1, 'created', $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11)
     RETURNING *`,
    [tx.id, tx.browserBinding, tx.spEntityId, tx.requestId, tx.acsUrl, tx.acsBinding, tx.relayState, jsonParam(tx.request),
      tx.language, tx.createdAt, tx.expiresAt],
  );
  return fromRow(result.rows[0]!);
}

/** The row, whatever its state or expiry (callers decide what an expired login means). */
export async function get(db: Queryable, id: string): Promise<LoginTransaction | null> {
  const result = await query<Row>(db, 'SELECT * FROM login_transactions WHERE id = $1', [id]);
  return result.rows[0] ? fromRow(result.rows[0]) : null;
}

/**
 * Compare-and-set: moves the login from `expectedState` to `nextState` (they may be equal, to patch in place) and
 * applies `patch`. Returns the updated row, or null when the row is missing or was not in `expectedState`.
 */
export async function transition(
  db: Queryable,
  id: string,
  expectedState: LoginState,
  nextState: LoginState,
  patch: LoginTransactionPatch,
  now: Date,
): Promise<LoginTransaction | null> {
  const params: unknown[] = [id, expectedState, nextState, now];
  const sets = ['state = $3', 'updated_at = $4'];
  for (const [column, param] of patchAssignments(patch, (value) => {
    params.push(value);
    return `$${params.length}`;
  })) {
    sets.push(`${column} = ${param}`);
  }
  const result = await query<Row>(
    db,
    `UPDATE login_transactions SET ${sets.join(', ')} WHERE id = $1 AND state = $2 RETURNING *`,
    params,
  );
  return result.rows[0] ? fromRow(result.rows[0]) : null;
}

/**
 * The login page's one statement: records freshly issued client parameters (which void any earlier pair) for the
 * browser that owns the login, while it is `created`, `client_started` or `mitid_started` (the user came back from
 * MitID and chose NemID: the pending MitID request is voided, as MitID's start voids a NemID challenge) and has not
 * expired. Null otherwise; the
 * caller reads the row to say why.
 */
export async function startClient(
  db: Queryable,
  id: string,
  browserBinding: string,
  client: { nemidClient: string; nemidChallenge: string; nemidTimestamp: string },
  now: Date,
): Promise<LoginTransaction | null> {
  const result = await query<Row>(
    db,
    `UPDATE login_transactions
        SET state = 'client_started', nemid_client = $3, nemid_challenge = $4, nemid_timestamp = $5, error_code = NULL, updated_at = $6,
            mitid_state = NULL, mitid_request = NULL
      WHERE id = $1 AND browser_binding = $2 AND state IN ('created', 'client_started', 'mitid_started') AND expires_at > $6
      RETURNING *`,
    [id, browserBinding, client.nemidClient, client.nemidChallenge, client.nemidTimestamp, now],
  );
  return result.rows[0] ? fromRow(result.rows[0]) : null;
}

/**
 * Takes the issued NemID challenge exactly once: returns it and clears it in the same statement, or null when the
 * login is not in `expectedState` or the challenge was already taken.
 */
export async function takeChallenge(db: Queryable, id: string, expectedState: LoginState, now: Date): Promise<string | null> {
  const result = await query<{ challenge: string }>(
    db,
    `UPDATE login_transactions t SET nemid_challenge = NULL, updated_at = $3
       FROM (SELECT id, nemid_challenge FROM login_transactions WHERE id = $1 FOR UPDATE) old
      WHERE t.id = old.id AND t.state = $2 AND old.nemid_challenge IS NOT NULL
      RETURNING old.nemid_challenge AS challenge`,
    [id, expectedState, now],
  );
  return result.rows[0]?.challenge ?? null;
}

/**
 * Counts one more CPR attempt if fewer than `max` were made; returns the new count, or null when the limit was
 * already reached or the login is not in `expectedState`. Atomic, so parallel submits cannot exceed the limit.
 */
export async function countCprAttempt(db: Queryable, id: string, expectedState: LoginState, max: number, now: Date): Promise<number | null> {
  const result = await query<{ cpr_attempts: number }>(
    db,
    `UPDATE login_transactions SET cpr_attempts = cpr_attempts + 1, updated_at = $4
      WHERE id = $1 AND state = $2 AND cpr_attempts < $3 RETURNING cpr_attempts`,
    [id, expectedState, max, now],
  );
  return result.rows[0]?.cpr_attempts ?? null;
}

/**
 * Ends every login still in a step when its expiry passed (issue 13.1): `failed` with LOGIN_EXPIRED, its challenge
 * and any CPR cleared, and a `login_expired` audit row saying which state it was stuck in, in one statement. So no
 * login stays half done, whatever interrupted it. Returns how many.
 */
export async function expireStuck(db: Queryable, now: Date): Promise<number> {
  const result = await query<{ n: number }>(
    db,
    `WITH stuck AS (
       UPDATE login_transactions t
          SET state = 'failed', error_code = 'LOGIN_EXPIRED', updated_at = $1, nemid_challenge = NULL, cpr_ciphertext = NULL, cpr_key_id = NULL
         FROM (SELECT id, state FROM login_transactions
                WHERE state NOT IN ('completed', 'failed') AND expires_at <= $1 FOR UPDATE SKIP LOCKED) old
        WHERE t.id = old.id
       RETURNING t.id, t.sp_entity_id, old.state AS stuck_in),
     audited AS (
       INSERT INTO audit_events (occurred_at, type, sp_entity_id, login_id, data)
       SELECT $1, 'login_expired', sp_entity_id, id, jsonb_build_object('code', 'LOGIN_EXPIRED', 'stuckIn', stuck_in) FROM stuck)
     SELECT count(*)::int AS n FROM stuck`,
    [now],
  );
  return result.rows[0]?.n ?? 0;
}

/** Deletes logins whose expiry has passed (completed or not); returns how many. */
export async function deleteExpired(db: Queryable, now: Date): Promise<number> {
  const result = await query(db, 'DELETE FROM login_transactions WHERE expires_at <= $1', [now]);
  return result.rowCount ?? 0;
}

/**
 * The MitID callback takes the login's pending authorization request exactly once, and only for the browser that
 * started it: `taken` with the row (state still `mitid_started`) and the request; otherwise why not, without
 * consuming anything (a state from another browser leaves the owner's login intact).
 */
export async function takeMitidRequest(
  db: Queryable,
  mitidState: string,
  browserBinding: string,
  now: Date,
): Promise<{ kind: 'taken'; tx: LoginTransaction; request: Record<string, unknown> } | { kind: 'unknown' | 'used' | 'other-browser'; tx?: LoginTransaction }> {
  const result = await query<Row & { taken: Record<string, unknown> | null }>(
    db,
    `UPDATE login_transactions t SET mitid_request = NULL, updated_at = $3
       FROM (SELECT id, mitid_request FROM login_transactions WHERE mitid_state = $1 FOR UPDATE) old
      WHERE t.id = old.id AND t.state = 'mitid_started' AND t.browser_binding = $2 AND old.mitid_request IS NOT NULL
      RETURNING t.*, old.mitid_request AS taken`,
    [mitidState, browserBinding, now],
  );
  const row = result.rows[0];
  if (row && row.taken) return { kind: 'taken', tx: fromRow(row), request: row.taken };
  const existing = await query<Row>(db, 'SELECT * FROM login_transactions WHERE mitid_state = $1', [mitidState]);
  const found = existing.rows[0];
  if (!found) return { kind: 'unknown' };
  const tx = fromRow(found);
  if (found.browser_binding !== browserBinding) return { kind: 'other-browser', tx };
  return { kind: 'used', tx };
}
