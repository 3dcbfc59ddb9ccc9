import type { Queryable } from './pool.js';
import { query } from './query.js';

export interface DatabaseHealth {
  reachable: boolean;
  latencyMs: number;
  /** The catalogue code when unreachable (DB_UNAVAILABLE, DB_QUERY_FAILED). */
  errorCode?: string;
}

/** One round trip; never throws, so readiness probes can report instead of crash. */
export async function checkDatabase(db: Queryable, now: () => number = () => performance.now()): Promise<DatabaseHealth> {
  const started = now();
  try {
    await query(db, 'SELECT 1');
    return { reachable: true, latencyMs: Math.round((now() - started) * 10) / 10 };
  } catch (error) {
    const code = (error as { code?: string }).code;
    return { reachable: false, latencyMs: Math.round((now() - started) * 10) / 10, ...(code ? { errorCode: code } : {}) };
  }
}
