// `npm run soak -- --minutes N [--concurrency C] [--instances I]`: complete logins for N minutes against I instances
// (default 2) behind HAProxy on a throwaway PostgreSQL (the resilience harness), one line per minute with logins/s,
// errors, p99, RSS per instance and PostgreSQL connections, and one closing line on whether errors stayed 0 and
// memory flat. Not part of `npm test`: it is a measurement, not an assertion. Exit code 1 when either fails.
import { parseArgs } from 'node:util';
import { runLogins } from '../../bench/lib/login-driver.js';
import { startCluster } from './lib/cluster.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '4' },
    instances: { type: 'string', default: '2' },
  },
});
const minutes = Number(values.minutes);
const concurrency = Number(values.concurrency);
const instanceCount = Number(values.instances);
if (!(minutes >= 1) || !(concurrency >= 1) || !(instanceCount >= 1)) {
  console.error('usage: npm run soak -- --minutes N [--concurrency C] [--instances I]');
  process.exit(2);
}
// Memory counts as flat when the last minute's RSS of every instance is within this factor of the first minute's
// (the first minute includes warm-up: JIT, caches, pool growth).
const FLAT_FACTOR = 1.15;
const mb = (bytes: number | null) => (bytes === null ? 'n/a' : `${(bytes / 1024 / 1024).toFixed(0)} MB`);

console.log(`soak: ${minutes} min, ${instanceCount} instances behind HAProxy, concurrency ${concurrency}; starting the cluster…`);
const cluster = await startCluster({
  instances: Array.from({ length: instanceCount }, (_, i) => ({ name: `i${i + 1}` })),
  env: { LOG_LEVEL: 'warn', JOBS_ENABLED: 'true' },
});
let totalLogins = 0;
let totalErrors = 0;
const rssByMinute: Array<Array<number | null>> = [];
try {
  for (let minute = 1; minute <= minutes; minute++) {
    const summary = await runLogins({
      baseUrl: cluster.baseUrl,
      simulatorUrl: cluster.simulatorUrl,
      idpCert: cluster.idpCert,
      concurrency,
      durationMs: 60_000,
      verifyEvery: 50,
    });
    totalLogins += summary.started;
    totalErrors += summary.errors;
    const rss = cluster.instances.map((instance) => instance.rssBytes());
    rssByMinute.push(rss);
    const connections = await cluster.connections();
    const idpConnections = Object.entries(connections)
      .filter(([name]) => name.startsWith('nemid-idp'))
      .reduce((sum, [, n]) => sum + n, 0);
    console.log(
      `minute ${minute}: ` +
      [
        `${summary.loginsPerSecond.toFixed(1)} logins/s`,
        `${summary.completed} completed`,
        `${summary.errors} errors${summary.errors > 0 ? ` ${JSON.stringify(summary.errorsByKind)}` : ''}`,
        `p99 ${summary.latencyMs.p99.toFixed(0)} ms`,
        `RSS ${cluster.instances.map((instance, i) => `${instance.name} ${mb(rss[i] ?? null)}`).join(', ')}`,
        `PG connections ${idpConnections}`,
      ].join(' | '),
    );
  }
} finally {
  await cluster.close();
}
const first = rssByMinute[0] ?? [];
const last = rssByMinute.at(-1) ?? [];
const flat = first.every((value, i) => value !== null && last[i] !== null && last[i]! <= value * FLAT_FACTOR);
const growth = first.map((value, i) => (value && last[i] ? `${(((last[i]! - value) / value) * 100).toFixed(1)}%` : 'n/a')).join(', ');
console.log(
  `soak ${totalErrors === 0 && flat ? 'PASSED' : 'FAILED'}: ${totalLogins} logins, errors ${totalErrors === 0 ? 'stayed 0' : `= ${totalErrors}`}; ` +
    `memory ${flat ? 'flat' : 'NOT flat'} (RSS change minute 1 → ${minutes}: ${growth}; limit +${((FLAT_FACTOR - 1) * 100).toFixed(0)}%)`,
);
process.exitCode = totalErrors === 0 && flat ? 0 : 1;
