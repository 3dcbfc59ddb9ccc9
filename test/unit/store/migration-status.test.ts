import t from 'tap';
import { describeMigrationStatus } from '../../../src/store/index.js';

t.test('migrate status output names pending and missing migrations', async (t) => {
  const at = new Date('2026-11-22T00:00:00.000Z');
  const text = describeMigrationStatus([
    { name: '0001-a', applied: true, appliedAt: at, onDisk: true },
    { name: '0002-b', applied: false, onDisk: true },
    { name: '0000-gone', applied: true, appliedAt: at, onDisk: false },
  ]);
  const lines = text.split('\n');
  t.match(lines[0], /^applied\s+2026-11-22T00:00:00\.000Z\s+0001-a$/);
  t.match(lines[1], /^PENDING\s+0002-b$/);
  t.match(lines[2], /0000-gone\s+\(file missing\)$/);
  t.match(lines[3], /^1 migration\(s\) pending/);
  t.equal(describeMigrationStatus([{ name: '0001-a', applied: true, appliedAt: at, onDisk: true }]).split('\n')[1], 'schema is current');
});
