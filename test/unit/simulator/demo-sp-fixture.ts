// Shared setup for the demo SP unit tests (not a test file itself): the IdP side is the real src/saml with the real
// demo SP registration (as derived at start-up, with the TEST-ONLY demo keys of test/fixtures/saml), and the demo SP
// is driven through its route table like src/http would.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FixedClock, samlId } from '../../../src/shared/index.js';
import { buildLoginResponse, computePersistentNameId, loadSpRegistry, receiveAuthnRequest, type SamlContext } from '../../../src/saml/index.js';
import { createDemoSp, demoSpRegistration, type DemoSpOptions } from '../../../src/simulator/index.js';
import type { SimResponse } from '../../../src/simulator/index.js';
import { idpSigning, privateSubject } from '../saml/fixtures.js';

const KEYS = new URL('../../fixtures/saml/', import.meta.url);
const key = (name: string) => readFileSync(new URL(name, KEYS), 'utf8');
export const IDP = { entityId: 'http://localhost:8080/saml/metadata', baseUrl: 'http://localhost:8080' };
export const encryptionCert = key('demo-sp-encryption.TEST-ONLY.cert.pem');
export const spSigningCert = key('demo-sp-signing.TEST-ONLY.cert.pem');
export const registration = demoSpRegistration(IDP.baseUrl, {
  signingKeyPem: key('demo-sp-signing.TEST-ONLY.key.pem'),
  signingCertPem: spSigningCert,
  encryptionKeyPem: key('demo-sp-encryption.TEST-ONLY.key.pem'),
  encryptionCertPem: encryptionCert,
});

const emptyFolder = mkdtempSync(join(tmpdir(), 'demo-sp-metadata-'));
const { registry, problems } = await loadSpRegistry({ dir: emptyFolder, environment: 'simulator', idp: IDP, builtIn: [registration] });
rmSync(emptyFolder, { recursive: true, force: true });
if (problems.length > 0) throw new Error(`the demo SP registration does not load: ${problems.join('; ')}`);
export { registry };
export const files = registration.files;

export interface LogEntry {
  level: string;
  fields: Record<string, unknown>;
}

export function newDemoSp(overrides: Partial<DemoSpOptions> = {}) {
  const clock = new FixedClock('2026-01-15T10:00:00Z');
  const logs: LogEntry[] = [];
  const record = (level: string) => (fields: Record<string, unknown>) => void logs.push({ level, fields });
  const options: DemoSpOptions = {
    ...files,
    idpSsoUrl: `${IDP.baseUrl}/saml/sso`,
    idpSloUrl: `${IDP.baseUrl}/saml/slo`,
    idpEntityId: IDP.entityId,
    idpSigningCertificates: [idpSigning.cert],
    clock,
    log: { info: record('info'), warn: record('warn'), error: record('error') },
    simulatorUrl: 'http://localhost:8081/developers/',
    ...overrides,
  };
  const demo = createDemoSp(options);
  const context: SamlContext = { registry, idp: IDP, clock, skewSeconds: 180 };
  let cookie: string | undefined;

  async function call(method: 'GET' | 'POST', pathAndQuery: string, form?: Record<string, string>): Promise<SimResponse> {
    const url = new URL(pathAndQuery, 'http://localhost:8080');
    const route = demo.routes.find((r) => r.method === method && r.path === url.pathname);
    if (!route) throw new Error(`no route ${method} ${url.pathname}`);
    const response = await route.handle({
      params: {},
      query: Object.fromEntries(url.searchParams),
      body: form,
      headers: cookie ? { cookie: `other=1; demo_sp_session=${cookie}` } : {},
    });
    const set = /demo_sp_session=([^;]+)/.exec(response.headers['set-cookie'] ?? '');
    if (set?.[1]) cookie = set[1];
    return response;
  }

  /** GET /demo/login, then the IdP's own verification of the request it receives. */
  async function startLogin(query = '') {
    const response = await call('GET', `/demo/login${query}`);
    const location = response.headers['location'] ?? '';
    const rawQueryString = location.slice(location.indexOf('?') + 1);
    const request = await receiveAuthnRequest({ binding: 'redirect', rawQueryString }, context);
    return { response, location, request, relayState: new URL(location).searchParams.get('RelayState') ?? '' };
  }

  /** What the IdP would answer to `inResponseTo` (undefined: IdP-initiated). */
  function loginResponse(inResponseTo: string | undefined, signing = idpSigning): string {
    const sp = registry.byEntityId(files.spEntityId);
    if (!sp) throw new Error('demo SP not registered');
    const nameId = computePersistentNameId('secret', sp.entityId, privateSubject.subjectSerialNumber, 'oiosaml2', 'private');
    return buildLoginResponse({
      sp,
      acs: { url: files.acsUrl, binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST', index: 0 },
      issuer: IDP.entityId,
      ...(inResponseTo !== undefined ? { inResponseTo } : {}),
      subject: privateSubject,
      nameId: { format: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent', value: nameId, nameQualifier: IDP.entityId, spNameQualifier: sp.entityId },
      authnInstant: clock.now(),
      sessionIndex: samlId(),
      authnContextClassRef: 'urn:oasis:names:tc:SAML:2.0:ac:classes:X509',
      signing,
      clock,
    }).xml;
  }

  const postAcs = (xml: string, relayState?: string) =>
    call('POST', '/demo/acs', { SAMLResponse: Buffer.from(xml, 'utf8').toString('base64'), ...(relayState !== undefined ? { RelayState: relayState } : {}) });

  return {
    demo,
    options,
    clock,
    logs,
    context,
    call,
    startLogin,
    loginResponse,
    postAcs,
    cookie: () => cookie,
    setCookie: (value: string | undefined) => {
      cookie = value;
    },
  };
}

export function bodyText(response: SimResponse): string {
  return typeof response.body === 'string' ? response.body : response.body.toString('utf8');
}

/** The catalogue code on the demo SP's refusal page. */
export function refusalCode(response: SimResponse): string | undefined {
  return /<code id="error-code">([^<]*)<\/code>/.exec(bodyText(response))?.[1];
}
