// `npm run bench`: every benchmark in its own process (so one's memory does not colour another's RSS figures), each
// printing its figures next to a baseline measured in the same run.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const benches = ['assertion.ts', 'crl.ts', 'login.ts'];
let failed = 0;
for (const bench of benches) {
  console.log(`\n== bench/${bench}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(bench, import.meta.url))], { stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
process.exitCode = failed === 0 ? 0 : 1;
