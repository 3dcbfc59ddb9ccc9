import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRegistryHolder, SpRegistryError } from '../../../src/app/registry.js';
import type { Config } from '../../../src/config/index.js';
import { FixedClock } from '../../../src/shared/index.js';
import { registration as demoSp } from '../simulator/demo-sp-fixture.js';

// SIGHUP reload of the SP registry: all or nothing. A bad folder keeps the previous registry (and reports the
// problems for /readyz); a good one is swapped in atomically; a bad folder at start-up stops the start.

const dir = mkdtempSync(join(tmpdir(), 'registry-reload-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

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
  const holder = await loadRegistryHolder(config, clock, log, [demoSp]);
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
  const error = await loadRegistryHolder(unserved, clock, log, [demoSp]).catch((e: unknown) => e);
  t.ok(error instanceof SpRegistryError);
  const problems = (error as SpRegistryError).problems.join('\n');
  t.match(problems, /demo-sp \(built-in policy\): cpr "lookup" needs PID_CPR_URL/);
  t.match(problems, /demo-sp \(built-in policy\): businessLogin needs ROLES_URL/);
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

t.test('the start-up log warns about an SP whose endpoints name this IdP host on another port, naming the file', async (t) => {
  const folder = mkdtempSync(join(tmpdir(), 'registry-copied-'));
  t.teardown(() => rmSync(folder, { recursive: true, force: true }));
  writeFileSync(join(folder, 'copied.xml'), demoSp.metadataXml.replace('http://localhost:8080/demo/metadata', 'https://copied.sp.test/metadata'));
  writeFileSync(join(folder, 'copied.json'), demoSp.policyJson);
  const warnings: Array<{ fields: Record<string, unknown>; message: string }> = [];
  const capture = { info: () => undefined, error: () => undefined, warn: (fields: Record<string, unknown>, message: string) => warnings.push({ fields, message }) } as never;
  const moved = { ...config, metadataDir: folder, idp: { entityId: 'http://localhost:9000', baseUrl: 'http://localhost:9000' } } as unknown as Config;
  await loadRegistryHolder(moved, clock, capture);
  const copied = warnings.find((w) => w.fields['file'] === 'copied.xml');
  t.ok(copied, 'a warning for copied.xml');
  t.match(copied?.message, /localhost:8080\/demo\/acs is on this IdP's host but not its origin http:\/\/localhost:9000/);
});
