import type { Clock } from '../shared/index.js';
import type { StoreLog } from '../store/index.js';

export type JobLog = StoreLog;

export interface JobContext {
  /** The schedule slot this run belongs to (for a CLI run: the moment it was started). */
  slot: Date;
  clock: Clock;
  log: JobLog;
}

/** A job returns what it did (counts, ids); that becomes the claim's outcome and the log line. */
export type JobResult = Record<string, unknown>;

export interface JobDefinition {
  /** Stable name: the claim key across instances and the CLI argument. */
  name: string;
  /** node-cron expression (5 or 6 fields), evaluated in the scheduler's time zone. */
  cron: string;
  run(context: JobContext): Promise<JobResult>;
  /** For jobs that delete rows: how many a result says were deleted (counted in /metrics). */
  deletedRows?(result: JobResult): number;
}
