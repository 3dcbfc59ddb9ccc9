import type { Clock } from '../shared/index.js';
import {
  cprMatchAttempts,
  idpSessions,
  jobClaims,
  loginTransactions,
  nemidEvidence,
  requestIds,
  responseDigests,
  type Queryable,
} from '../store/index.js';

// The expired-row sweep: logins stuck in a step past their expiry are ended (`failed`, LOGIN_EXPIRED, audited), then
// everything with an expiry that has passed is deleted, plus bookkeeping older than its retention.
// Each table is its own statement (no long transaction); a failure stops the sweep and the next slot retries.

export interface SweepRetention {
  /** job_claims rows kept this long (default 30 days), so ops can see recent runs. */
  jobClaimsMs?: number;
  /** CPR match attempts kept this long (default 1 day; the limit looks back one hour). */
  cprMatchAttemptsMs?: number;
  /** Ended IdP sessions kept this long for their logout chain (default 1 hour). */
  endedSessionsMs?: number;
  /** Logins kept this long after their expiry, ended (default 0: deleted in the same sweep). */
  expiredLoginsMs?: number;
}

export interface SweepCounts {
  loginTransactions: number;
  authnRequestIds: number;
  nemidResponseDigests: number;
  nemidEvidence: number;
  idpSessions: number;
  cprMatchAttempts: number;
  jobClaims: number;
}

const DAY = 24 * 60 * 60 * 1000;

export async function runSweep(options: { pool: Queryable; clock: Clock; retention?: SweepRetention }): Promise<SweepCounts> {
  const { pool, clock } = options;
  const now = clock.now();
  const retention = options.retention ?? {};
  const before = (ms: number) => new Date(now.getTime() - ms);
  // First every login stuck in a step past its expiry is ended (with an audit row), then the ended ones are deleted.
  await loginTransactions.expireStuck(pool, now);
  return {
    loginTransactions: await loginTransactions.deleteExpired(pool, before(retention.expiredLoginsMs ?? 0)),
    authnRequestIds: await requestIds.deleteExpired(pool, now),
    nemidResponseDigests: await responseDigests.deleteExpired(pool, now),
    nemidEvidence: await nemidEvidence.deleteExpired(pool, now),
    idpSessions: await idpSessions.deleteExpired(pool, now, retention.endedSessionsMs ?? 60 * 60 * 1000),
    cprMatchAttempts: await cprMatchAttempts.deleteOlderThan(pool, before(retention.cprMatchAttemptsMs ?? DAY)),
    jobClaims: await jobClaims.deleteOlderThan(pool, before(retention.jobClaimsMs ?? 30 * DAY)),
  };
}
