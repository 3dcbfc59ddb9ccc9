import type { Queryable } from '../pool.js';
import { query } from '../query.js';
import type { SessionShape, StoredLockState, StoredUserEvent } from './types.js';

// sim_lockouts, sim_client_sessions, sim_remember_tokens and sim_user_events: what the simulator keeps between the
// steps of its logins, so that any instance serves any step and the transaction log outlives a restart.

export async function lockState(db: Queryable, userId: string): Promise<StoredLockState> {
  const result = await query<{ wrong_passwords: number; wrong_codes: number; quarantined_until: Date | null; card_locked: boolean }>(
    db,
    'SELECT wrong_passwords, wrong_codes, quarantined_until, card_locked FROM sim_lockouts WHERE user_id = $1',
    [userId],
  );
  const r = result.rows[0];
  if (!r) return { cardLocked: false, wrongPasswords: 0, wrongCodes: 0 };
  return { cardLocked: r.card_locked, wrongPasswords: r.wrong_passwords, wrongCodes: r.wrong_codes, ...(r.quarantined_until ? { quarantinedUntil: r.quarantined_until } : {}) };
}

/** One more wrong password or code, counted atomically; the new count. */
export async function countWrong(db: Queryable, userId: string, kind: 'password' | 'code'): Promise<number> {
  const column = kind === 'password' ? 'wrong_passwords' : 'wrong_codes';
  const result = await query<{ count: number }>(
    db,
    `INSERT INTO sim_lockouts (user_id, ${column}) VALUES ($1, 1)
     ON CONFLICT (user_id) DO UPDATE SET ${column} = sim_lockouts.${column} + 1 RETURNING ${column} AS count`,
    [userId],
  );
  return result.rows[0]?.count ?? 0;
}

export async function clearWrong(db: Queryable, userId: string, kind: 'password' | 'code'): Promise<void> {
  const column = kind === 'password' ? 'wrong_passwords' : 'wrong_codes';
  await query(db, `UPDATE sim_lockouts SET ${column} = 0 WHERE user_id = $1`, [userId]);
}

export async function quarantine(db: Queryable, userId: string, until: Date): Promise<void> {
  await query(
    db,
    `INSERT INTO sim_lockouts (user_id, quarantined_until) VALUES ($1, $2)
     ON CONFLICT (user_id) DO UPDATE SET quarantined_until = $2, wrong_passwords = 0`,
    [userId, until],
  );
}

export async function lockCard(db: Queryable, userId: string): Promise<void> {
  await query(db, `INSERT INTO sim_lockouts (user_id, card_locked) VALUES ($1, true) ON CONFLICT (user_id) DO UPDATE SET card_locked = true, wrong_codes = 0`, [userId]);
}

export async function resetLockouts(db: Queryable, userId?: string): Promise<void> {
  if (userId === undefined) await query(db, 'DELETE FROM sim_lockouts');
  else await query(db, 'DELETE FROM sim_lockouts WHERE user_id = $1', [userId]);
}

export async function createSession<S extends SessionShape>(db: Queryable, session: S): Promise<void> {
  const { id, lastActivity, ...state } = session;
  await query(db, 'INSERT INTO sim_client_sessions (id, state, last_activity) VALUES ($1, $2, $3)', [id, JSON.stringify(state), new Date(lastActivity)]);
}

export async function getSession<S extends SessionShape>(db: Queryable, id: string): Promise<S | null> {
  const result = await query<{ id: string; state: Omit<S, 'id' | 'lastActivity'>; last_activity: Date }>(
    db,
    'SELECT id, state, last_activity FROM sim_client_sessions WHERE id = $1',
    [id],
  );
  const r = result.rows[0];
  return r ? ({ ...r.state, id: r.id, lastActivity: r.last_activity.getTime() } as S) : null;
}

export async function saveSession<S extends SessionShape>(db: Queryable, session: S): Promise<void> {
  const { id, lastActivity, ...state } = session;
  await query(db, 'UPDATE sim_client_sessions SET state = $2, last_activity = $3 WHERE id = $1', [id, JSON.stringify(state), new Date(lastActivity)]);
}

export async function endSession(db: Queryable, id: string): Promise<void> {
  await query(db, 'DELETE FROM sim_client_sessions WHERE id = $1', [id]);
}

export async function sweepSessions(db: Queryable, before: Date): Promise<void> {
  await query(db, 'DELETE FROM sim_client_sessions WHERE last_activity < $1', [before]);
}

export async function putRememberToken(db: Queryable, tokenSha256: Buffer, userId: string, at: Date): Promise<void> {
  await query(db, 'INSERT INTO sim_remember_tokens (token_sha256, user_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [tokenSha256, userId, at]);
}

export async function rememberedUser(db: Queryable, tokenSha256: Buffer): Promise<string | null> {
  const result = await query<{ user_id: string }>(db, 'SELECT user_id FROM sim_remember_tokens WHERE token_sha256 = $1', [tokenSha256]);
  return result.rows[0]?.user_id ?? null;
}

export async function appendEvent(db: Queryable, event: StoredUserEvent): Promise<void> {
  await query(
    db,
    'INSERT INTO sim_user_events (session_id, user_id, at, client, service, step, outcome) VALUES ($1, $2, $3, $4, $5, $6, $7)',
    [event.sessionId, event.userId, event.at, event.client, event.service, event.step, event.outcome],
  );
}

export async function eventsForUser(db: Queryable, userId: string, limit: number): Promise<StoredUserEvent[]> {
  const result = await query<{ session_id: string; user_id: string; at: Date; client: 'js' | 'codefile'; service: string; step: StoredUserEvent['step']; outcome: string }>(
    db,
    'SELECT session_id, user_id, at, client, service, step, outcome FROM sim_user_events WHERE user_id = $1 ORDER BY at DESC, id DESC LIMIT $2',
    [userId, limit],
  );
  return result.rows.map((r) => ({ sessionId: r.session_id, userId: r.user_id, at: r.at, client: r.client, service: r.service, step: r.step, outcome: r.outcome }));
}

/** DELETE /control: lock-outs, sessions and remember tokens; users, cards, revocations and the log stay. */
export async function resetVolatile(db: Queryable): Promise<void> {
  await query(db, 'DELETE FROM sim_lockouts');
  await query(db, 'DELETE FROM sim_client_sessions');
  await query(db, 'DELETE FROM sim_remember_tokens');
}
