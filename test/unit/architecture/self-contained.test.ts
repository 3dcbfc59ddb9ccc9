import t from 'tap';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { findOutsideReferences } from '../../helpers/outside-references.js';

// A user's clone holds the repository and nothing beside it: no test, tool or benchmark may read a path outside it.
// Two proofs: a scan of every file the repository would commit, and the tests that read the genuine NemID
// fixtures, run in a copy of the repository inside an otherwise empty folder.

const root = resolve(import.meta.dirname, '../../..');
const SCANNED = /^(src|test|bench|scripts|\.ci|deploy|docs)\/|^(package\.json|Dockerfile|README\.md|tsconfig[^/]*\.json)$/;
const TEXT = /\.(ts|mts|mjs|cjs|js|json|md|sh|py|ya?ml)$|^\.ci\/run$|^Dockerfile$/;

/** What `git commit -a` plus `git add` of untracked, non-ignored files would hold: the clone a user gets. */
function repositoryFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' });
  const deleted = new Set(execFileSync('git', ['ls-files', '-z', '--deleted'], { cwd: root, encoding: 'utf8' }).split('\0'));
  return [...new Set(out.split('\0'))].filter((file) => file && !deleted.has(file));
}

t.test('no file of the project refers to a path outside the repository', async (t) => {
  const files = repositoryFiles().filter((file) => SCANNED.test(file) && TEXT.test(file));
  t.ok(files.length > 100, `scanned ${files.length} files`);
  const found = findOutsideReferences(root, files);
  t.same(found.map((f) => `${f.file}:${f.line}: ${f.reason}: ${f.text}`), []);
});

t.test('the scan catches the shared folder and paths that climb out', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'outside-refs-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'test/unit'), { recursive: true });
  const sharedFixtures = `${'shared'}/fixtures`;
  writeFileSync(join(dir, 'test/unit/a.ts'), `const a = new URL('../../../${sharedFixtures}/x', import.meta.url);\n`);
  writeFileSync(join(dir, 'test/unit/b.ts'), "const b = join(here, '..', '..', '..', 'elsewhere');\nconst ok = join(here, '..', 'fixtures');\n");
  const climbing = '../'.repeat(4) + 'etc/passwd';
  writeFileSync(join(dir, 'test/unit/c.ts'), `const c = readFileSync('${climbing}');\nconst fine = '../helpers/x.js';\n`);
  const found = findOutsideReferences(dir, ['test/unit/a.ts', 'test/unit/b.ts', 'test/unit/c.ts']);
  t.same(found.map((f) => `${f.file}:${f.line}`).sort(), ['test/unit/a.ts:1', 'test/unit/a.ts:1', 'test/unit/b.ts:1', 'test/unit/c.ts:1']);
});

t.test('the fixture-reading tests pass in a copy of the repository with nothing beside it', async (t) => {
  const empty = mkdtempSync(join(tmpdir(), 'nemid-idp-clone-'));
  t.teardown(() => rmSync(empty, { recursive: true, force: true }));
  const clone = join(empty, 'nemid-idp');
  for (const file of repositoryFiles()) {
    mkdirSync(dirname(join(clone, file)), { recursive: true });
    cpSync(join(root, file), join(clone, file));
  }
  // Installed packages are not part of a clone; `npm ci` would put the same tree there.
  symlinkSync(join(root, 'node_modules'), join(clone, 'node_modules'));
  t.same(readdirSync(empty), ['nemid-idp'], 'the folder holds the clone and nothing else');
  const tests = [
    'test/unit/pki/preproduction-fixtures.test.ts',
    'test/unit/nemid/verify-response.test.ts',
    'test/unit/cli/verify-response.test.ts',
    'test/unit/xml/enveloping-signature.test.ts',
    'test/unit/simulator/check-parameters.test.ts',
  ];
  // A tap run of its own, not a child of this one: tap's TAP_* variables would make it report to this process.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('TAP') && name !== 'NODE_OPTIONS'));
  const run = spawnSync(process.execPath, [join(clone, 'node_modules/tap/dist/esm/run.mjs'), '--reporter=tap', '--jobs=1', ...tests], {
    cwd: clone,
    encoding: 'utf8',
    env,
    timeout: 100_000,
  });
  const summary = /# \{ ?total: (\d+), pass: (\d+)(?:, fail: (\d+))?/.exec(run.stdout);
  t.ok(summary, 'tap printed its totals');
  t.equal(Number(summary?.[3] ?? 0), 0, 'no failures in the clone');
  t.ok(Number(summary?.[2] ?? 0) > 20, `${summary?.[2]} assertions passed`);
  t.equal(run.status, 0, run.status === 0 ? 'tap exited 0' : run.stdout.slice(-3000) + run.stderr.slice(-2000));
});
