import t from 'tap';
import { LOAD_TEST_SP, SP_KEYS } from '../../bench/lib/test-sp.js';
import { runLogins, type LoginResult } from '../../bench/lib/login-driver.js';
import { startE2eService, type E2eService } from '../helpers/e2e.js';

// The load driver shared by bench/login.ts and the resilience suite: bounded complete logins, every one in a fresh
// browser, a sample verified by node-saml, failures reported per step with the IdP's code.

let e2e: E2eService;
t.before(async () => {
  e2e = await startE2eService([LOAD_TEST_SP]);
});
t.teardown(() => e2e?.close());

t.test('complete logins in a closed loop, bounded by count, a sample verified by node-saml', async (t) => {
  const results: LoginResult[] = [];
  const summary = await runLogins({
    baseUrl: e2e.baseUrl,
    simulatorUrl: e2e.simulatorUrl,
    idpCert: e2e.service.config.idp.signing.certPem,
    concurrency: 2,
    durationMs: 60_000,
    maxLogins: 4,
    verifyEvery: 2,
    onLogin: (result) => results.push(result),
  });
  t.equal(summary.started, 4, 'the count bound stops the run');
  t.equal(summary.completed, 4);
  t.equal(summary.errors, 0, JSON.stringify(summary.errorsByKind));
  t.equal(summary.verified, 2, 'logins 0 and 2 verified by node-saml');
  t.same(results.map((r) => r.index).sort(), [0, 1, 2, 3], 'one callback per login');
  t.ok(results.every((r) => r.ok && Array.isArray(r.servedBy)));
});

t.test('a response node-saml cannot verify is an error of the verify step, not a login', async (t) => {
  const summary = await runLogins({
    baseUrl: e2e.baseUrl,
    simulatorUrl: e2e.simulatorUrl,
    idpCert: SP_KEYS.signingCert, // a certificate that did not sign the IdP's assertions
    concurrency: 1,
    durationMs: 60_000,
    maxLogins: 1,
  });
  t.equal(summary.completed, 0);
  t.equal(summary.errors, 1);
  t.match(Object.keys(summary.errorsByKind)[0], /^verify:/);
});

t.test('an IdP error page is reported with its step, status and catalogue code', async (t) => {
  const summary = await runLogins({
    baseUrl: e2e.baseUrl,
    simulatorUrl: e2e.simulatorUrl,
    idpCert: e2e.service.config.idp.signing.certPem,
    sp: { ...LOAD_TEST_SP, name: 'unregistered' },
    concurrency: 1,
    durationMs: 60_000,
    maxLogins: 1,
  });
  t.equal(summary.errors, 1);
  t.same(Object.keys(summary.errorsByKind), ['sso:400:SAML_ISSUER_UNKNOWN']);
});
