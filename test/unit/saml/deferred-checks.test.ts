// Checks 5 and 8–12 read only the signed root; here they are fed small documents directly.
import t from 'tap';
import { loadSpRegistry, type RegisteredSp } from '../../../src/saml/index.js';
import { resolveAcs } from '../../../src/saml/request/resolve-acs.js';
import { checkBinding } from '../../../src/saml/request/check-binding.js';
import { checkNameIdPolicy } from '../../../src/saml/request/check-nameid-policy.js';
import { checkAuthnContext } from '../../../src/saml/request/check-authn-context.js';
import { checkSubject } from '../../../src/saml/request/check-subject.js';
import { checkPassive } from '../../../src/saml/request/check-passive.js';
import { parseXml } from '../../../src/xml/index.js';
import { IDP, VALID_REGISTRY_DIR } from './fixtures.js';

const { registry } = await loadSpRegistry({ dir: VALID_REGISTRY_DIR, environment: 'production', idp: IDP });
const sp = registry.byEntityId('https://sp.test/metadata') as RegisteredSp;
const oio3 = registry.byEntityId('https://plain.sp.test') as RegisteredSp;
const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';
const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';

function request(attributes: string, body = ''): Element {
  const xml = `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_1" Version="2.0" IssueInstant="2026-01-01T00:00:00Z" ${attributes}><saml:Issuer>${sp.entityId}</saml:Issuer>${body}</samlp:AuthnRequest>`;
  return parseXml(xml, { maxBytes: 1 << 16, errorCode: 'SAML_XML_FORBIDDEN' }).documentElement as Element;
}

t.test('ACS resolution (§2.4)', async (t) => {
  t.equal(resolveAcs(request(''), sp).location, 'https://sp.test/acs', 'default');
  t.equal(resolveAcs(request(''), oio3).location, 'https://plain.sp.test/acs', 'first POST when none is default');
  t.equal(resolveAcs(request('AssertionConsumerServiceIndex="2"'), sp).location, 'https://sp.test/acs2');
  t.equal(resolveAcs(request('AssertionConsumerServiceURL="https://sp.test/acs2"'), sp).index, 2);
  t.equal(resolveAcs(request(`AssertionConsumerServiceURL="https://sp.test/acs-redirect" ProtocolBinding="${REDIRECT}"`), sp).index, 1);
  t.throws(() => resolveAcs(request('AssertionConsumerServiceIndex="7"'), sp), { code: 'SAML_ACS_UNKNOWN' }, 'unknown index never falls back');
  t.throws(() => resolveAcs(request('AssertionConsumerServiceURL="https://sp.test/ACS"'), sp), { code: 'SAML_ACS_UNKNOWN' }, 'no normalisation');
  t.throws(() => resolveAcs(request(`AssertionConsumerServiceURL="https://sp.test/acs2" ProtocolBinding="${REDIRECT}"`), sp), { code: 'SAML_ACS_UNKNOWN' });
  t.throws(() => resolveAcs(request('AssertionConsumerServiceIndex="0" AssertionConsumerServiceURL="https://sp.test/acs"'), sp), { code: 'SAML_ACS_AMBIGUOUS' });
  t.throws(() => resolveAcs(request(`AssertionConsumerServiceIndex="0" ProtocolBinding="${POST}"`), sp), { code: 'SAML_ACS_AMBIGUOUS' });
});

t.test('check 8: binding', async (t) => {
  const acs = (index: number) => sp.acsEndpoints.find((endpoint) => endpoint.index === index)!;
  t.equal(checkBinding(request(''), acs(0)), undefined);
  t.equal(checkBinding(request(`ProtocolBinding="${POST}"`), acs(0)), undefined);
  t.equal(checkBinding(request(`ProtocolBinding="${REDIRECT}"`), acs(1)), 'SAML_BINDING_UNSUPPORTED');
  t.equal(checkBinding(request('AssertionConsumerServiceIndex="1"'), acs(1)), 'SAML_BINDING_UNSUPPORTED');
  t.equal(checkBinding(request('ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact"'), acs(0)), 'SAML_BINDING_UNSUPPORTED');
});

t.test('check 9: NameIDPolicy (§2.5)', async (t) => {
  const policy = (attributes: string) => checkNameIdPolicy(request('', `<samlp:NameIDPolicy ${attributes}/>`), sp);
  t.same(checkNameIdPolicy(request(''), sp), { nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent', allowCreate: true });
  t.equal(policy('Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"').nameIdFormat, 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent');
  t.equal(policy('Format="urn:oasis:names:tc:SAML:2.0:nameid-format:transient"').nameIdFormat, 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient');
  t.equal(policy('Format="urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName"').error, undefined);
  t.equal(policy('Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"').error, 'SAML_NAMEID_POLICY_INVALID');
  t.equal(policy('Format="urn:oasis:names:tc:SAML:2.0:nameid-format:encrypted"').error, 'SAML_NAMEID_POLICY_INVALID');
  t.equal(policy('SPNameQualifier="https://affiliation.test"').error, 'SAML_NAMEID_POLICY_INVALID');
  t.equal(policy(`SPNameQualifier="${sp.entityId}"`).spNameQualifier, sp.entityId);
  t.equal(policy('AllowCreate="false"').allowCreate, false);
  t.equal(checkNameIdPolicy(request('', '<samlp:NameIDPolicy/>'), oio3).nameIdFormat, 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient');
  t.equal(
    checkNameIdPolicy(request('', '<samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName"/>'), oio3).error,
    'SAML_NAMEID_POLICY_INVALID',
  );
});

t.test('check 10: RequestedAuthnContext (§2.6)', async (t) => {
  const ctx = (comparison: string, refs: string[], decl = false) =>
    checkAuthnContext(
      request(
        '',
        `<samlp:RequestedAuthnContext${comparison ? ` Comparison="${comparison}"` : ''}>${refs.map((r) => `<saml:AuthnContextClassRef>${r}</saml:AuthnContextClassRef>`).join('')}${decl ? '<saml:AuthnContextDeclRef>x</saml:AuthnContextDeclRef>' : ''}</samlp:RequestedAuthnContext>`,
      ),
    );
  const X509 = 'urn:oasis:names:tc:SAML:2.0:ac:classes:X509';
  const SUB = 'https://data.gov.dk/concept/core/nsis/loa/Substantial';
  const LOW = 'https://data.gov.dk/concept/core/nsis/loa/Low';
  const HIGH = 'https://data.gov.dk/concept/core/nsis/loa/High';
  t.same(checkAuthnContext(request('')), { authnContextClassRef: X509, requestedLevel: null });
  t.same(ctx('', [X509]), { authnContextClassRef: X509, requestedLevel: { minimum: 'Substantial', exactly: ['Substantial'], x509: true } });
  t.same(ctx('exact', ['urn:other', SUB]), { authnContextClassRef: SUB, requestedLevel: { minimum: 'Substantial', exactly: ['Substantial'] } });
  // Low exactly, or High: the request is well formed; whether an eID reaches it is the login's decision (MitID).
  t.same(ctx('exact', [LOW]).requestedLevel, { minimum: 'Low', exactly: ['Low'] });
  t.same(ctx('minimum', [HIGH]).requestedLevel, { minimum: 'High' });
  t.same(ctx('minimum', [LOW, X509]), { authnContextClassRef: SUB, requestedLevel: { minimum: 'Low', x509: true } });
  t.equal(ctx('better', [LOW]).error, 'SAML_AUTHN_CONTEXT_UNSUPPORTED');
  t.equal(ctx('maximum', [X509]).error, 'SAML_AUTHN_CONTEXT_UNSUPPORTED');
  t.equal(ctx('exact', ['urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport']).error, 'SAML_AUTHN_CONTEXT_UNSUPPORTED');
});

t.test('checks 11 and 12', async (t) => {
  t.equal(checkSubject(request('', '<saml:Subject><saml:NameID>x</saml:NameID></saml:Subject>')), 'SAML_SUBJECT_NOT_SUPPORTED');
  t.equal(checkSubject(request('')), undefined);
  t.same(checkPassive(request('ForceAuthn="true" IsPassive="true"')), { forceAuthn: true, isPassive: true, error: 'SAML_NO_PASSIVE' });
  t.same(checkPassive(request('IsPassive="true"')), { forceAuthn: false, isPassive: true });
  t.same(checkPassive(request('ForceAuthn="1"')), { forceAuthn: true, isPassive: false });
});
