// Single Logout messages against node-saml in both directions and on both bindings.
import t from 'tap';
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import { FixedClock } from '../../../src/shared/index.js';
import {
  buildLogoutRequest,
  buildLogoutResponse,
  loadSpRegistry,
  receiveLogoutRequest,
  receiveLogoutResponse,
  type RegisteredSp,
  type SamlContext,
} from '../../../src/saml/index.js';
import { IDP, VALID_REGISTRY_DIR, idpSigning, otherKey, spSigning } from './fixtures.js';

const { registry } = await loadSpRegistry({ dir: VALID_REGISTRY_DIR, environment: 'production', idp: IDP });
const sp = registry.byEntityId('https://sp.test/metadata') as RegisteredSp;
const PERSISTENT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent';
const user = { issuer: IDP.entityId, nameID: 'abc-123', nameIDFormat: PERSISTENT, nameQualifier: IDP.entityId, spNameQualifier: sp.entityId, sessionIndex: '_s1' };

function nodeSaml(key = spSigning.key) {
  return new SAML({
    entryPoint: `${IDP.baseUrl}/saml/sso`,
    logoutUrl: `${IDP.baseUrl}/saml/slo`,
    issuer: sp.entityId,
    callbackUrl: 'https://sp.test/acs',
    idpCert: idpSigning.cert,
    idpIssuer: IDP.entityId,
    privateKey: key,
    signatureAlgorithm: 'sha256',
    digestAlgorithm: 'sha256',
    validateInResponseTo: ValidateInResponseTo.never,
    wantAuthnResponseSigned: false,
  });
}
const context = (): SamlContext => ({ registry, idp: IDP, clock: new FixedClock(new Date()), skewSeconds: 180 });
const query = (url: string) => new URL(url).search.slice(1);
const parsed = (url: string) => Object.fromEntries(new URL(url).searchParams);

t.test('SP-initiated: node-saml LogoutRequest (Redirect) is verified; our LogoutResponse is accepted', async (t) => {
  const saml = nodeSaml();
  const url = await saml.getLogoutUrlAsync(user, 'rs-1', {});
  const request = await receiveLogoutRequest({ binding: 'redirect', rawQueryString: query(url) }, context());
  t.equal(request.sp.entityId, sp.entityId);
  t.same(request.nameId, { value: 'abc-123', format: PERSISTENT, nameQualifier: IDP.entityId, spNameQualifier: sp.entityId });
  t.same(request.sessionIndexes, ['_s1']);
  t.equal(request.relayState, 'rs-1');

  const response = buildLogoutResponse({ sp, issuer: IDP.entityId, inResponseTo: request.requestId, status: 'PartialLogout', signing: idpSigning, clock: new FixedClock(new Date()), binding: request.binding, ...(request.relayState ? { relayState: request.relayState } : {}) });
  t.equal(response.binding, 'redirect');
  if (response.binding !== 'redirect') return;
  t.match(response.url, /^https:\/\/sp\.test\/slo\?SAMLResponse=/);
  t.equal(new URL(response.url).searchParams.get('RelayState'), 'rs-1');
  const { loggedOut } = await saml.validateRedirectAsync(parsed(response.url), query(response.url));
  t.equal(loggedOut, true);
});

t.test('a LogoutRequest signed by a key not in metadata is refused', async (t) => {
  const url = await nodeSaml(otherKey.key).getLogoutUrlAsync(user, '', {});
  await t.rejects(receiveLogoutRequest({ binding: 'redirect', rawQueryString: query(url) }, context()), { code: 'SAML_SIGNATURE_INVALID' });
});

for (const binding of ['redirect', 'post'] as const) {
  t.test(`IdP-initiated propagation (${binding}): node-saml accepts our LogoutRequest`, async (t) => {
    const saml = nodeSaml();
    const message = buildLogoutRequest({ sp, issuer: IDP.entityId, nameId: { format: PERSISTENT, value: 'abc-123', nameQualifier: IDP.entityId, spNameQualifier: sp.entityId }, sessionIndex: '_s1', signing: idpSigning, clock: new FixedClock(new Date()), binding });
    t.equal(message.binding, binding);
    const result =
      message.binding === 'redirect'
        ? await saml.validateRedirectAsync(parsed(message.url), query(message.url))
        : await saml.validatePostRequestAsync({ SAMLRequest: 'SAMLRequest' in message.fields ? message.fields.SAMLRequest : '' });
    t.equal(result.loggedOut, true);
    t.equal(result.profile?.nameID, 'abc-123');
    t.equal(result.profile?.sessionIndex, '_s1');

    // The participant answers; we verify its LogoutResponse.
    const answer = await saml.getLogoutResponseUrlAsync({ ...result.profile!, ID: message.requestId } as never, 'back', {}, true);
    const verified = await receiveLogoutResponse({ binding: 'redirect', rawQueryString: query(answer) }, context());
    t.equal(verified.inResponseTo, message.requestId);
    t.equal(verified.success, true);
    t.equal(verified.sp.entityId, sp.entityId);
  });
}
