// Complete logins per second against the service in the simulator environment (its own database on DATABASE_URL's
// server, else an embedded PostgreSQL), at concurrency 1, 8 and 32, with what each login costs: IdP CPU (the service
// process and its children, from /proc), PostgreSQL backend CPU (/proc of the service's backends), SQL statements
// and transactions (the service's /metrics counters when it has them, else pg_stat_database), RSS, and the ratio to
// the machine's raw RSA-2048 signs per second measured in the same run. The load generator is
// bench/lib/login-driver.ts (shared with the resilience suite).
//
//   npm run bench:login -- [--levels 1,8,32] [--seconds 10] [--max-logins N] [--warmup 20] [--cpu-prof DIR]
import { createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { runLogins, type LoginRunSummary } from './lib/login-driver.js';
import { startBenchService, type BenchService } from './lib/bench-service.js';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { formatProfileSummary, summariseCpuProfile } from './lib/cpu-profile.js';
import { ProcessSetCpu, processCpu, rssMb, treeCpuMs } from './lib/proc.js';

export interface LoginBenchOptions {
  readonly levels: readonly number[];
  /** Measured seconds per level. */
  readonly seconds: number;
  /** Upper bound on logins per level (the time bound usually ends a level first). */
  readonly maxLogins: number;
  /** Untimed logins before the first level (JIT, pools, caches). */
  readonly warmup: number;
  readonly verifyEvery: number;
  /**
   * Wait after a level before reading pg_stat_database (PostgreSQL 15 flushes an idle backend's counters up to 10 s
   * late). Used only when the service does not count its own statements.
   */
  readonly statsSettleMs: number;
  /** Write a V8 CPU profile of the service into this folder (node --cpu-prof). */
  readonly cpuProfDir?: string;
  readonly log: (line: string) => void;
}

export interface LevelResult {
  readonly concurrency: number;
  readonly run: LoginRunSummary;
  readonly idpCpuMsPerLogin: number;
  readonly pgCpuMsPerLogin: number;
  readonly statementsPerLogin: number | undefined;
  readonly transactionsPerLogin: number;
  readonly transactionsSource: 'metrics' | 'pg_stat_database';
  readonly driverCpuMsPerLogin: number;
  readonly rssDuringMb: number;
  readonly rsaRatio: number;
}

export interface LoginBenchResult {
  readonly rsaSignsPerSecond: number;
  readonly rssBeforeMb: number;
  readonly rssAfterMb: number;
  readonly levels: readonly LevelResult[];
  readonly summary: string;
}

const STATEMENTS = 'nemid_idp_db_statements_total';
const TRANSACTIONS = 'nemid_idp_db_transactions_total';

/** Sums every sample of the named counters in a Prometheus text exposition; a counter that is absent stays absent. */
async function serviceCounters(service: BenchService): Promise<{ statements?: number; transactions?: number }> {
  const text = await (await fetch(`${service.baseUrl}/metrics`)).text();
  const sum = (name: string) => {
    let total: number | undefined;
    for (const line of text.split('\n')) {
      const match = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`).exec(line);
      if (match) total = (total ?? 0) + Number(match[1]);
    }
    return total;
  };
  const statements = sum(STATEMENTS);
  const transactions = sum(TRANSACTIONS);
  return { ...(statements !== undefined ? { statements } : {}), ...(transactions !== undefined ? { transactions } : {}) };
}

async function databaseTransactions(service: BenchService): Promise<number> {
  const { rows } = await service.monitor.query<{ n: string }>('SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = $1', [service.databaseName]);
  return Number(rows[0]?.n ?? Number.NaN);
}

async function serviceBackends(service: BenchService): Promise<number[]> {
  const { rows } = await service.monitor.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend'", [service.databaseName]);
  return rows.map((row) => row.pid);
}

/** Raw RSA-2048 PKCS#1 v1.5 SHA-256 signs per second on one core, measured now. */
function rsaSignsPerSecond(seconds: number): number {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = createPrivateKey(privateKey.export({ format: 'pem', type: 'pkcs8' }));
  const digest = Buffer.alloc(32, 1);
  for (let i = 0; i < 20; i++) sign('sha256', digest, key);
  const started = performance.now();
  let count = 0;
  while (performance.now() - started < seconds * 1000) {
    sign('sha256', digest, key);
    count++;
  }
  return count / ((performance.now() - started) / 1000);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fixed = (value: number | undefined, digits = 1) => (value === undefined || !Number.isFinite(value) ? 'n/a' : value.toFixed(digits));

async function measureLevel(service: BenchService, concurrency: number, options: LoginBenchOptions, rsa: number): Promise<LevelResult> {
  const countersBefore = await serviceCounters(service);
  const useMetrics = countersBefore.transactions !== undefined;
  const xactBefore = useMetrics ? 0 : await databaseTransactions(service);
  const pgCpu = new ProcessSetCpu();
  pgCpu.sample(await serviceBackends(service));
  const idpBefore = treeCpuMs(service.pid);
  const driverBefore = processCpu(process.pid)!;
  let rssDuring = 0;
  // Sampled while the level runs: RSS (its peak) and the backends (they come and go with the pool).
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      rssDuring = Math.max(rssDuring, rssMb(service.pid));
      pgCpu.sample(await serviceBackends(service));
      await sleep(250);
    }
  })();
  const run = await runLogins({
    baseUrl: service.baseUrl,
    simulatorUrl: service.simulatorUrl,
    idpCert: service.idpCert,
    concurrency,
    durationMs: options.seconds * 1000,
    maxLogins: options.maxLogins,
    verifyEvery: options.verifyEvery,
    onLogin: (result) => {
      if (!result.ok) options.log(`  login ${result.index} failed: ${JSON.stringify(result.error)}`);
    },
  });
  sampling = false;
  await sampler;
  pgCpu.sample(await serviceBackends(service));
  const idpMs = treeCpuMs(service.pid) - idpBefore;
  const driverAfter = processCpu(process.pid)!;
  const logins = Math.max(1, run.started);
  let transactions: number;
  let statements: number | undefined;
  if (useMetrics) {
    const after = await serviceCounters(service);
    transactions = (after.transactions! - countersBefore.transactions!) / logins;
    statements = after.statements !== undefined && countersBefore.statements !== undefined ? (after.statements - countersBefore.statements) / logins : undefined;
  } else {
    await sleep(options.statsSettleMs);
    transactions = ((await databaseTransactions(service)) - xactBefore) / logins;
  }
  return {
    concurrency,
    run,
    idpCpuMsPerLogin: idpMs / logins,
    pgCpuMsPerLogin: pgCpu.totalMs() / logins,
    statementsPerLogin: statements,
    transactionsPerLogin: transactions,
    transactionsSource: useMetrics ? 'metrics' : 'pg_stat_database',
    driverCpuMsPerLogin: (driverAfter.selfMs - driverBefore.selfMs) / logins,
    rssDuringMb: rssDuring,
    rsaRatio: run.loginsPerSecond / rsa,
  };
}

function levelLine(level: LevelResult): string {
  const { run } = level;
  const errors = Object.entries(run.errorsByKind).map(([kind, n]) => `${kind}×${n}`).join(', ');
  return [
    `c=${String(level.concurrency).padStart(2)}`,
    `${fixed(run.loginsPerSecond).padStart(6)} logins/s`,
    `p50/p95/p99 ${fixed(run.latencyMs.p50, 0)}/${fixed(run.latencyMs.p95, 0)}/${fixed(run.latencyMs.p99, 0)} ms`,
    `${run.completed}/${run.started} ok, ${run.errors} errors${errors ? ` (${errors})` : ''}, ${run.verified} verified by node-saml`,
    `IdP CPU ${fixed(level.idpCpuMsPerLogin, 2)} ms/login (incl. children)`,
    `PG backends ${fixed(level.pgCpuMsPerLogin, 2)} ms/login`,
    `SQL ${fixed(level.statementsPerLogin)} statements, ${fixed(level.transactionsPerLogin)} transactions/login (${level.transactionsSource})`,
    `driver ${fixed(level.driverCpuMsPerLogin, 1)} ms/login`,
    `RSS peak ${fixed(level.rssDuringMb, 0)} MB`,
    `${fixed(level.rsaRatio * 100, 2)} % of raw RSA signs/s`,
  ].join(' | ');
}

export async function runLoginBench(options: LoginBenchOptions): Promise<LoginBenchResult> {
  const service = await startBenchService(options.cpuProfDir ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`] } : {});
  try {
    options.log(`login benchmark: node ${process.version}, service pid ${service.pid}, database ${process.env['DATABASE_URL'] ? "DATABASE_URL's server" : 'embedded PostgreSQL'}, ${options.seconds} s per level, levels ${options.levels.join(', ')}`);
    const rsa = rsaSignsPerSecond(1);
    options.log(`raw RSA-2048 PKCS#1 v1.5 SHA-256 signs: ${rsa.toFixed(0)} /s on one core (this run)`);
    const rssBefore = rssMb(service.pid);
    if (options.warmup > 0) {
      const warm = await runLogins({ baseUrl: service.baseUrl, simulatorUrl: service.simulatorUrl, idpCert: service.idpCert, concurrency: Math.min(4, options.warmup), durationMs: 60_000, maxLogins: options.warmup, verifyEvery: 1 });
      if (warm.errors > 0) throw new Error(`warm-up logins failed: ${JSON.stringify(warm.errorsByKind)}\n${service.logTail()}`);
      options.log(`warm-up: ${warm.completed} logins, all verified by node-saml`);
      // Without the service's own counters, pg_stat_database must have caught up before the first level starts.
      if ((await serviceCounters(service)).transactions === undefined) await sleep(options.statsSettleMs);
    }
    const levels: LevelResult[] = [];
    const nowUs = () => Number(process.hrtime.bigint() / 1000n);
    const profileWindow = { fromUs: nowUs(), toUs: 0 };
    for (const concurrency of options.levels) {
      const level = await measureLevel(service, concurrency, options, rsa);
      levels.push(level);
      options.log(levelLine(level));
    }
    profileWindow.toUs = nowUs();
    await sleep(1000);
    const rssAfter = rssMb(service.pid);
    options.log(`RSS before ${fixed(rssBefore, 0)} MB, peak during ${fixed(Math.max(...levels.map((l) => l.rssDuringMb)), 0)} MB, after ${fixed(rssAfter, 0)} MB`);
    const total = levels.reduce((n, l) => n + l.run.started, 0);
    const weighted = (pick: (l: LevelResult) => number | undefined) => {
      const values = levels.map((l) => [pick(l), l.run.started] as const).filter(([v]) => v !== undefined && Number.isFinite(v));
      return values.length === 0 ? undefined : values.reduce((s, [v, n]) => s + v! * n, 0) / values.reduce((s, [, n]) => s + n, 0);
    };
    const summary =
      `bench/login: ${levels.map((l) => `c=${l.concurrency} ${fixed(l.run.loginsPerSecond)}/s p99 ${fixed(l.run.latencyMs.p99, 0)} ms`).join(', ')}; ` +
      `IdP CPU ${fixed(weighted((l) => l.idpCpuMsPerLogin), 2)} ms/login, PG ${fixed(weighted((l) => l.pgCpuMsPerLogin), 2)} ms/login, ` +
      `${fixed(weighted((l) => l.statementsPerLogin))} statements + ${fixed(weighted((l) => l.transactionsPerLogin))} transactions/login; ` +
      `${levels.reduce((n, l) => n + l.run.errors, 0)} errors in ${total} logins; RSS ${fixed(rssBefore, 0)}→${fixed(Math.max(...levels.map((l) => l.rssDuringMb)), 0)}→${fixed(rssAfter, 0)} MB`;
    if (options.cpuProfDir) {
      await service.close(); // the profile is written when the service exits
      // The main thread's profile is the largest (the module loader's thread writes a small one beside it).
      const profiles = readdirSync(options.cpuProfDir).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(options.cpuProfDir!, f));
      const main = profiles.sort((a, b) => statSync(b).size - statSync(a).size)[0];
      if (main) options.log(`${main}\n${formatProfileSummary(summariseCpuProfile(main, 40, profileWindow), total)}`);
    }
    options.log(summary);
    return { rsaSignsPerSecond: rsa, rssBeforeMb: rssBefore, rssAfterMb: rssAfter, levels, summary };
  } catch (error) {
    options.log(`service log (last lines):\n${service.logTail(30)}`);
    throw error;
  } finally {
    await service.close();
  }
}

function parseArgs(argv: readonly string[]): LoginBenchOptions {
  const value = (name: string) => {
    const index = argv.indexOf(`--${name}`);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const number = (name: string, fallback: number) => {
    const raw = value(name);
    const parsed = raw === undefined ? fallback : Number(raw);
    if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`--${name} must be a number`);
    return parsed;
  };
  const levels = (value('levels') ?? '1,8,32').split(',').map(Number);
  if (levels.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('--levels must be positive integers, e.g. 1,8,32');
  const cpuProfDir = value('cpu-prof');
  return {
    levels,
    seconds: number('seconds', Number(process.env['BENCH_LOGIN_SECONDS'] ?? 10)),
    maxLogins: number('max-logins', 100_000),
    warmup: number('warmup', 20),
    verifyEvery: number('verify-every', 20),
    statsSettleMs: number('stats-settle-ms', 11_000),
    ...(cpuProfDir ? { cpuProfDir } : {}),
    log: (line) => console.log(line),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = await runLoginBench(parseArgs(process.argv.slice(2)));
  process.exitCode = result.levels.some((l) => l.run.errors > 0) ? 1 : 0;
}
