// The judge: an independent SP library (@node-saml/node-saml 5.1.0) must accept what we send.
import t from 'tap';
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import { FixedClock, samlId } from '../../../src/shared/index.js';
import { buildErrorResponse, buildLoginResponse, loadSpRegistry, type RegisteredSp } from '../../../src/saml/index.js';
import { validateAgainstSchema } from '../../../src/xml/index.js';
import { IDP, VALID_REGISTRY_DIR, employeeSubject, idpSigning, privateSubject, spEncryption, spSigning } from './fixtures.js';

const { registry, problems } = await loadSpRegistry({ dir: VALID_REGISTRY_DIR, environment: 'production', idp: IDP });
t.same(problems, []);
const encryptingSp = registry.byEntityId('https://sp.test/metadata') as RegisteredSp;
const plainSp = registry.byEntityId('https://plain.sp.test') as RegisteredSp;

function nodeSamlFor(sp: RegisteredSp, acsUrl: string) {
  return new SAML({
    callbackUrl: acsUrl,
    issuer: sp.entityId,
    audience: sp.entityId,
    idpCert: idpSigning.cert,
    idpIssuer: IDP.entityId,
    privateKey: spSigning.key,
    decryptionPvk: spEncryption.key,
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: sp.policy.signResponse,
    validateInResponseTo: ValidateInResponseTo.never,
  });
}

const base64 = (xml: string) => Buffer.from(xml, 'utf8').toString('base64');

t.test('signed + encrypted assertion (oiosaml2, CPR released) is accepted with the profile attributes', async (t) => {
  const clock = new FixedClock(new Date());
  const requestId = samlId();
  const built = buildLoginResponse({
    sp: encryptingSp,
    acs: { url: 'https://sp.test/acs', binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST', index: 0 },
    issuer: IDP.entityId,
    inResponseTo: requestId,
    subject: privateSubject,
    nameId: { format: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent', value: 'abc', nameQualifier: IDP.entityId, spNameQualifier: encryptingSp.entityId },
    authnInstant: clock.now(),
    sessionIndex: samlId(),
    authnContextClassRef: 'urn:oasis:names:tc:SAML:2.0:ac:classes:X509',
    signing: idpSigning,
    clock,
  });
  t.match(built.xml, /<saml:EncryptedAssertion>/);
  await validateAgainstSchema(built.xml, 'protocol', 'SAML_SCHEMA_INVALID');
  t.notMatch(built.xml, /0101011234/);
  const { profile } = await nodeSamlFor(encryptingSp, 'https://sp.test/acs').validatePostResponseAsync({ SAMLResponse: base64(built.xml) });
  t.ok(profile);
  t.equal(profile?.nameID, 'abc');
  t.equal(profile?.inResponseTo, requestId);
  t.equal(profile?.['dk:gov:saml:attribute:CprNumberIdentifier'], '0101011234');
  t.equal(profile?.['dk:gov:saml:attribute:SpecVer'], 'DK-SAML-2.0');
  t.equal(profile?.['urn:oid:0.9.2342.19200300.100.1.1'], 'PID:9208-2002-2-751708631151');
  t.equal(profile?.['dk:gov:saml:attribute:PidNumberIdentifier'], '9208-2002-2-751708631151');
  t.equal(profile?.['urn:oid:2.5.4.5'], '5F9C3687');
  t.equal(profile?.['urn:oid:2.5.4.10'], 'Ingen organisatorisk tilknytning');
  t.equal(profile?.['dk:gov:saml:attribute:IsYouthCert'], 'false');
  t.ok(profile && 'urn:oid:2.5.4.4' in profile, 'surName sent (empty value)');
  t.equal(profile?.['dk:gov:saml:attribute:RidNumberIdentifier'], undefined);
});

t.test('plain assertion with Response signature (oiosaml3, employee) is accepted and values are escaped', async (t) => {
  const clock = new FixedClock(new Date());
  const built = buildLoginResponse({
    sp: plainSp,
    acs: { url: 'https://plain.sp.test/acs', binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST', index: 1 },
    issuer: IDP.entityId,
    subject: employeeSubject,
    nameId: { format: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient', value: '_x<y>&z' },
    authnInstant: clock.now(),
    sessionIndex: samlId(),
    authnContextClassRef: 'https://data.gov.dk/concept/core/nsis/loa/Substantial',
    signing: idpSigning,
    clock,
  });
  t.notMatch(built.xml, /EncryptedAssertion/);
  await validateAgainstSchema(built.xml, 'protocol', 'SAML_SCHEMA_INVALID');
  t.equal(built.xml.match(/<ds:Signature /g)?.length, 2, 'Response and Assertion signed');
  const { profile } = await nodeSamlFor(plainSp, 'https://plain.sp.test/acs').validatePostResponseAsync({ SAMLResponse: base64(built.xml) });
  t.equal(profile?.nameID, '_x<y>&z');
  t.equal(profile?.['https://data.gov.dk/model/core/eid/fullName'], 'Anne <Admin> & Co');
  t.equal(profile?.['https://data.gov.dk/model/core/eid/professional/cvr'], '30808460');
  t.equal(profile?.['https://data.gov.dk/model/core/eid/professional/orgName'], 'Firma A/S');
  t.equal(profile?.['https://data.gov.dk/model/core/eid/email'], 'anne@example.dk');
  t.equal(profile?.['https://data.gov.dk/model/core/specVersion'], 'OIO-SAML-3.0');
  t.equal(profile?.['https://data.gov.dk/model/core/eid/cprNumber'], undefined);
});

t.test('a CPR never goes out in a plain assertion', async (t) => {
  const clock = new FixedClock(new Date());
  const unencrypted: RegisteredSp = { ...encryptingSp, encryption: undefined } as RegisteredSp;
  t.throws(
    () =>
      buildLoginResponse({
        sp: unencrypted,
        acs: { url: 'https://sp.test/acs', binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST', index: 0 },
        issuer: IDP.entityId,
        subject: privateSubject,
        nameId: { format: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient', value: '_1' },
        authnInstant: clock.now(),
        sessionIndex: samlId(),
        authnContextClassRef: 'urn:oasis:names:tc:SAML:2.0:ac:classes:X509',
        signing: idpSigning,
        clock,
      }),
    { code: 'CPR_RELEASE_NEEDS_ENCRYPTION' },
  );
});

t.test('error response: signed, nested status, StatusMessage = code; node-saml reports the status', async (t) => {
  const clock = new FixedClock(new Date());
  const { xml } = buildErrorResponse({
    sp: encryptingSp,
    acs: { url: 'https://sp.test/acs', binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST', index: 0 },
    issuer: IDP.entityId,
    inResponseTo: '_req1',
    code: 'SAML_NO_PASSIVE',
    signing: idpSigning,
    clock,
  });
  t.match(xml, /status:Requester/);
  t.match(xml, /status:NoPassive/);
  t.match(xml, /<samlp:StatusMessage>SAML_NO_PASSIVE<\/samlp:StatusMessage>/);
  await t.rejects(nodeSamlFor(encryptingSp, 'https://sp.test/acs').validatePostResponseAsync({ SAMLResponse: base64(xml) }), /Requester error: SAML_NO_PASSIVE/);
});
