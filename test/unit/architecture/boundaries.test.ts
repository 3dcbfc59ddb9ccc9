import t from 'tap';
import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

// Runs dependency-cruiser with the project's rules (.dependency-cruiser.cjs, the table in architecture.md).
const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../../..');
const cruiser = join(root, 'node_modules/.bin/depcruise');

async function cruise(cwd: string): Promise<{ violations: Array<{ rule: { name: string }; from: string; to: string }> }> {
  const { stdout } = await run(cruiser, ['src', '--config', join(root, '.dependency-cruiser.cjs'), '--output-type', 'json'], { cwd, maxBuffer: 64 * 1024 * 1024 }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
  return JSON.parse(stdout).summary;
}

t.test('src/ keeps the module boundaries of architecture.md', async (t) => {
  const summary = await cruise(root);
  const lines = summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);
  t.same(lines, [], 'no violations');
});

t.test('the check fails on a forbidden import (saml importing nemid, nemid importing pg)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'boundaries-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  for (const m of ['saml', 'nemid', 'shared']) mkdirSync(join(dir, 'src', m), { recursive: true });
  writeFileSync(join(dir, 'src/shared/index.ts'), 'export const x = 1;\n');
  writeFileSync(join(dir, 'src/nemid/index.ts'), "import pg from 'pg';\nexport const n = pg;\n");
  writeFileSync(join(dir, 'src/saml/index.ts'), "import { n } from '../nemid/index.js';\nimport { x } from '../shared/index.js';\nexport const s = [n, x];\n");
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' } }));
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  rmSync(join(dir, 'node_modules'), { recursive: true });
  // Resolve 'pg' through the project's node_modules.
  const { symlinkSync } = await import('node:fs');
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  const summary = await cruise(dir);
  const rules = summary.violations.map((v) => v.rule.name).sort();
  t.ok(rules.includes('saml-imports-only-allowed-modules'), 'saml -> nemid is caught');
  t.ok(rules.includes('only-store-imports-pg'), 'pg outside store is caught');
  t.notOk(rules.some((r) => r.startsWith('shared')), 'allowed imports pass');
});
