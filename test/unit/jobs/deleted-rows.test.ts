import t from 'tap';
import { standardJobs } from '../../../src/jobs/index.js';

// Deleting jobs say themselves how many rows a result deleted (the service counts it in /metrics).
const jobs = standardJobs({ pool: {} as never });
const job = (name: string) => jobs.find((candidate) => candidate.name === name)!;

t.test('sweep counts every table, CPR purge counts its deletions and nothing on a dry run', async (t) => {
  t.equal(job('sweep').deletedRows?.({ loginTransactions: 3, requestIds: 2, note: 'x' }), 5);
  t.equal(job('cpr-purge').deletedRows?.({ deleted: 4, dryRun: false }), 4);
  t.equal(job('cpr-purge').deletedRows?.({ deleted: 4, dryRun: true }), 0);
});
