import t from 'tap';
import { runLoginBench } from '../../../bench/login.js';

// bench/login.ts in a tiny mode: one level, two logins. Proves the benchmark runs end to end and reports every
// figure; the figures themselves are the bench's business, never an assertion here.

t.test('the login bench runs a level and reports each figure', async (t) => {
  const lines: string[] = [];
  const result = await runLoginBench({ levels: [1], seconds: 30, maxLogins: 2, warmup: 1, verifyEvery: 1, statsSettleMs: 0, log: (line) => lines.push(line) });
  t.equal(result.levels.length, 1);
  const [level] = result.levels;
  t.equal(level!.run.started, 2, 'bounded by --max-logins');
  t.equal(level!.run.completed, 2);
  t.equal(level!.run.errors, 0, JSON.stringify(level!.run.errorsByKind));
  t.equal(level!.run.verified, 2, 'every login verified by node-saml');
  t.ok(level!.idpCpuMsPerLogin > 0, 'IdP CPU read from /proc');
  t.ok(Number.isFinite(level!.pgCpuMsPerLogin), 'PostgreSQL backend CPU read from /proc');
  t.ok(Number.isFinite(level!.transactionsPerLogin));
  t.ok(result.rsaSignsPerSecond > 0);
  t.ok(result.rssBeforeMb > 0 && result.rssAfterMb > 0);
  t.match(lines.at(-1), /^bench\/login: c=1 .* errors in 2 logins; RSS /, 'one summary line at the end');
});
