import type pg from 'pg';
import { runLogins, type LoginResult, type LoginRunSummary } from '../../../bench/lib/login-driver.js';
import type { Cluster } from './cluster.js';

// Load under a fault, and what the tables say afterwards. Assertions are about outcomes (which logins failed, with
// what, and what state every login row is in), never about how long anything took.

export interface LoadRun {
  readonly summary: LoginRunSummary;
  readonly results: readonly LoginResult[];
  /** When the run started and ended: its login rows are the ones created in between. */
  readonly startedAt: Date;
  readonly endedAt: Date;
}

/** Runs bounded logins against the cluster while `during` injects a fault; resolves when both are done. */
export async function loadDuring(
  cluster: Cluster,
  load: { concurrency: number; durationMs: number; maxLogins?: number },
  during: (started: Promise<void>) => Promise<void> = async () => undefined,
): Promise<LoadRun> {
  const results: LoginResult[] = [];
  const startedAt = new Date();
  let firstDone: () => void = () => undefined;
  const firstLogin = new Promise<void>((resolve) => (firstDone = resolve));
  const [summary] = await Promise.all([
    runLogins({
      baseUrl: cluster.baseUrl,
      simulatorUrl: cluster.simulatorUrl,
      idpCert: cluster.idpCert,
      concurrency: load.concurrency,
      durationMs: load.durationMs,
      ...(load.maxLogins ? { maxLogins: load.maxLogins } : {}),
      requestTimeoutMs: 30_000,
      onLogin: (result) => {
        results.push(result);
        firstDone();
      },
    }),
    during(firstLogin),
  ]);
  return { summary, results, startedAt, endedAt: new Date() };
}

export function describeRun(run: LoadRun): string {
  const s = run.summary;
  return `${s.started} logins, ${s.completed} completed, ${s.errors} failed ${JSON.stringify(s.errorsByKind)}`;
}

export const NON_TERMINAL_STATES = ['created', 'client_started', 'authenticated', 'cpr', 'business'];

export interface LoginRowCheck {
  /** Rows of this run's logins still in a non-terminal state. */
  readonly stuck: number;
  /** Rows completed whose login the driver saw fail (the user never got the answer). */
  readonly completedWithoutResponse: number;
  /** Logins with more than one `response_sent` audit event. */
  readonly answeredTwice: number;
  /** Driver successes with no completed row. */
  readonly answeredButNotCompleted: number;
  readonly rows: number;
}

/** Compares what the driver saw with the login rows created during the run (matched by RelayState `load-<index>`). */
export async function checkLoginRows(db: pg.Pool, run: LoadRun): Promise<LoginRowCheck> {
  const { rows } = await db.query<{ id: string; state: string; relay_state: string | null; responses: number }>(
    `SELECT t.id, t.state, t.relay_state,
            (SELECT count(*)::int FROM audit_events a WHERE a.login_id = t.id AND a.type = 'response_sent') AS responses
       FROM login_transactions t
      WHERE t.created_at >= $1 AND t.created_at <= $2 AND t.relay_state LIKE 'load-%'`,
    [run.startedAt, run.endedAt],
  );
  const outcome = new Map(run.results.map((result) => [`load-${result.index}`, result.ok]));
  let stuck = 0;
  let completedWithoutResponse = 0;
  let answeredTwice = 0;
  const completed = new Set<string>();
  for (const row of rows) {
    if (NON_TERMINAL_STATES.includes(row.state)) stuck++;
    if (row.state === 'completed') {
      completed.add(row.relay_state ?? '');
      if (outcome.get(row.relay_state ?? '') === false) completedWithoutResponse++;
    }
    if (row.responses > 1) answeredTwice++;
  }
  const answeredButNotCompleted = run.results.filter((result) => result.ok && !completed.has(`load-${result.index}`)).length;
  return { stuck, completedWithoutResponse, answeredTwice, answeredButNotCompleted, rows: rows.length };
}
