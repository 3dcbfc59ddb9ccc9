import { randomBytes } from 'node:crypto';
import t from 'tap';
import { isIdpError } from '../../../src/errors/index.js';
import { buildJsClientParameters, verifyNemidResponse } from '../../../src/nemid/index.js';
import {
  buildOcspRequest,
  createCertificateValidator,
  createStaticCrlSource,
  createTrustStore,
  crlSignedBy,
  judgeOcspResponse,
  buildAuthorities,
  ocspCertId,
  parseCertificate,
  parseCrl,
} from '../../../src/pki/index.js';
import { FixedClock } from '../../../src/shared/index.js';
import { devPkiAdapter } from '../../../src/simulator/dev-pki-adapter.js';
import {
  codeFor,
  createSimulator,
  PID_XML_PATH,
  SIMULATOR_PRIVATE_SPID,
  SIMULATOR_PUBLIC_SPID,
  TEST_USERS,
  type SimLog,
} from '../../../src/simulator/index.js';
import { startSimulatorServer } from '../../helpers/simulator-server.js';

// The simulator on the dev-pki: a login whose response chains to the simulator root, CRLs and OCSP with their
// switches, PID-CPR and roles over HTTP. One PKI per file (2048-bit keys) keeps it fast.

const BASE = 'http://127.0.0.1:8081';
const clock = new FixedClock(new Date());
const silent: SimLog = { info: () => {}, warn: () => {}, error: () => {} };
const devPki = await buildAuthorities({ baseUrl: BASE, rootKeyBits: 2048, now: clock.now() });
const voces = await devPki.issueUserCertificate({ name: 'voces-idp', type: 'VOCES', cn: 'IdP VOCES', pidOrRid: '10000001', cvr: '99000001', organization: 'IdP' });
const pki = devPkiAdapter(devPki, {
  createForgedPki: () => buildAuthorities({ baseUrl: BASE, rootKeyBits: 2048, now: clock.now() }),
  now: () => clock.now(),
});
const simulator = createSimulator({ pidCprClients: 'any-caller', origin: BASE, requestIssuer: 'Simulator SP', pki, clock, log: silent, timeoutMs: 300 });
const server = await startSimulatorServer([...simulator.routes, ...simulator.pidCprRoutes]);
t.teardown(() => server.close());
t.beforeEach(() => simulator.state.reset());

const ORIGIN = 'http://localhost:8080';
const user = (id: string) => TEST_USERS.find((candidate) => candidate.userId === id)!;

async function post(path: string, body: unknown) {
  const response = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return (await response.json()) as { status: string; session?: string; key?: string; content?: string };
}

async function login(userId: string) {
  const account = user(userId.startsWith('fault-') ? 'fault' : userId);
  const built = buildJsClientParameters({ spCertDer: voces.certificateDer, spKey: voces.privateKey, origin: ORIGIN, language: 'da', timestamp: clock.now() });
  const start = await post('/api/session', { client: 'js', parameters: built.json, messageOrigin: ORIGIN });
  const step = await post(`/api/session/${start.session}/password`, { client: 'js', userId, password: account.password });
  const done = await post(`/api/session/${start.session}/code`, { client: 'js', code: codeFor(account.cardNumber, step.key ?? '') });
  return { built, xml: Buffer.from(done.content ?? '', 'base64').toString('utf8') };
}

async function crls() {
  return Promise.all(['root', 'ca1'].map(async (name) => Buffer.from(await (await fetch(`${server.url}/crl/${name}.crl`)).arrayBuffer())));
}

t.test('logins on the dev-pki verify against the simulator root; the revoked user is revoked', async (t) => {
  const trustStore = createTrustStore('simulator', [devPki.root.certificateDer, devPki.issuingCa.certificateDer], {
    pinnedRootSha256: devPki.rootFingerprint256,
  });
  const good = await login('citizen');
  const bad = await login('revoked');
  const validator = createCertificateValidator({ trustStore, revocation: createStaticCrlSource(await crls()), clock });
  const options = (built: { challenge: string; timestamp: string }) => ({
    validator,
    at: clock.now(),
    expected: { challenge: built.challenge, requestIssuer: 'Simulator SP', timestamp: built.timestamp, client: 'js' as const },
  });
  const verified = await verifyNemidResponse(good.xml, options(good.built));
  t.equal(verified.type, 'POCES');
  t.equal(verified.identity.pid, user('citizen').certificate.pid);
  const refused = await verifyNemidResponse(bad.xml, options(bad.built)).catch((error: unknown) => error);
  t.ok(isIdpError(refused, 'NEMID_CERT_REVOKED'), 'revoked user');
  const expired = await login('expired');
  const old = await verifyNemidResponse(expired.xml, options(expired.built)).catch((error: unknown) => error);
  t.ok(isIdpError(old, 'NEMID_CERT_EXPIRED'), 'expired user');
});

t.test('CRLs: signed by their CA, 12 h window, switches stale and unavailable', async (t) => {
  const [rootCrl, caCrl] = await crls();
  const ca = parseCrl(caCrl!);
  t.ok(crlSignedBy(ca, parseCertificate(devPki.issuingCa.certificateDer)).ok);
  t.ok(crlSignedBy(parseCrl(rootCrl!), parseCertificate(devPki.root.certificateDer)).ok);
  t.equal(ca.nextUpdate!.getTime() - ca.thisUpdate.getTime(), 12 * 3600 * 1000);
  t.equal(Buffer.compare((await crls())[1]!, caCrl!), 0, 'the same CRL within its first half-life');
  await post('/control', { crl: 'stale' });
  const stale = parseCrl((await crls())[1]!);
  t.ok(stale.nextUpdate!.getTime() < clock.now().getTime(), 'stale: nextUpdate passed');
  await post('/control', { crl: 'unavailable' });
  t.equal((await fetch(`${server.url}/crl/ca1.crl`)).status, 503);
  t.equal((await fetch(`${server.url}/crl/other.crl`)).status, 404);
});

t.test('OCSP: SHA-1 and SHA-256 CertIDs, nonce echoed, switches', async (t) => {
  await pki.userCredential(user('citizen'));
  await pki.userCredential(user('revoked'));
  const issuer = parseCertificate(devPki.issuingCa.certificateDer);
  const ask = async (userId: string, hash: 'SHA-1' | 'SHA-256') => {
    const certificate = parseCertificate((await pki.userCredential(user(userId))).certificateDer);
    const certId = ocspCertId(certificate, issuer, hash);
    const nonce = randomBytes(16);
    const response = await fetch(`${server.url}/ocsp`, {
      method: 'POST',
      headers: { 'content-type': 'application/ocsp-request' },
      body: new Uint8Array(buildOcspRequest(certId, nonce)),
    });
    if (response.status !== 200) return { httpStatus: response.status };
    const der = Buffer.from(await response.arrayBuffer());
    try {
      return judgeOcspResponse(der, { certId, nonce, issuer, at: clock.now() });
    } catch (error) {
      return { error };
    }
  };
  t.match(await ask('citizen', 'SHA-1'), { status: 'GOOD' });
  t.match(await ask('citizen', 'SHA-256'), { status: 'GOOD' });
  t.match(await ask('revoked', 'SHA-1'), { status: 'REVOKED' });
  await post('/control', { ocsp: 'revoked' });
  t.match(await ask('citizen', 'SHA-1'), { status: 'REVOKED' });
  await post('/control', { ocsp: 'unknown' });
  t.match(await ask('citizen', 'SHA-1'), { certStatus: 'unknown' });
  await post('/control', { ocsp: 'bad-signature' });
  const forged = await ask('citizen', 'SHA-1');
  // judgeOcspResponse refuses with pki's own (unexported) error type: the signature no longer verifies.
  t.ok('error' in forged && (forged as { error: unknown }).error instanceof Error, 'bad signature refused');
  await post('/control', { ocsp: 'unavailable' });
  t.match(await ask('citizen', 'SHA-1'), { httpStatus: 503 });
});

t.test('AIA: the issuing CA certificate', async (t) => {
  const response = await fetch(`${server.url}/aia/ca1.cer`);
  t.equal(response.status, 200);
  t.same(Buffer.from(await response.arrayBuffer()), devPki.issuingCa.certificateDer);
});

t.test('the untrusted-root fault chains to a look-alike root', async (t) => {
  const { xml } = await login('fault-untrusted-root');
  t.notMatch(xml, devPki.root.certificateDer.toString('base64').slice(0, 76), 'not our root');
});

const pidRequest = (serviceId: string, pid: string, cpr?: string) =>
  `<?xml version="1.0" encoding="iso-8859-1"?>\n<method name="pidCprRequest" version="1.0"><request id="req-1"><serviceId>${serviceId}</serviceId><pid>${pid}</pid>${cpr ? `<cpr>${cpr}</cpr>` : ''}</request></method>`;

async function pidCpr(xml: string) {
  const response = await fetch(`${server.url}${PID_XML_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ PID_REQUEST: xml }).toString(),
  });
  const text = Buffer.from(await response.arrayBuffer()).toString('latin1');
  return { http: response.status, contentType: response.headers.get('content-type'), text, status: /statusCode="(\d+)"/.exec(text)?.[1] };
}

t.test('PID-CPR plain XML over HTTP, with its switches', async (t) => {
  const citizen = user('citizen');
  const match = await pidCpr(pidRequest(SIMULATOR_PRIVATE_SPID, citizen.certificate.pid!, citizen.cpr));
  t.equal(match.status, '0');
  t.match(match.contentType, /iso-8859-1/);
  t.match(match.text, '<response id="req-1">');
  const lookup = await pidCpr(pidRequest(SIMULATOR_PUBLIC_SPID, citizen.certificate.pid!));
  t.match(lookup.text, `<cpr>${citizen.cpr}</cpr>`);
  t.equal((await pidCpr(pidRequest(SIMULATOR_PRIVATE_SPID, citizen.certificate.pid!))).status, '8');
  t.equal((await pidCpr(pidRequest('1', citizen.certificate.pid!, citizen.cpr))).status, '17');
  t.equal((await pidCpr(pidRequest(SIMULATOR_PUBLIC_SPID, user('no-cpr').certificate.pid!))).status, '2');
  t.equal((await pidCpr('<method')).status, '8192');

  await post('/control', { pidCpr: '16384' });
  t.equal((await pidCpr(pidRequest(SIMULATOR_PRIVATE_SPID, citizen.certificate.pid!, citizen.cpr))).status, '16384');
  await post('/control', { pidCpr: 'unavailable' });
  t.equal((await pidCpr(pidRequest(SIMULATOR_PRIVATE_SPID, citizen.certificate.pid!, citizen.cpr))).http, 503);
  await post('/control', { pidCpr: 'timeout' });
  const started = Date.now();
  await pidCpr(pidRequest(SIMULATOR_PRIVATE_SPID, citizen.certificate.pid!, citizen.cpr));
  t.ok(Date.now() - started >= 250, 'held back for the configured timeout');
});

t.test('roles: one business, two, none; unknown PID; unavailable', async (t) => {
  const roles = async (pid: string) => {
    const response = await fetch(`${server.url}/roles?pid=${encodeURIComponent(pid)}`);
    return { status: response.status, body: (await response.json()) as { businesses?: { cvr: string; name: string }[] } };
  };
  t.same((await roles(user('owner').certificate.pid!)).body.businesses, user('owner').businesses);
  t.equal((await roles(user('owner2').certificate.pid!)).body.businesses?.length, 2);
  t.same((await roles(user('citizen').certificate.pid!)).body, { businesses: [] });
  t.equal((await roles('9999-2002-2-999999999999')).status, 404);
  t.equal((await roles('PID:1')).status, 400);
  const form = await fetch(`${server.url}/control`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `roles=unavailable&secret=${simulator.state.controlSecret()}` });
  t.equal(form.status, 200, 'control accepts a form carrying the secret');
  t.equal((await roles(user('owner').certificate.pid!)).status, 503);
  t.equal((await fetch(`${server.url}/control`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"roles":"maybe"}' })).status, 400);
  await fetch(`${server.url}/control`, { method: 'DELETE' });
  t.equal((await roles(user('owner').certificate.pid!)).status, 200, 'DELETE /control resets');
});
