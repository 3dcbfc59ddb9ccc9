import type pg from 'pg';
import type { Pool, Queryable } from './pool.js';
import { isDriverError, mapPgError } from './pg-errors.js';

/** Runs one parameterised statement; any failure becomes a catalogue error (mapPgError). */
export async function query<R extends pg.QueryResultRow = pg.QueryResultRow>(
  db: Queryable,
  text: string,
  params: readonly unknown[] = [],
): Promise<pg.QueryResult<R>> {
  try {
    return await db.query<R>(text, params as unknown[]);
  } catch (error) {
    throw mapPgError(error);
  }
}

/**
 * Runs `fn` inside BEGIN … COMMIT on one client; anything thrown rolls back and is rethrown (mapped when it came
 * from PostgreSQL). A client whose ROLLBACK failed is destroyed rather than returned to the pool in an unknown state.
 */
export async function withTransaction<T>(pool: Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw mapPgError(error);
  }
  let broken: Error | undefined;
  try {
    await query(client, 'BEGIN');
    const result = await fn(client);
    await query(client, 'COMMIT');
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackError) {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    }
    // Application errors thrown by `fn` pass through unchanged; only driver errors are translated.
    throw isDriverError(error) ? mapPgError(error) : error;
  } finally {
    client.release(broken);
  }
}
