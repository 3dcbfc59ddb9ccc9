import t from 'tap';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadRegistryHolder, SpRegistryError } from '../../../src/app/registry.js';
import type { Config } from '../../../src/config/index.js';
import { FixedClock } from '../../../src/shared/index.js';

// SIGHUP reload of the SP registry: all or nothing. A bad folder keeps the previous registry (and reports the
// problems for /readyz); a good one is swapped in atomically; a bad folder at start-up stops the start.

const ROOT = resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'registry-reload-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
cpSync(join(ROOT, 'metadata'), dir, { recursive: true });

const config = {
  metadataDir: dir,
  environment: 'simulator',
  idp: { entityId: 'http://localhost:8080', baseUrl: 'http://localhost:8080' },
  pidCpr: { url: 'http://localhost:8081/pid_serviceprovider_server/pidxml/' },
  roles: { url: 'http://localhost:8081/roles' },
  secrets: { cprEncryption: [{ id: 'k1', key: Buffer.alloc(32) }] },
} as unknown as Config;
const lines: string[] = [];
const log = { info: () => undefined, warn: (_f: unknown, m?: string) => lines.push(String(m)), error: (_f: unknown, m?: string) => lines.push(String(m)) } as never;
const clock = new FixedClock(new Date());

t.test('a bad folder keeps the previous registry; a good one replaces it', async (t) => {
  const holder = await loadRegistryHolder(config, clock, log);
  const before = holder.current();
  const demo = before.all()[0];
  t.equal(before.all().length, 1, 'demo SP registered');
  t.same(demo?.displayNames, { en: 'Demo service (simulator)', da: 'Demotjeneste (simulator)' }, 'display names from the SP metadata');

  writeFileSync(join(dir, 'broken.xml'), '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"/>');
  writeFileSync(join(dir, 'broken.json'), '{"sector":"public","unknownField":true}');
  const failed = await holder.reload();
  t.equal(failed.ok, false);
  t.ok(failed.problems.some((p) => p.includes('broken')), 'the problem names the file');
  t.equal(holder.current(), before, 'previous registry kept');
  t.ok(holder.lastReloadProblems().length > 0, 'readiness can report the failed reload');

  rmSync(join(dir, 'broken.xml'));
  rmSync(join(dir, 'broken.json'));
  const ok = await holder.reload();
  t.equal(ok.ok, true);
  t.not(holder.current(), before, 'a new registry object');
  t.same(holder.lastReloadProblems(), []);
});

t.test('a policy needing a service that is not configured is refused when the registry loads', async (t) => {
  const unserved = { ...config, pidCpr: { url: null }, roles: { url: null } } as unknown as Config;
  const error = await loadRegistryHolder(unserved, clock, log).catch((e: unknown) => e);
  t.ok(error instanceof SpRegistryError);
  const problems = (error as SpRegistryError).problems.join('\n');
  t.match(problems, /demo-sp\.json: cpr "lookup" needs PID_CPR_URL/);
  t.match(problems, /demo-sp\.json: businessLogin needs ROLES_URL/);
});

t.test('a bad folder at start-up stops the start with every problem', async (t) => {
  const bad = mkdtempSync(join(tmpdir(), 'registry-bad-'));
  t.teardown(() => rmSync(bad, { recursive: true, force: true }));
  writeFileSync(join(bad, 'lonely.xml'), '<x/>');
  const error = await loadRegistryHolder({ ...config, metadataDir: bad } as Config, clock, log).catch((e: unknown) => e);
  t.ok(error instanceof SpRegistryError);
  t.equal((error as SpRegistryError).code, 'SP_REGISTRY_INVALID');
  t.match((error as SpRegistryError).problems.join('\n'), /lonely/);
});
