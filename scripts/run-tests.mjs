#!/usr/bin/env node
// Runs tap and ends with the one line CI recognises ("N passed, M failed"), taken from tap's own totals.
// tap prints its totals as a TAP comment "# { total: N, pass: P, fail: F, ... }" at the end of a non-TTY run.
//
// A run must also leave nothing behind and tear down cleanly. tap counts neither, so this script does: an error
// thrown in a teardown, a process of the run still alive after tap exits, or a test database of the run still on
// the server each count as one more failure, named on the line before the totals.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';

const runId = randomBytes(4).toString('hex');
const args = ['tap', '--reporter=tap', ...process.argv.slice(2)];
// Its own process group, so that whatever the tests start can be found (and stopped) afterwards.
const child = spawn('npx', args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NEMID_IDP_TEST_RUN: runId }, detached: true });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => kill(child.pid, signal));

let tail = '';
let teardownErrors = 0;
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  const text = chunk.toString('utf8');
  teardownErrors += (text.match(/# error thrown in teardown/g) ?? []).length;
  tail = (tail + text).slice(-4096);
});

function kill(pgid, signal) {
  try {
    process.kill(-pgid, signal);
  } catch {
    // the group is already gone
  }
}

function leftoverProcesses(pgid) {
  const out = execFileSync('ps', ['-eo', 'pid=,pgid=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((m) => m && Number(m[2]) === pgid && Number(m[1]) !== process.pid)
    .map((m) => `${m[1]} ${m[3].slice(0, 120)}`);
}

async function leftoverDatabases() {
  if (!process.env.DATABASE_URL) return []; // the embedded server of each test process is removed with its folder
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  try {
    await client.connect();
    const { rows } = await client.query('SELECT datname FROM pg_database WHERE datname LIKE $1', [`nemid_idp_test_${runId}_%`]);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(datname)} WITH (FORCE)`);
    return rows.map((row) => row.datname);
  } catch (error) {
    return [`(could not check: ${error.message})`];
  } finally {
    await client.end().catch(() => undefined);
  }
}

child.on('close', async (code) => {
  const problems = [];
  if (teardownErrors > 0) problems.push(`${teardownErrors} error(s) thrown in teardown`);
  // Give processes that were told to stop a moment to go.
  let processes = leftoverProcesses(child.pid);
  for (let i = 0; i < 20 && processes.length > 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    processes = leftoverProcesses(child.pid);
  }
  if (processes.length > 0) {
    problems.push(`${processes.length} process(es) left behind: ${processes.join('; ')}`);
    kill(child.pid, 'SIGKILL');
  }
  const databases = await leftoverDatabases();
  if (databases.length > 0) problems.push(`${databases.length} test database(s) left behind (dropped now): ${databases.join(', ')}`);
  for (const problem of problems) console.log(`run-tests: ${problem}`);

  const totals = [...tail.matchAll(/^# \{ ?total: (\d+), pass: (\d+)(?:, fail: (\d+))?[^}]*\}/gm)].pop();
  if (!totals) {
    console.log(`0 passed, ${1 + problems.length} failed`);
    console.error('run-tests: tap printed no totals line (exit code ' + code + ')');
    process.exit(code || 1);
  }
  const passed = Number(totals[2]);
  const failed = Number(totals[3] ?? 0) + problems.length;
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : code ?? 1);
});
