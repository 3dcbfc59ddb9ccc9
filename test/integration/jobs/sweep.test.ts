import t from 'tap';
import { runJobNow, runSweep, standardJobs } from '../../../src/jobs/index.js';
import { FixedClock } from '../../../src/shared/index.js';
import {
  cprMatchAttempts,
  idpSessions,
  jobClaims,
  loginTransactions,
  nemidEvidence,
  requestIds,
  responseDigests,
  silentLog,
  type Pool,
} from '../../../src/store/index.js';
import { withTestDatabase } from '../../helpers/database.js';

const NOW = new Date('2026-11-22T12:00:00.000Z');
const rel = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);
const DAY = 86400;

async function seed(pool: Pool, suffix: string, expiresAt: Date, createdAt: Date) {
  await loginTransactions.create(pool, {
    id: `L-${suffix}`, browserBinding: 'b', spEntityId: 'sp', requestId: null, acsUrl: 'https://sp/acs', acsBinding: 'post',
    relayState: null, request: {}, language: 'en', createdAt, expiresAt,
  });
  await requestIds.record(pool, 'sp', `_r-${suffix}`, expiresAt);
  const digest = Buffer.alloc(32, suffix.charCodeAt(0));
  await responseDigests.record(pool, digest, `L-${suffix}`, createdAt, expiresAt);
  await nemidEvidence.put(pool, { loginId: `L-${suffix}`, signedXml: '<x/>', createdAt, expiresAt });
  await idpSessions.create(pool, {
    id: `S-${suffix}`, browserBinding: 'b', subject: {}, certificateType: 'POCES', youth: false, authnInstant: createdAt, createdAt, expiresAt,
  });
}

async function counts(pool: Pool) {
  const n = async (table: string) => Number((await pool.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
  return {
    login: await n('login_transactions'),
    req: await n('authn_request_ids'),
    dig: await n('nemid_response_digests'),
    ev: await n('nemid_evidence'),
    sess: await n('idp_sessions'),
    cpr: await n('cpr_match_attempts'),
    claims: await n('job_claims'),
  };
}

t.test('the sweep deletes only what has expired at the injected clock', async (t) => {
  const { pool } = await withTestDatabase(t);
  await seed(pool, 'old', rel(-1), rel(-600)); // expired a second ago
  await seed(pool, 'edge', NOW, rel(-600)); // expires exactly now: gone
  await seed(pool, 'new', rel(60), rel(-10)); // still valid
  // An ended session whose expiry is hours away: kept for its logout chain for an hour, then swept.
  await idpSessions.create(pool, {
    id: 'S-ended-recently', browserBinding: 'b', subject: {}, certificateType: 'POCES', youth: false,
    authnInstant: rel(-100), createdAt: rel(-100), expiresAt: rel(8 * 3600),
  });
  await idpSessions.end(pool, 'S-ended-recently', rel(-60));
  await idpSessions.create(pool, {
    id: 'S-ended-long-ago', browserBinding: 'b', subject: {}, certificateType: 'POCES', youth: false,
    authnInstant: rel(-7200), createdAt: rel(-7200), expiresAt: rel(8 * 3600),
  });
  await idpSessions.end(pool, 'S-ended-long-ago', rel(-2 * 3600));
  await cprMatchAttempts.record(pool, Buffer.alloc(32, 1), rel(-2 * DAY));
  await cprMatchAttempts.record(pool, Buffer.alloc(32, 1), rel(-3600));
  await jobClaims.claim(pool, 'sweep', rel(-31 * DAY), 'i', rel(-31 * DAY));
  await jobClaims.claim(pool, 'sweep', rel(-29 * DAY), 'i', rel(-29 * DAY));

  const result = await runSweep({ pool, clock: new FixedClock(NOW) });
  t.same(result, {
    loginTransactions: 2,
    authnRequestIds: 2,
    nemidResponseDigests: 2,
    nemidEvidence: 2,
    idpSessions: 3,
    cprMatchAttempts: 1,
    jobClaims: 1,
  });
  t.same(await counts(pool), { login: 1, req: 1, dig: 1, ev: 1, sess: 2, cpr: 1, claims: 1 });
  t.ok(await loginTransactions.get(pool, 'L-new'));
  t.ok(await idpSessions.get(pool, 'S-ended-recently'));
  t.equal(await idpSessions.get(pool, 'S-ended-long-ago'), null);

  const again = await runSweep({ pool, clock: new FixedClock(NOW) });
  t.ok(Object.values(again).every((n) => n === 0), 'a second sweep finds nothing');
});

t.test('the sweep is registered as a standard job and runnable by name (CLI path)', async (t) => {
  const { pool } = await withTestDatabase(t);
  await seed(pool, 'old', rel(-1), rel(-600));
  const jobs = standardJobs({ pool });
  t.same(jobs.map((j) => j.name), ['sweep', 'cpr-purge']);
  const result = await runJobNow(jobs, 'sweep', { log: silentLog, clock: new FixedClock(NOW) });
  t.equal(result.loginTransactions, 1);
  await t.rejects(runJobNow(jobs, 'no-such-job', { log: silentLog }), { code: 'CONFIG_INVALID' });
});
