import t from 'tap';
import { createScheduler, slotFromKey, standardJobs } from '../../../src/jobs/index.js';
import { FixedClock } from '../../../src/shared/index.js';
import { createPool, silentLog } from '../../../src/store/index.js';

// No I/O: a pg pool connects lazily, and none of these reach a query.
const pool = createPool('postgres://nobody@127.0.0.1:1/none', { max: 1 });
t.teardown(() => pool.end());
const clock = new FixedClock('2026-11-22T00:00:00Z');

t.test('slotFromKey reads node-cron coordinator keys and refuses anything else', async (t) => {
  t.equal(slotFromKey('sweep:2026-11-22T03:00:00.000Z', 'sweep').toISOString(), '2026-11-22T03:00:00.000Z');
  t.equal(slotFromKey('a:b:2026-11-22T03:00:00.000Z', 'a:b').toISOString(), '2026-11-22T03:00:00.000Z', 'names may contain colons');
  for (const bad of ['sweep:2026-11-22', 'other:2026-11-22T03:00:00.000Z', 'sweep:2026-13-22T03:00:00.000Z', 'sweep:2026-11-22T03:00:00.000+01:00']) {
    t.throws(() => slotFromKey(bad, 'sweep'), Error, bad);
  }
});

t.test('invalid cron, unknown time zone and duplicate names are configuration errors', async (t) => {
  const scheduler = createScheduler({ pool, instanceId: 'u', log: silentLog, clock });
  t.equal(scheduler.timezone, 'Europe/Copenhagen', 'default zone');
  t.throws(() => scheduler.add({ name: 'bad', cron: '61 * * * *', run: async () => ({}) }), { code: 'CONFIG_INVALID' });
  scheduler.add({ name: 'ok', cron: '0 3 * * *', run: async () => ({}) });
  t.throws(() => scheduler.add({ name: 'ok', cron: '0 4 * * *', run: async () => ({}) }), { code: 'CONFIG_INVALID' });
  await scheduler.stop();

  t.throws(() => createScheduler({ pool, instanceId: 'u', log: silentLog, clock, timezone: 'Mars/Olympus' }), { code: 'CONFIG_INVALID' });
  t.equal(createScheduler({ pool, instanceId: 'u', log: silentLog, clock, timezone: 'UTC' }).timezone, 'UTC');
});

t.test('standard jobs: sweep with a default schedule that configuration can override', async (t) => {
  t.same(standardJobs({ pool }).map((j) => [j.name, j.cron]), [['sweep', '*/15 * * * *'], ['cpr-purge', '0 3 * * *']]);
  t.same(standardJobs({ pool, schedules: { sweep: '0 * * * *', 'cpr-purge': '30 2 * * *' } }).map((j) => j.cron), ['0 * * * *', '30 2 * * *']);
});
