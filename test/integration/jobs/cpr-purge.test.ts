import { randomBytes } from 'node:crypto';
import t from 'tap';
import { purgeCprCommand } from '../../../src/cli/purge-cpr.js';
import { cprPurgeCutoff, createScheduler, runCprPurge, standardJobs } from '../../../src/jobs/index.js';
import { createCprVault, reencryptCprMemory } from '../../../src/login/index.js';
import { FixedClock } from '../../../src/shared/index.js';
import { cprMemory, cprMemoryRekey, createPool, jobClaims, silentLog, type Pool } from '../../../src/store/index.js';
import { withTestDatabase } from '../../helpers/database.js';

// The nightly purge of remembered CPR numbers, its CLI, and re-encryption under a new key, on real PostgreSQL.

const NOW = new Date('2026-06-15T01:00:00Z');
const DAY = 24 * 3600_000;
const vault = createCprVault([{ id: 'k1', key: randomBytes(32) }]);
const sealed = () => vault.seal('7203851234');

async function remember(pool: Pool, lastUsedAt: Date): Promise<Buffer> {
  const pidHmac = randomBytes(32);
  await cprMemory.put(pool, { spEntityId: 'https://sp.test/metadata', pidHmac, ...sealed(), now: lastUsedAt });
  return pidHmac;
}

t.test('cutoff: calendar months in UTC, clamped to the month end, then days', async (t) => {
  t.same(cprPurgeCutoff(NOW, { months: 3, days: 0 }), new Date('2026-03-15T01:00:00Z'));
  t.same(cprPurgeCutoff(new Date('2026-05-31T12:00:00Z'), { months: 3, days: 0 }), new Date('2026-02-28T12:00:00Z'));
  t.same(cprPurgeCutoff(new Date('2026-01-10T00:00:00Z'), { months: 3, days: 2 }), new Date('2025-10-08T00:00:00Z'));
});

t.test('3 months and a day unused: purged; 3 months less a day: kept; dry run deletes nothing', async (t) => {
  const db = await withTestDatabase(t);
  const clock = new FixedClock(NOW);
  const old = await remember(db.pool, new Date(cprPurgeCutoff(NOW, { months: 3, days: 0 }).getTime() - DAY));
  const recent = await remember(db.pool, new Date(cprPurgeCutoff(NOW, { months: 3, days: 0 }).getTime() + DAY));
  t.match(await runCprPurge({ pool: db.pool, clock, dryRun: true }), { deleted: 1, dryRun: true });
  t.ok(await cprMemory.get(db.pool, old, 'https://sp.test/metadata'), 'dry run kept it');
  const lines: string[] = [];
  const log = { info: (f: object) => lines.push(JSON.stringify(f)), warn: () => {}, error: () => {} };
  t.match(await runCprPurge({ pool: db.pool, clock, log }), { deleted: 1, dryRun: false, cutoff: '2026-03-15T01:00:00.000Z' });
  t.match(lines.join(), /"deleted":1/, 'the count is logged');
  t.equal(await cprMemory.get(db.pool, old, 'https://sp.test/metadata'), null);
  t.ok(await cprMemory.get(db.pool, recent, 'https://sp.test/metadata'));
  t.match(await runCprPurge({ pool: db.pool, clock, retention: { months: 0, days: 1 } }), { deleted: 1 }, 'retention is configurable');
});

t.test('three schedulers: each slot purges once', async (t) => {
  const db = await withTestDatabase(t);
  const clock = new FixedClock(NOW);
  for (let i = 0; i < 4; i++) await remember(db.pool, new Date(NOW.getTime() - 200 * DAY));
  await remember(db.pool, NOW);
  const schedulers = ['a', 'b', 'c'].map((instanceId) => {
    const pool = createPool(db.url, { max: 2, applicationName: instanceId });
    t.teardown(() => pool.end());
    const scheduler = createScheduler({ pool, instanceId, log: silentLog, clock, timezone: 'Europe/Copenhagen' });
    const job = standardJobs({ pool, schedules: { 'cpr-purge': '* * * * * *' } }).find((j) => j.name === 'cpr-purge')!;
    scheduler.add(job);
    return scheduler;
  });
  for (const s of schedulers) s.start();
  await new Promise((resolve) => setTimeout(resolve, 2300));
  await Promise.all(schedulers.map((s) => s.stop()));
  const claims = await jobClaims.list(db.pool, 'cpr-purge');
  t.ok(claims.length >= 1, `${claims.length} slots ran`);
  t.equal(new Set(claims.map((c) => c.slot.toISOString())).size, claims.length, 'one claim per slot');
  const deleted = claims.map((c) => ((c.outcome as { result?: { deleted?: number } }).result?.deleted ?? -1));
  t.equal(deleted.reduce((a, b) => a + b, 0), 4, 'the four old rows were deleted exactly once in all');
  t.equal((await cprMemoryRekey.countByKey(db.pool))['k1'], 1, 'the recent row is kept');
});

t.test('purge-cpr CLI: --dry-run deletes nothing, a real run deletes', async (t) => {
  const db = await withTestDatabase(t);
  const clock = new FixedClock(NOW);
  await remember(db.pool, new Date(NOW.getTime() - 100 * DAY));
  const out: string[] = [];
  const io = { env: { DATABASE_URL: db.url, CPR_MEMORY_RETENTION: 'P3M' }, stdout: (s: string) => out.push(s), stderr: (s: string) => out.push(`ERR ${s}`) };
  t.equal(await purgeCprCommand(['--dry-run'], io, { clock }), 0);
  t.match(out.pop(), /^cpr_memory: 1 would be deleted/);
  t.equal((await cprMemoryRekey.countByKey(db.pool))['k1'], 1);
  t.equal(await purgeCprCommand([], io, { clock }), 0);
  t.match(out.pop(), /^cpr_memory: 1 deleted/);
  t.same(await cprMemoryRekey.countByKey(db.pool), {});
  t.equal(await purgeCprCommand([], { ...io, env: { ...io.env, CPR_MEMORY_RETENTION: '3 months' } }, { clock }), 78);
});

t.test('key rotation: old rows stay readable; re-encryption moves them to the newest key without touching last use', async (t) => {
  const db = await withTestDatabase(t);
  const oldKey = { id: 'old', key: randomBytes(32) };
  const newKey = { id: 'new', key: randomBytes(32) };
  const before = createCprVault([oldKey]);
  const usedAt = new Date(NOW.getTime() - 10 * DAY);
  const pids = [randomBytes(32), randomBytes(32)];
  for (const pidHmac of pids) await cprMemory.put(db.pool, { spEntityId: 'https://sp.test/metadata', pidHmac, ...before.seal('6506104123'), now: usedAt });
  const rotated = createCprVault([newKey, oldKey]);
  const row = (await cprMemory.get(db.pool, pids[0]!, 'https://sp.test/metadata'))!;
  t.equal(rotated.open(row.ciphertext, row.keyId), '6506104123', 'readable after rotation');
  t.same(await reencryptCprMemory(db.pool, rotated, silentLog), { reencrypted: 2, unreadable: 0, skipped: 0 });
  t.same(await cprMemoryRekey.countByKey(db.pool), { new: 2 });
  const moved = (await cprMemory.get(db.pool, pids[1]!, 'https://sp.test/metadata'))!;
  t.equal(createCprVault([newKey]).open(moved.ciphertext, moved.keyId), '6506104123', 'the old key can now be retired');
  t.same(moved.lastUsedAt, usedAt, 're-encryption is not a use');
  await cprMemory.put(db.pool, { spEntityId: 'https://sp.test/metadata', pidHmac: randomBytes(32), ciphertext: Buffer.from('garbage'), keyId: 'gone', now: usedAt });
  t.same(await reencryptCprMemory(db.pool, rotated, silentLog), { reencrypted: 0, unreadable: 1, skipped: 0 });
});
