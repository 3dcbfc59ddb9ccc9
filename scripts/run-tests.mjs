#!/usr/bin/env node
// Runs tap and ends with the one line CI recognises ("N passed, M failed"), taken from tap's own totals.
// tap prints its totals as a TAP comment "# { total: N, pass: P, fail: F, ... }" at the end of a non-TTY run.
import { spawn } from 'node:child_process';

const args = ['tap', '--reporter=tap', ...process.argv.slice(2)];
const child = spawn('npx', args, { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
let tail = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  tail = (tail + chunk.toString('utf8')).slice(-4096);
});
child.on('close', (code) => {
  const totals = [...tail.matchAll(/^# \{ ?total: (\d+), pass: (\d+)(?:, fail: (\d+))?[^}]*\}/gm)].pop();
  if (!totals) {
    console.log('0 passed, 1 failed');
    console.error('run-tests: tap printed no totals line (exit code ' + code + ')');
    process.exit(code || 1);
  }
  const passed = Number(totals[2]);
  const failed = Number(totals[3] ?? 0);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : code ?? 1);
});
