import cron, { type ScheduledTask } from 'node-cron';
import { IdpError } from '../errors/index.js';
import type { Clock } from '../shared/index.js';
import { jobClaims, type Pool } from '../store/index.js';
import type { JobDefinition, JobLog, JobResult } from './types.js';

// node-cron fires each job in every instance; a run coordinator claims the slot in job_claims first (INSERT … ON
// CONFLICT DO NOTHING), so exactly one instance runs it whatever the instances' clock skew. A failed claim (database
// down) skips the slot: fail-closed, since the alternative is every instance running it.

export interface SchedulerOptions {
  pool: Pool;
  /** IANA zone the cron expressions are read in; default Europe/Copenhagen. */
  timezone?: string;
  /** Names this instance in job_claims.claimed_by (host name + pid is a good choice). */
  instanceId: string;
  log: JobLog;
  clock: Clock;
}

export interface Scheduler {
  add(job: JobDefinition): void;
  start(): void;
  /** Stops scheduling and waits (up to `timeoutMs`) for runs in progress to finish. */
  stop(timeoutMs?: number): Promise<void>;
  readonly timezone: string;
}

// The key node-cron hands the coordinator: "<task name>:<slot as ISO-8601 UTC with milliseconds>".
const SLOT_ISO_LENGTH = '2026-01-01T00:00:00.000Z'.length;

export function slotFromKey(key: string, jobName: string): Date {
  const prefix = `${jobName}:`;
  const iso = key.slice(prefix.length);
  const slot = new Date(iso);
  if (!key.startsWith(prefix) || iso.length !== SLOT_ISO_LENGTH || Number.isNaN(slot.getTime()) || slot.toISOString() !== iso) {
    throw new Error(`unexpected run-coordinator key ${JSON.stringify(key)} for job ${jobName}`);
  }
  return slot;
}

function errorFields(error: unknown): Record<string, unknown> {
  if (error instanceof IdpError) return { code: error.code };
  return { code: 'INTERNAL_ERROR', name: error instanceof Error ? error.name : typeof error };
}

export function createScheduler(options: SchedulerOptions): Scheduler {
  const timezone = options.timezone ?? 'Europe/Copenhagen';
  // node-cron only notices a bad zone when a task starts; refuse it at configuration time instead.
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch (cause) {
    throw new IdpError('CONFIG_INVALID', `unknown job time zone ${JSON.stringify(timezone)}`, { cause, detail: { timezone } });
  }
  const { pool, instanceId, log, clock } = options;
  const tasks: ScheduledTask[] = [];
  const running = new Set<Promise<void>>();
  let stopped = false;

  const cronLogger = {
    info: (message: string) => log.info({ component: 'cron' }, message),
    warn: (message: string) => log.warn({ component: 'cron' }, message),
    error: (message: string | Error, err?: Error) =>
      log.error({ component: 'cron', err: err ?? message }, typeof message === 'string' ? message : message.message),
    debug: () => {},
  };

  async function runClaimed(job: JobDefinition, slot: Date): Promise<void> {
    if (stopped) {
      // Claimed just as we stopped: record it rather than start work the pool may no longer serve.
      await jobClaims.finish(pool, job.name, slot, instanceId, clock.now(), { status: 'abandoned' }).catch(() => undefined);
      log.warn({ job: job.name, slot }, 'job slot abandoned: scheduler stopping');
      return;
    }
    const started = clock.now();
    let outcome: JobResult;
    try {
      const result = await job.run({ slot, clock, log });
      outcome = { status: 'succeeded', result };
      log.info({ job: job.name, slot, result, ms: clock.now().getTime() - started.getTime() }, 'job finished');
    } catch (error) {
      outcome = { status: 'failed', error: errorFields(error) };
      log.error({ job: job.name, slot, err: error }, 'job failed');
    }
    try {
      await jobClaims.finish(pool, job.name, slot, instanceId, clock.now(), outcome);
    } catch (error) {
      log.error({ job: job.name, slot, err: error }, 'could not record the job outcome');
    }
  }

  return {
    timezone,
    add(job) {
      if (!cron.validate(job.cron)) {
        throw new IdpError('CONFIG_INVALID', `job ${job.name}: invalid cron expression ${JSON.stringify(job.cron)}`, {
          detail: { job: job.name, cron: job.cron },
        });
      }
      if (tasks.some((t) => t.name === job.name)) throw new IdpError('CONFIG_INVALID', `job ${job.name} added twice`);
      let task: ScheduledTask;
      try {
        task = cron.createTask(
          job.cron,
          (context) => {
            const run = runClaimed(job, context.date);
            running.add(run);
            return run.finally(() => running.delete(run));
          },
          {
            name: job.name,
            timezone,
            distributed: true,
            noOverlap: true,
            logger: cronLogger,
            runCoordinator: {
              shouldRun: (key: string) => jobClaims.claim(pool, job.name, slotFromKey(key, job.name), instanceId, clock.now()),
            },
          },
        );
      } catch (cause) {
        throw new IdpError('CONFIG_INVALID', `job ${job.name}: cannot schedule`, { cause, detail: { job: job.name, timezone } });
      }
      tasks.push(task);
    },
    start() {
      stopped = false;
      for (const task of tasks) void task.start();
      log.info({ jobs: tasks.map((t) => t.name), timezone, instanceId }, 'job scheduler started');
    },
    async stop(timeoutMs = 30_000) {
      stopped = true;
      await Promise.all(tasks.map((t) => t.stop()));
      if (running.size > 0) {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<void>((resolve) => {
          timer = setTimeout(resolve, timeoutMs);
        });
        await Promise.race([Promise.allSettled([...running]), timeout]);
        clearTimeout(timer);
        if (running.size > 0) log.warn({ running: running.size }, 'job scheduler stopped with runs still in progress');
      }
      await Promise.all(tasks.map((t) => t.destroy()));
      tasks.length = 0;
    },
  };
}
