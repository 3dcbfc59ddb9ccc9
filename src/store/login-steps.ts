import type { AuditEvent } from './audit-events.js';
import type { NewIdpSession } from './idp-sessions.js';
import {
  fromRow,
  jsonParam,
  patchAssignments,
  type LoginState,
  type LoginTransaction,
  type LoginTransactionPatch,
  type NewLoginTransaction,
  type Row,
} from './login-transactions.js';
import type { Queryable } from './pool.js';
import { query } from './query.js';
import type { NewParticipant } from './session-participants.js';
import { IdpError } from '../errors/index.js';

// One HTTP step of a login, written as ONE statement (issue 12.3, 13.1). The step reads what it needs, does its
// work (verification, signing, calls to other services) without holding anything open, and then commits all its
// effects at once: a compare-and-set on the login row (`moved`) and every other row of the step in CTEs that select
// FROM moved. So either the login moved on and everything else was written with it, or nothing was written at all:
//   - a lost race (double post, second tab, another instance) finds `moved` empty: no row of the step is written,
//     and the winner's login is untouched;
//   - a replayed NemID response or AuthnRequest ID is a unique violation that aborts the whole statement;
//   - any other failure (a trigger, the database going away) aborts it too, and the step can be retried.
// PostgreSQL runs all sub-statements of a WITH on one snapshot and checks foreign keys at the end of the statement,
// so a session and its participant can be inserted together.

export interface LoginStepWrite {
  readonly loginId: string;
  /** The step creates the login row (the AuthnRequest step) instead of moving an existing one. */
  readonly create?: NewLoginTransaction;
  /** States the step read the login in; the write applies only while the row is still in one of them. */
  readonly from: readonly LoginState[];
  readonly to: LoginState;
  readonly patch: LoginTransactionPatch;
  readonly now: Date;
  /** The NemID challenge the response was verified against: it must still be the open one, and is cleared. */
  readonly challenge?: string;
  /** An AuthnRequest ID to record against replay (unique per SP). */
  readonly authnRequest?: { readonly spEntityId: string; readonly requestId: string; readonly expiresAt: Date };
  /** The accepted NemID response's SignatureValue digest (unique: a second use aborts the statement). */
  readonly responseDigest?: { readonly digest: Buffer; readonly expiresAt: Date };
  readonly evidence?: { readonly signedXml: string; readonly expiresAt: Date };
  readonly session?: NewIdpSession;
  /** Upserted; an existing participant keeps its created_at (its place in the logout order). */
  readonly participant?: NewParticipant;
  readonly persistentId?: { readonly spEntityId: string; readonly nameId: string };
  readonly cprMemory?: {
    /** Remember (insert or replace) a sealed CPR for this key. */
    readonly put?: { readonly key: Buffer; readonly spEntityId: string; readonly ciphertext: Buffer; readonly keyId: string };
    /** Mark a remembered CPR used now. */
    readonly touch?: { readonly key: Buffer; readonly spEntityId: string };
  };
  readonly audit: readonly AuditEvent[];
}

export type LoginStepResult =
  | { readonly ok: true; readonly tx: LoginTransaction }
  | { readonly ok: false; readonly reason: 'moved-on' | 'request-replayed' | 'response-replayed' };

class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

const CREATE_COLUMNS = [
  ['id', (c: NewLoginTransaction) => c.id],
  ['browser_binding', (c: NewLoginTransaction) => c.browserBinding],
  ['sp_entity_id', (c: NewLoginTransaction) => c.spEntityId],
  ['request_id', (c: NewLoginTransaction) => c.requestId],
  ['acs_url', (c: NewLoginTransaction) => c.acsUrl],
  ['acs_binding', (c: NewLoginTransaction) => c.acsBinding],
  ['relay_state', (c: NewLoginTransaction) => c.relayState],
  ['request', (c: NewLoginTransaction) => jsonParam(c.request)],
  ['language', (c: NewLoginTransaction) => c.language],
  ['created_at', (c: NewLoginTransaction) => c.createdAt],
  ['expires_at', (c: NewLoginTransaction) => c.expiresAt],
] as const;

function movedCte(write: LoginStepWrite, p: Params): string {
  const patch = patchAssignments(write.patch, p.add.bind(p));
  if (write.create) {
    const columns = ['state', 'updated_at', ...CREATE_COLUMNS.map(([column]) => column), ...patch.map(([column]) => column)];
    const values = [p.add(write.to), p.add(write.now), ...CREATE_COLUMNS.map(([, value]) => p.add(value(write.create!))), ...patch.map(([, param]) => param)];
    return `moved AS (INSERT INTO login_transactions (${columns.join(', ')}) VALUES (${values.join(', ')}) RETURNING *)`;
  }
  const sets = [`state = ${p.add(write.to)}`, `updated_at = ${p.add(write.now)}`, ...patch.map(([column, param]) => `${column} = ${param}`)];
  const where = [`id = ${p.add(write.loginId)}`, `state = ANY(${p.add([...write.from])}::text[])`];
  if (write.challenge !== undefined) {
    if (!('nemidChallenge' in write.patch)) sets.push('nemid_challenge = NULL');
    where.push(`nemid_challenge = ${p.add(write.challenge)}`);
  }
  return `moved AS (UPDATE login_transactions SET ${sets.join(', ')} WHERE ${where.join(' AND ')} RETURNING *)`;
}

/** The statement for `write`, with its parameters (exported for the tests that read it). */
export function loginStepStatement(write: LoginStepWrite): { text: string; values: unknown[] } {
  const p = new Params();
  const ctes = [movedCte(write, p)];
  // Added on first use: PostgreSQL refuses a parameter that no part of the statement refers to.
  let nowParam: string | undefined;
  const nowOf = () => (nowParam ??= `${p.add(write.now)}::timestamptz`);
  if (write.authnRequest) {
    const r = write.authnRequest;
    ctes.push(`request_id AS (INSERT INTO authn_request_ids (sp_entity_id, request_id, expires_at)
      SELECT ${p.add(r.spEntityId)}::text, ${p.add(r.requestId)}::text, ${p.add(r.expiresAt)}::timestamptz FROM moved)`);
  }
  if (write.responseDigest) {
    const d = write.responseDigest;
    if (d.digest.length !== 32) throw new RangeError('response digest must be 32 bytes (SHA-256)');
    ctes.push(`digest AS (INSERT INTO nemid_response_digests (digest, login_id, created_at, expires_at)
      SELECT ${p.add(d.digest)}::bytea, moved.id, ${nowOf()}, ${p.add(d.expiresAt)}::timestamptz FROM moved)`);
  }
  if (write.evidence) {
    const e = write.evidence;
    ctes.push(`evidence AS (INSERT INTO nemid_evidence (login_id, signed_xml, created_at, expires_at)
      SELECT moved.id, ${p.add(e.signedXml)}::text, ${nowOf()}, ${p.add(e.expiresAt)}::timestamptz FROM moved)`);
  }
  if (write.session) {
    const s = write.session;
    ctes.push(`session AS (INSERT INTO idp_sessions (id, browser_binding, subject, certificate_type, youth, authn_instant, created_at, expires_at, eid, loa)
      SELECT ${p.add(s.id)}::text, ${p.add(s.browserBinding)}::text, ${p.add(jsonParam(s.subject))}::jsonb, ${p.add(s.certificateType)}::text, ${p.add(s.youth)}::boolean,
             ${p.add(s.authnInstant)}::timestamptz, ${p.add(s.createdAt)}::timestamptz, ${p.add(s.expiresAt)}::timestamptz,
             ${p.add(s.eid ?? 'nemid')}::text, ${p.add(s.loa ?? 'Substantial')}::text FROM moved)`);
  }
  if (write.participant) {
    const x = write.participant;
    ctes.push(`participant AS (INSERT INTO idp_session_participants
        (session_id, sp_entity_id, name_id, name_id_format, name_qualifier, sp_name_qualifier, session_index, created_at)
      SELECT ${p.add(x.sessionId)}::text, ${p.add(x.spEntityId)}::text, ${p.add(x.nameId)}::text, ${p.add(x.nameIdFormat)}::text, ${p.add(x.nameQualifier)}::text,
             ${p.add(x.spNameQualifier)}::text, ${p.add(x.sessionIndex)}::text, ${p.add(x.createdAt)}::timestamptz FROM moved
      ON CONFLICT (session_id, sp_entity_id) DO UPDATE SET
        name_id = EXCLUDED.name_id, name_id_format = EXCLUDED.name_id_format, name_qualifier = EXCLUDED.name_qualifier,
        sp_name_qualifier = EXCLUDED.sp_name_qualifier, session_index = EXCLUDED.session_index,
        logout_state = NULL, logout_request_id = NULL)`);
  }
  if (write.persistentId) {
    ctes.push(`persistent AS (INSERT INTO persistent_ids (sp_entity_id, name_id, created_at)
      SELECT ${p.add(write.persistentId.spEntityId)}::text, ${p.add(write.persistentId.nameId)}::text, ${nowOf()} FROM moved ON CONFLICT DO NOTHING)`);
  }
  const memory = write.cprMemory;
  if (memory?.put) {
    const m = memory.put;
    ctes.push(`memory_put AS (INSERT INTO cpr_memory (pid_hmac, sp_entity_id, ciphertext, key_id, created_at, last_used_at)
      SELECT ${p.add(m.key)}::bytea, ${p.add(m.spEntityId)}::text, ${p.add(m.ciphertext)}::bytea, ${p.add(m.keyId)}::text, ${nowOf()}, ${nowOf()} FROM moved
      ON CONFLICT (pid_hmac, sp_entity_id) DO UPDATE SET ciphertext = EXCLUDED.ciphertext, key_id = EXCLUDED.key_id, last_used_at = EXCLUDED.last_used_at)`);
  }
  if (memory?.touch) {
    ctes.push(`memory_touch AS (UPDATE cpr_memory SET last_used_at = GREATEST(last_used_at, ${nowOf()})
      WHERE pid_hmac = ${p.add(memory.touch.key)}::bytea AND sp_entity_id = ${p.add(memory.touch.spEntityId)}::text AND EXISTS (SELECT 1 FROM moved))`);
  }
  if (write.audit.length > 0) {
    const rows = write.audit.map((e) => ({
      occurred_at: e.occurredAt.toISOString(),
      type: e.type,
      trace_id: e.traceId ?? null,
      sp_entity_id: e.spEntityId ?? null,
      login_id: e.loginId ?? null,
      session_id: e.sessionId ?? null,
      data: e.data ?? {},
    }));
    ctes.push(`audit AS (INSERT INTO audit_events (occurred_at, type, trace_id, sp_entity_id, login_id, session_id, data)
      SELECT e.occurred_at, e.type, e.trace_id, e.sp_entity_id, e.login_id, e.session_id, e.data
        FROM moved, jsonb_to_recordset(${p.add(JSON.stringify(rows))}::jsonb)
          AS e(occurred_at timestamptz, type text, trace_id text, sp_entity_id text, login_id text, session_id text, data jsonb))`);
  }
  return { text: `WITH ${ctes.join(',\n')}\nSELECT * FROM moved`, values: p.values };
}

const REPLAY_CONSTRAINTS: Record<string, 'request-replayed' | 'response-replayed'> = {
  authn_request_ids_pkey: 'request-replayed',
  nemid_response_digests_pkey: 'response-replayed',
};

/** Unique violations of the replay tables are answers, not failures: they name what was replayed. */
function replayReason(error: unknown): 'request-replayed' | 'response-replayed' | undefined {
  if (!(error instanceof IdpError) || error.code !== 'DB_CONFLICT') return undefined;
  const constraint = error.detail?.['constraint'];
  return typeof constraint === 'string' ? REPLAY_CONSTRAINTS[constraint] : undefined;
}

/** Commits one login step (see the top of this file). Failures other than a replay are thrown, mapped. */
export async function commitLoginStep(db: Queryable, write: LoginStepWrite): Promise<LoginStepResult> {
  const statement = loginStepStatement(write);
  try {
    const result = await query<Row>(db, statement.text, statement.values);
    const row = result.rows[0];
    return row ? { ok: true, tx: fromRow(row) } : { ok: false, reason: 'moved-on' };
  } catch (error) {
    const reason = replayReason(error);
    if (reason) return { ok: false, reason };
    throw error;
  }
}

/**
 * An AuthnRequest answered without a login (a deferred request error, NoPassive without a session): its ID recorded
 * against replay and its audit rows in one statement. False when the ID was seen before (nothing is written).
 */
export async function recordAnsweredRequest(
  db: Queryable,
  request: { readonly spEntityId: string; readonly requestId: string; readonly expiresAt: Date },
  audit: readonly AuditEvent[],
): Promise<boolean> {
  if (audit.length === 0) throw new TypeError('an answered AuthnRequest is audited');
  const rows = audit.map((e) => ({
    occurred_at: e.occurredAt.toISOString(), type: e.type, trace_id: e.traceId ?? null, sp_entity_id: e.spEntityId ?? null,
    login_id: e.loginId ?? null, session_id: e.sessionId ?? null, data: e.data ?? {},
  }));
  const result = await query(
    db,
    `WITH recorded AS (INSERT INTO authn_request_ids (sp_entity_id, request_id, expires_at) VALUES ($1, $2, $3)
                       ON CONFLICT DO NOTHING RETURNING 1)
     INSERT INTO audit_events (occurred_at, type, trace_id, sp_entity_id, login_id, session_id, data)
     SELECT e.occurred_at, e.type, e.trace_id, e.sp_entity_id, e.login_id, e.session_id, e.data
       FROM recorded, jsonb_to_recordset($4::jsonb)
         AS e(occurred_at timestamptz, type text, trace_id text, sp_entity_id text, login_id text, session_id text, data jsonb)
     RETURNING 1`,
    [request.spEntityId, request.requestId, request.expiresAt, JSON.stringify(rows)],
  );
  return (result.rowCount ?? 0) > 0;
}

/**
 * Ends a login as failed with `code`, whatever step it is in now (so a failure found by a request that read an older
 * state still ends it), unless it has already completed or failed; the audit rows go in the same statement. The row
 * as committed, or null when the login had already ended (or does not exist).
 */
export async function failLogin(db: Queryable, loginId: string, code: string, now: Date, audit: readonly AuditEvent[]): Promise<LoginTransaction | null> {
  const write: LoginStepWrite = {
    loginId,
    from: ['created', 'client_started', 'mitid_started', 'authenticated', 'cpr', 'business'],
    to: 'failed',
    patch: { errorCode: code, cprCiphertext: null, cprKeyId: null, nemidChallenge: null, mitidRequest: null },
    now,
    audit,
  };
  const result = await commitLoginStep(db, write);
  return result.ok ? result.tx : null;
}
