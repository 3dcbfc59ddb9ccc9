// node-saml signs a request (Redirect and POST), we verify it, answer it, and node-saml accepts the answer with
// InResponseTo checked against its own request cache.
import t from 'tap';
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import { FixedClock, samlId } from '../../../src/shared/index.js';
import { buildLoginResponse, computePersistentNameId, loadSpRegistry, receiveAuthnRequest } from '../../../src/saml/index.js';
import { IDP, VALID_REGISTRY_DIR, idpSigning, privateSubject, spEncryption, spSigning } from './fixtures.js';

const { registry } = await loadSpRegistry({ dir: VALID_REGISTRY_DIR, environment: 'production', idp: IDP });

function sp(post: boolean) {
  return new SAML({
    entryPoint: `${IDP.baseUrl}/saml/sso`,
    issuer: 'https://sp.test/metadata',
    audience: 'https://sp.test/metadata',
    callbackUrl: 'https://sp.test/acs2',
    idpCert: idpSigning.cert,
    idpIssuer: IDP.entityId,
    privateKey: spSigning.key,
    decryptionPvk: spEncryption.key,
    signatureAlgorithm: 'sha256',
    digestAlgorithm: 'sha256',
    identifierFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
    authnContext: ['https://data.gov.dk/concept/core/nsis/loa/Substantial'],
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: false,
    validateInResponseTo: ValidateInResponseTo.always,
    ...(post ? { authnRequestBinding: 'HTTP-POST', skipRequestCompression: true } : {}),
  });
}

for (const binding of ['redirect', 'post'] as const) {
  t.test(`${binding}: request verified, answered, accepted`, async (t) => {
    const saml = sp(binding === 'post');
    const clock = new FixedClock(new Date());
    const input =
      binding === 'redirect'
        ? { binding, rawQueryString: new URL(await saml.getAuthorizeUrlAsync('state-ø', undefined, {})).search.slice(1) }
        : {
            binding,
            form: { SAMLRequest: /name="SAMLRequest" value="([^"]+)"/.exec(await saml.getAuthorizeFormAsync('state-ø', undefined as never))?.[1] ?? '' },
          };
    const request = await receiveAuthnRequest(input, { registry, idp: IDP, clock, skewSeconds: 180 });
    t.equal(request.deferredError, undefined);
    t.equal(request.acs.url, 'https://sp.test/acs2', 'ACS chosen by exact URL from metadata');
    t.equal(request.nameIdFormat, 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent');
    t.equal(request.authnContextClassRef, 'https://data.gov.dk/concept/core/nsis/loa/Substantial');
    if (binding === 'redirect') t.equal(request.relayState, 'state-ø');
    const value = computePersistentNameId('secret', request.sp.entityId, privateSubject.subjectSerialNumber, 'oiosaml2', 'private');
    const { xml } = buildLoginResponse({
      sp: request.sp,
      acs: request.acs,
      issuer: IDP.entityId,
      inResponseTo: request.requestId,
      subject: privateSubject,
      nameId: { format: request.nameIdFormat, value, nameQualifier: IDP.entityId, spNameQualifier: request.sp.entityId },
      authnInstant: clock.now(),
      sessionIndex: samlId(),
      authnContextClassRef: request.authnContextClassRef,
      signing: idpSigning,
      clock,
    });
    const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: Buffer.from(xml).toString('base64') });
    t.equal(profile?.nameID, value);
    t.equal(profile?.inResponseTo, request.requestId);
  });
}
