import t from 'tap';
import type { AuthorizationInput } from '../../../src/mitid/index.js';
import { startBrokerHarness, type BrokerHarness } from '../../helpers/mitid-broker.js';

// The broker client (src/mitid) against the MitID broker simulator (a real oidc-provider): one happy login, then
// each forged callback or ID token refused with its stable code.

let harness: BrokerHarness;
t.before(async () => {
  harness = await startBrokerHarness();
});
t.teardown(() => harness?.close());
t.afterEach(() => harness.control({ idToken: 'none', tokenEndpoint: 'normal', callback: 'normal', forceError: 'none' }));

const person: AuthorizationInput = { requirement: { minimum: 'Substantial' }, kind: 'person' as const, cprRequested: true, forceAuthn: false, isPassive: false, language: 'da' };

async function attempt(userId = 'mitid-citizen', input = person) {
  const request = await harness.client.authorizationRequest(input);
  const callback = await harness.login(request.url, userId);
  return { request, callback, complete: () => harness.client.complete(callback, request.pending) };
}

t.test('an adult with CPR at Substantial', async (t) => {
  const { request, complete } = await attempt();
  const url = new URL(request.url);
  t.equal(url.searchParams.get('code_challenge_method'), 'S256');
  t.match(url.searchParams.get('scope'), /openid .*nin/);
  t.equal(url.searchParams.get('acr_values'), 'https://data.gov.dk/concept/core/nsis/loa/Substantial https://data.gov.dk/concept/core/nsis/loa/High');
  const { identity, cpr } = await complete();
  t.equal(identity.kind, 'person');
  t.equal(identity.loa, 'Substantial');
  t.equal(identity.name, 'Karen Testesen');
  t.equal(cpr, '1205801234');
  t.notOk('cpr' in identity, 'the CPR is kept apart from the identity');
});

for (const [forgery, code] of [
  ['other-key', 'MITID_ID_TOKEN_INVALID'],
  ['alg-none', 'MITID_ID_TOKEN_INVALID'],
  ['hs256-public-key', 'MITID_ID_TOKEN_INVALID'],
  ['expired', 'MITID_ID_TOKEN_INVALID'],
  ['not-yet-valid', 'MITID_ID_TOKEN_INVALID'],
  ['wrong-aud', 'MITID_ID_TOKEN_INVALID'],
  ['wrong-nonce', 'MITID_ID_TOKEN_INVALID'],
  ['wrong-iss', 'MITID_ID_TOKEN_INVALID'],
  ['lower-acr', 'MITID_LEVEL_NOT_MET'],
] as const) {
  t.test(`attack: ID token ${forgery}`, async (t) => {
    await harness.control({ idToken: forgery });
    const { complete } = await attempt();
    await t.rejects(complete(), { code });
  });
}

t.test('attack: callback without iss (mix-up)', async (t) => {
  await harness.control({ callback: 'omit-iss' });
  const { complete } = await attempt();
  await t.rejects(complete(), { code: 'MITID_ISSUER_MISMATCH' });
});

t.test('attack: callback with another issuer (mix-up)', async (t) => {
  await harness.control({ callback: 'wrong-iss' });
  const { complete } = await attempt();
  await t.rejects(complete(), { code: 'MITID_ISSUER_MISMATCH' });
});

t.test('attack: replayed authorization code', async (t) => {
  const { complete } = await attempt();
  await complete();
  await t.rejects(complete(), { code: 'MITID_TOKEN_EXCHANGE_FAILED' });
});

t.test('High requested, only Substantial reachable', async (t) => {
  const { complete } = await attempt('mitid-substantial', { ...person, requirement: { minimum: 'High' } });
  await t.rejects(complete(), { code: 'MITID_LEVEL_NOT_MET' });
});

t.test('broker 500 and timeout at the token endpoint', async (t) => {
  await harness.control({ tokenEndpoint: 'error-500' });
  await t.rejects((await attempt()).complete(), { code: 'MITID_BROKER_UNAVAILABLE' });
  await harness.control({ tokenEndpoint: 'timeout' });
  await t.rejects((await attempt()).complete(), { code: 'MITID_BROKER_UNAVAILABLE' });
});
