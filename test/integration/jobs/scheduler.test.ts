import t from 'tap';
import { createScheduler, type JobDefinition } from '../../../src/jobs/index.js';
import { systemClock } from '../../../src/shared/index.js';
import { createPool, jobClaims, silentLog } from '../../../src/store/index.js';
import { withTestDatabase } from '../../helpers/database.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

t.test('three schedulers with their own pools: each per-second slot runs exactly once overall', async (t) => {
  const db = await withTestDatabase(t);
  const runs: { slot: string; instance: string }[] = [];
  const schedulers = ['i1', 'i2', 'i3'].map((instanceId) => {
    const pool = createPool(db.url, { max: 2, applicationName: instanceId });
    t.teardown(() => pool.end());
    const scheduler = createScheduler({ pool, instanceId, log: silentLog, clock: systemClock, timezone: 'UTC' });
    const job: JobDefinition = {
      name: 'tick',
      cron: '* * * * * *',
      run: async ({ slot }) => {
        runs.push({ slot: slot.toISOString(), instance: instanceId });
        await sleep(20);
        return { instance: instanceId };
      },
    };
    scheduler.add(job);
    return scheduler;
  });
  for (const s of schedulers) s.start();
  await sleep(3300);
  await Promise.all(schedulers.map((s) => s.stop()));

  const slots = runs.map((r) => r.slot);
  t.ok(runs.length >= 2, `at least two slots ran (${runs.length})`);
  t.equal(new Set(slots).size, slots.length, 'no slot ran twice');
  const claims = await jobClaims.list(db.pool, 'tick');
  t.same(claims.map((c) => c.slot.toISOString()).sort(), [...slots].sort(), 'every claim ran, every run was claimed');
  for (const claim of claims) {
    t.same(claim.outcome, { status: 'succeeded', result: { instance: claim.claimedBy } }, `outcome recorded for ${claim.slot.toISOString()}`);
    t.ok(claim.finishedAt);
  }
});

t.test('a failing job records a failed outcome with its code; stop() waits for a running job', async (t) => {
  const db = await withTestDatabase(t);
  const scheduler = createScheduler({ pool: db.pool, instanceId: 'solo', log: silentLog, clock: systemClock });
  let finished = 0;
  scheduler.add({
    name: 'slow',
    cron: '* * * * * *',
    run: async () => {
      await sleep(1200);
      finished += 1;
      return {};
    },
  });
  scheduler.add({
    name: 'broken',
    cron: '* * * * * *',
    run: async () => {
      throw new Error('boom');
    },
  });
  scheduler.start();
  // Wait until the slow job has started (its claim exists), then stop while it runs.
  for (let i = 0; i < 40 && (await jobClaims.list(db.pool, 'slow')).length === 0; i++) await sleep(100);
  await scheduler.stop();
  t.ok(finished >= 1, 'the running job finished before stop() resolved');
  const slow = await jobClaims.list(db.pool, 'slow');
  t.ok(slow.length >= 1);
  t.ok(slow.every((c) => c.finishedAt !== null), 'no claim left unfinished');
  // A slot claimed just as stop() began is recorded as abandoned; every slot that ran recorded its failure.
  const broken = await jobClaims.list(db.pool, 'broken');
  const ran = broken.filter((claim) => (claim.outcome as { status?: string } | null)?.status !== 'abandoned');
  t.ok(ran.length >= 1, 'the failing job ran');
  for (const claim of ran) t.same(claim.outcome, { status: 'failed', error: { code: 'INTERNAL_ERROR', name: 'Error' } });
});

t.test('a claim that cannot be made (database down) skips the slot instead of running it', async (t) => {
  const pool = createPool('postgres://nobody@127.0.0.1:1/none', { max: 1, connectionTimeoutMillis: 500 });
  t.teardown(() => pool.end());
  let ran = 0;
  const scheduler = createScheduler({ pool, instanceId: 'x', log: silentLog, clock: systemClock });
  scheduler.add({ name: 'never', cron: '* * * * * *', run: async () => ({ ran: ++ran }) });
  scheduler.start();
  await sleep(2200);
  await scheduler.stop();
  t.equal(ran, 0);
});
