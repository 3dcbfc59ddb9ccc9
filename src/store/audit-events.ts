import { jsonParam } from './login-transactions.js';
import type { Queryable } from './pool.js';
import { query } from './query.js';

// The append-only audit trail (a trigger refuses UPDATE, DELETE and TRUNCATE). Callers never put a CPR in `data`.

export interface AuditEvent {
  occurredAt: Date;
  type: string;
  traceId?: string | null;
  spEntityId?: string | null;
  loginId?: string | null;
  sessionId?: string | null;
  data?: Record<string, unknown>;
}

export interface StoredAuditEvent extends Required<AuditEvent> {
  id: string;
}

/** Appends one event and returns its id (bigserial, as a string). */
export async function append(db: Queryable, event: AuditEvent): Promise<string> {
  const result = await query<{ id: string }>(
    db,
    `INSERT INTO audit_events (occurred_at, type, trace_id, sp_entity_id, login_id, session_id, data)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [event.occurredAt, event.type, event.traceId ?? null, event.spEntityId ?? null, event.loginId ?? null,
      event.sessionId ?? null, jsonParam(event.data ?? {})],
  );
  return result.rows[0]!.id;
}

/** Events of one login in order (support and tests). */
export async function listForLogin(db: Queryable, loginId: string): Promise<StoredAuditEvent[]> {
  const result = await query<{
    id: string; occurred_at: Date; type: string; trace_id: string | null; sp_entity_id: string | null;
    login_id: string | null; session_id: string | null; data: Record<string, unknown>;
  }>(db, 'SELECT * FROM audit_events WHERE login_id = $1 ORDER BY id', [loginId]);
  return result.rows.map((r) => ({
    id: r.id,
    occurredAt: r.occurred_at,
    type: r.type,
    traceId: r.trace_id,
    spEntityId: r.sp_entity_id,
    loginId: r.login_id,
    sessionId: r.session_id,
    data: r.data,
  }));
}
