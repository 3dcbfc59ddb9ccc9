import { IdpError } from '../errors/index.js';
import { systemClock, type Clock } from '../shared/index.js';
import type { Pool } from '../store/index.js';
import { CPR_PURGE_JOB, DEFAULT_CPR_PURGE_SCHEDULE, runCprPurge, type CprRetention } from './cpr-purge.js';
import { runSweep, type SweepRetention } from './sweep.js';
import type { JobDefinition, JobLog, JobResult } from './types.js';

// The service's scheduled jobs. Adding one is one entry below (CPR purge and CRL refresh come with their modules).

export interface StandardJobsDeps {
  pool: Pool;
  /** Per-job cron overrides, e.g. from configuration: { sweep: '*\/5 * * * *' }. */
  schedules?: Partial<Record<string, string>>;
  sweepRetention?: SweepRetention;
  /** CPR_MEMORY_RETENTION (default 3 months). */
  cprRetention?: CprRetention;
}

export function standardJobs(deps: StandardJobsDeps): JobDefinition[] {
  const cronFor = (name: string, fallback: string) => deps.schedules?.[name] ?? fallback;
  const jobs: JobDefinition[] = [
    {
      name: 'sweep',
      cron: cronFor('sweep', '*/15 * * * *'),
      run: ({ clock }) => sweepJob(deps, clock),
      deletedRows: (result) => Object.values(result).reduce<number>((sum, value) => sum + (typeof value === 'number' ? value : 0), 0),
    },
    {
      name: CPR_PURGE_JOB,
      cron: cronFor(CPR_PURGE_JOB, DEFAULT_CPR_PURGE_SCHEDULE),
      run: async ({ clock, log }) => ({ ...(await runCprPurge({ pool: deps.pool, clock, log, ...(deps.cprRetention ? { retention: deps.cprRetention } : {}) })) }),
      deletedRows: (result) => (result['dryRun'] === true || typeof result['deleted'] !== 'number' ? 0 : result['deleted']),
    },
  ];
  return jobs;
}

async function sweepJob(deps: StandardJobsDeps, clock: Clock): Promise<JobResult> {
  const counts = await runSweep({ pool: deps.pool, clock, ...(deps.sweepRetention ? { retention: deps.sweepRetention } : {}) });
  return { ...counts };
}

/**
 * Runs one job now, outside the schedule and without claiming a slot (an operator asked for it): for the CLI,
 * e.g. `nemid-idp run-job sweep`. Logs and returns the job's result.
 */
export async function runJobNow(
  jobs: readonly JobDefinition[],
  name: string,
  options: { log: JobLog; clock?: Clock },
): Promise<JobResult> {
  const job = jobs.find((j) => j.name === name);
  if (!job) {
    throw new IdpError('CONFIG_INVALID', `unknown job ${JSON.stringify(name)}; known: ${jobs.map((j) => j.name).join(', ')}`);
  }
  const clock = options.clock ?? systemClock;
  const result = await job.run({ slot: clock.now(), clock, log: options.log });
  options.log.info({ job: name, result }, 'job run from the command line finished');
  return result;
}
