import t from 'tap';
import { acrValuesFor, achievedLevel, identityFromClaims, resolvePreset, scopesFor, SIGNICAT } from '../../../src/mitid/index.js';

// The broker preset and what the authorization request and the ID-token mapping take from it (no I/O).

t.test('MITID_CLAIMS_MAP overrides known entries only, with the right types', async (t) => {
  const preset = resolvePreset('signicat', { claims: { uuid: 'sub' }, scopes: { cpr: ['ssn'] } });
  t.equal(preset.claims.uuid, 'sub');
  t.same(preset.scopes.cpr, ['ssn']);
  t.equal(preset.claims.name, SIGNICAT.claims.name, 'other entries kept');
  t.throws(() => resolvePreset('signicat', { claims: { nope: 'x' } }), { code: 'CONFIG_INVALID' });
  t.throws(() => resolvePreset('signicat', { scopes: { cpr: 'nin' } }), { code: 'CONFIG_INVALID' });
  t.throws(() => resolvePreset('signicat', { idTokenAlgorithms: ['HS256'] }), { code: 'CONFIG_INVALID' }, 'never an HMAC');
  t.throws(() => resolvePreset('signicat', { idTokenAlgorithms: ['none'] }), { code: 'CONFIG_INVALID' }, 'never none');
  t.throws(() => resolvePreset('other', {}), { code: 'CONFIG_INVALID' });
});

t.test('scopes: the CPR scope only when the policy releases a CPR; professional scope for MitID Erhverv', async (t) => {
  t.notMatch(scopesFor(SIGNICAT, { kind: 'person', cprRequested: false }), /\bnin\b/);
  t.match(scopesFor(SIGNICAT, { kind: 'person', cprRequested: true }), /^openid .*\bnin\b/);
  t.match(scopesFor(SIGNICAT, { kind: 'professional', cprRequested: false }), /\bnemlogin\b/);
});

t.test('acr_values from the requested levels', async (t) => {
  const L = 'https://data.gov.dk/concept/core/nsis/loa/';
  t.equal(acrValuesFor(SIGNICAT, { minimum: 'Substantial' }), `${L}Substantial ${L}High`);
  t.equal(acrValuesFor(SIGNICAT, { minimum: 'High' }), `${L}High`);
  t.equal(acrValuesFor(SIGNICAT, { minimum: 'Low', exactly: ['Low'] }), `${L}Low`);
});

t.test('the achieved level is the lower of acr and the LoA claim; unknown values fail closed', async (t) => {
  const L = 'https://data.gov.dk/concept/core/nsis/loa/';
  t.equal(achievedLevel(SIGNICAT, { acr: `${L}High`, mitid_loa: 'SUBSTANTIAL' }), 'Substantial');
  t.equal(achievedLevel(SIGNICAT, { acr: `${L}High` }), 'High');
  t.equal(achievedLevel(SIGNICAT, { acr: 'urn:unknown' }), null);
  t.equal(achievedLevel(SIGNICAT, {}), null);
});

t.test('claims to identity: kind, CPR apart, name and address protection', async (t) => {
  const base = { idp_id: 'u-1', name: 'A B', acr: 'https://data.gov.dk/concept/core/nsis/loa/Substantial', nin: '0101011234', nin_type: 'PERSON', nin_issuing_country: 'DK' };
  const { identity, cpr } = identityFromClaims(SIGNICAT, base, { kind: 'person', cprRequested: true });
  t.equal(identity.uuid, 'u-1');
  t.equal(cpr, '0101011234');
  t.notOk(JSON.stringify(identity).includes('0101011234'), 'no CPR in the identity');
  t.throws(() => identityFromClaims(SIGNICAT, { ...base, nin: undefined }, { kind: 'person', cprRequested: true }), { code: 'MITID_CLAIM_MISSING' });
  t.throws(() => identityFromClaims(SIGNICAT, { ...base, 'nemlogin.cvr': '12345678', 'nemlogin.persistent_professional_id': 'p' }, { kind: 'person', cprRequested: false }), { code: 'MITID_IDENTITY_KIND_REFUSED' });
  const hidden = identityFromClaims(SIGNICAT, { ...base, name: '', mitid_name_and_address_protection: true }, { kind: 'person', cprRequested: false });
  t.equal(hidden.identity.name, '');
  t.equal(hidden.identity.nameAndAddressProtection, true);
});
