import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spValidateCommand } from '../../../src/cli/sp-validate.js';
import { loadSpRegistry } from '../../../src/saml/index.js';
import { registration } from '../simulator/demo-sp-fixture.js';
import { FIXTURES } from './fixtures.js';

function emptyFolder(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'sp-validate-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function io(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { env, stdout: (text: string) => out.push(text), stderr: (text: string) => err.push(text) }, out, err };
}

t.test('valid folder exits 0 and lists the SPs', async (t) => {
  const run = io();
  t.equal(await spValidateCommand(['validate', `${FIXTURES}registry/valid`, '--environment', 'production'], run.io), 0);
  t.match(run.out.join('\n'), 'test-sp: https://sp.test/metadata');
});

t.test('problems exit 1 and are printed with their file', async (t) => {
  const run = io({ NEMID_ENVIRONMENT: 'production' });
  t.equal(await spValidateCommand(['validate', `${FIXTURES}registry/http-acs`], run.io), 1);
  t.match(run.err.join('\n'), /sp\.xml: AssertionConsumerService Location/);
});

t.test('the demo SP registration is valid in the simulator only (its endpoints are plain http)', async (t) => {
  const load = (environment: 'simulator' | 'production') =>
    loadSpRegistry({ dir: emptyFolder(t), environment, idp: { entityId: 'http://localhost:8080', baseUrl: 'http://localhost:8080' }, builtIn: [registration] });
  t.same((await load('simulator')).problems, []);
  t.match((await load('production')).problems.join('\n'), /^demo-sp \(built-in\): AssertionConsumerService Location/m);
});

t.test('metadata copied from another deployment of this IdP (its host, another port) is a warning naming the file', async (t) => {
  const dir = emptyFolder(t);
  // The demo's metadata as a user would copy it from http://localhost:8080/demo/metadata into their own folder.
  writeFileSync(join(dir, 'copied.xml'), registration.metadataXml.replace('http://localhost:8080/demo/metadata', 'https://copied.sp.test/metadata'));
  writeFileSync(join(dir, 'copied.json'), registration.policyJson);
  const moved = io({ IDP_BASE_URL: 'http://localhost:9000' });
  t.equal(await spValidateCommand([dir, '--environment', 'simulator'], moved.io), 0, 'legal SAML: not a refusal');
  t.match(moved.out.join('\n'), /copied\.xml: endpoint http:\/\/localhost:8080\/demo\/acs is on this IdP's host but not its origin http:\/\/localhost:9000/);
  const same = io({ IDP_BASE_URL: 'http://localhost:8080' });
  t.equal(await spValidateCommand([dir, '--environment', 'simulator'], same.io), 0);
  t.notMatch(same.out.join('\n'), /warning/, 'endpoints on the IdP origin itself (the demo under /demo) are fine');
});

t.test('usage errors exit 2', async (t) => {
  t.equal(await spValidateCommand(['--environment', 'staging'], io().io), 2);
  t.equal(await spValidateCommand(['a', 'b'], io().io), 2);
});
