import type { Clock } from '../shared/index.js';
import { cprMemory, type Queryable } from '../store/index.js';
import type { JobLog } from './types.js';

// The nightly purge of remembered CPR numbers not used for CPR_MEMORY_RETENTION (default 3 months): one DELETE
// statement, so a crash cannot leave it half done. The scheduler's slot claim makes it run on one instance only.

export interface CprRetention {
  readonly months: number;
  readonly days: number;
}

export const DEFAULT_CPR_RETENTION: CprRetention = Object.freeze({ months: 3, days: 0 });
export const CPR_PURGE_JOB = 'cpr-purge';
export const DEFAULT_CPR_PURGE_SCHEDULE = '0 3 * * *';

/**
 * `now` minus the retention, in UTC calendar terms: months first (a day past the target month's end is clamped to
 * its last day, so 31 May − 3 months is 28/29 February), then days.
 */
export function cprPurgeCutoff(now: Date, retention: CprRetention): Date {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth() - retention.months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const shifted = new Date(Date.UTC(year, month, Math.min(now.getUTCDate(), lastDay), now.getUTCHours(), now.getUTCMinutes(), now.getUTCSeconds(), now.getUTCMilliseconds()));
  return new Date(shifted.getTime() - retention.days * 24 * 60 * 60 * 1000);
}

export interface CprPurgeResult {
  /** Rows deleted (or, in a dry run, rows that would be). */
  deleted: number;
  dryRun: boolean;
  cutoff: string;
}

export async function runCprPurge(options: {
  pool: Queryable;
  clock: Clock;
  retention?: CprRetention;
  dryRun?: boolean;
  log?: JobLog;
}): Promise<CprPurgeResult> {
  const cutoff = cprPurgeCutoff(options.clock.now(), options.retention ?? DEFAULT_CPR_RETENTION);
  const dryRun = options.dryRun === true;
  const deleted = await cprMemory.purgeOlderThan(options.pool, cutoff, { dryRun });
  options.log?.info({ job: CPR_PURGE_JOB, deleted, dryRun, cutoff: cutoff.toISOString() }, dryRun ? 'CPR memory purge (dry run): rows that would be deleted' : 'CPR memory purge: rows deleted');
  return { deleted, dryRun, cutoff: cutoff.toISOString() };
}
