import { jsonParam } from './login-transactions.js';
import type { Queryable } from './pool.js';
import { query } from './query.js';

// One row per (job, schedule slot). Whoever inserts it runs that slot: exactly one instance, whatever the clocks.

export interface JobClaim {
  jobName: string;
  slot: Date;
  claimedBy: string;
  claimedAt: Date;
  finishedAt: Date | null;
  outcome: Record<string, unknown> | null;
}

/** True when this instance won the slot; false when another already holds it. */
export async function claim(db: Queryable, jobName: string, slot: Date, instanceId: string, claimedAt: Date): Promise<boolean> {
  const result = await query(
    db,
    `INSERT INTO job_claims (job_name, slot, claimed_by, claimed_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
    [jobName, slot, instanceId, claimedAt],
  );
  return result.rowCount === 1;
}

/** Records how the claimed run ended; only the claimant can finish it, and only once. */
export async function finish(
  db: Queryable,
  jobName: string,
  slot: Date,
  instanceId: string,
  finishedAt: Date,
  outcome: Record<string, unknown>,
): Promise<boolean> {
  const result = await query(
    db,
    `UPDATE job_claims SET finished_at = $4, outcome = $5
      WHERE job_name = $1 AND slot = $2 AND claimed_by = $3 AND finished_at IS NULL`,
    [jobName, slot, instanceId, finishedAt, jsonParam(outcome)],
  );
  return result.rowCount === 1;
}

export async function list(db: Queryable, jobName: string): Promise<JobClaim[]> {
  const result = await query<{
    job_name: string; slot: Date; claimed_by: string; claimed_at: Date; finished_at: Date | null; outcome: Record<string, unknown> | null;
  }>(db, 'SELECT * FROM job_claims WHERE job_name = $1 ORDER BY slot', [jobName]);
  return result.rows.map((r) => ({
    jobName: r.job_name, slot: r.slot, claimedBy: r.claimed_by, claimedAt: r.claimed_at, finishedAt: r.finished_at, outcome: r.outcome,
  }));
}

export async function deleteOlderThan(db: Queryable, cutoff: Date): Promise<number> {
  const result = await query(db, 'DELETE FROM job_claims WHERE slot < $1', [cutoff]);
  return result.rowCount ?? 0;
}
