import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import t from 'tap';
import { isIdpError } from '../../../src/errors/index.js';
import {
  buildCodeFileParameters,
  buildJsClientParameters,
  normalizeParameters,
  paramsDigest,
  signNormalized,
  verifyNemidResponse,
} from '../../../src/nemid/index.js';
import { createCertificateValidator, createStaticCrlSource, createTrustStore } from '../../../src/pki/index.js';
import { FixedClock } from '../../../src/shared/index.js';
import { codeFor, createSimulator, FAULT_NAMES, TEST_USERS, type SimLog } from '../../../src/simulator/index.js';
import { fixtureSimulatorPki, PP_FIXTURES } from '../../helpers/fixture-simulator-pki.js';
import { startSimulatorServer } from '../../helpers/simulator-server.js';

// A whole simulated login over real HTTP: launcher page, parameter checks, password, code card, signed response,
// verified by nemid's own verifier. Real signatures: the users sign with Nets' genuine pre-production MOCES test key
// (the dev-pki is exercised in the revocation tests), so the clock stands in May 2021 and the PP trust store applies.

const FIXTURES = PP_FIXTURES;
const spCertDer = Buffer.from(new X509Certificate(readFileSync(`${FIXTURES}/certs/sp-test.cert.pem`)).raw);
const spKey = createPrivateKey(readFileSync(`${FIXTURES}/certs/sp-test.key.pem`));
const NOW = new Date('2021-05-13T13:00:00Z');
const ORIGIN = 'https://idp.example.dk';
const REQUEST_ISSUER = 'Simulator SP';

const clock = new FixedClock(NOW);
const logLines: string[] = [];
const log: SimLog = {
  info: (fields, message) => logLines.push(JSON.stringify({ level: 'info', ...fields, message })),
  warn: (fields, message) => logLines.push(JSON.stringify({ level: 'warn', ...fields, message })),
  error: (fields, message) => logLines.push(JSON.stringify({ level: 'error', ...fields, message })),
};
const simulator = createSimulator({ origin: 'http://127.0.0.1', requestIssuer: REQUEST_ISSUER, pki: fixtureSimulatorPki(), clock, log });
const server = await startSimulatorServer(simulator.routes);
t.teardown(() => server.close());
t.beforeEach(() => {
  simulator.state.reset();
  clock.set(NOW);
});

const validator = createCertificateValidator({
  trustStore: createTrustStore(
    'preproduction',
    ['TRUST2408-Systemtest-VII-Primary-CA.cert.pem', 'TRUST2408-Systemtest-XXII-CA.cert.pem'].map((name) =>
      Buffer.from(new X509Certificate(readFileSync(`${FIXTURES}/trust/${name}`)).raw),
    ),
  ),
  revocation: createStaticCrlSource([]),
  clock,
});

type Answer = { status: string; session?: string; userId?: string; key?: string; error?: string; command?: string; content?: string; targetOrigin?: string; language?: string };

async function api(path: string, body: Record<string, unknown>): Promise<Answer> {
  const response = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
  return (await response.json()) as Answer;
}

const decoded = (answer: Answer) => Buffer.from(answer.content ?? '', 'base64').toString('utf8');

function jsParameters(extra: Record<string, string> = {}) {
  const built = buildJsClientParameters({ spCertDer, spKey, origin: ORIGIN, language: 'en', timestamp: clock.now() });
  if (Object.keys(extra).length === 0) return built;
  const { PARAMS_DIGEST: _d, DIGEST_SIGNATURE: _s, ...rest } = { ...built.parameters, ...extra };
  const parameters = { ...rest, PARAMS_DIGEST: paramsDigest(rest), DIGEST_SIGNATURE: signNormalized(normalizeParameters(rest), spKey) };
  return { ...built, json: JSON.stringify(parameters) };
}

async function startJs(extra: Record<string, string> = {}) {
  const built = jsParameters(extra);
  const answer = await api('/api/session', { client: 'js', parameters: built.json, messageOrigin: ORIGIN });
  return { built, answer, session: answer.session ?? '' };
}

async function loginJs(userId: string) {
  const user = TEST_USERS.find((candidate) => candidate.userId === userId.replace(/^fault-.*/, 'fault'))!;
  const { built, session } = await startJs();
  const code = await api(`/api/session/${session}/password`, { client: 'js', userId, password: user.password });
  const done = await api(`/api/session/${session}/code`, { client: 'js', code: codeFor(user.cardNumber, code.key ?? '') });
  return { built, done };
}

const verify = (xml: string, built: { challenge: string; timestamp: string }, client: 'js' | 'codefile' = 'js', requestIssuer = REQUEST_ISSUER) =>
  verifyNemidResponse(xml, {
    validator,
    at: clock.now(),
    expected: { challenge: built.challenge, requestIssuer, timestamp: client === 'js' ? built.timestamp : undefined, client },
    revocation: 'skip',
  });

t.test('the launcher page is self-contained and says SIMULATOR', async (t) => {
  const response = await fetch(`${server.url}/launcher/lmt/1620910800000`);
  t.equal(response.status, 200);
  const csp = response.headers.get('content-security-policy') ?? '';
  const html = await response.text();
  const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
  t.ok(nonce, 'CSP with a script nonce');
  t.match(html, `<script nonce="${nonce}">`);
  t.match(html, 'SIMULATOR');
  t.notMatch(html, /src="http|href="http/, 'no external resources');
  t.match(csp, "default-src 'none'");
  t.equal((await fetch(`${server.url}/launcher/xyz/1`)).status, 404);
  t.equal((await fetch(`${server.url}/codefile/?t=1`)).status, 200);
});

t.test('a full JS login: password, code card, signed response that nemid verifies', async (t) => {
  const user = TEST_USERS.find((candidate) => candidate.userId === 'citizen')!;
  const { built, answer, session } = await startJs();
  t.match(answer, { status: 'password', language: 'en' });
  const wrong = await api(`/api/session/${session}/password`, { client: 'js', userId: 'citizen', password: 'nope' });
  t.match(wrong, { status: 'password', error: 'wrong-credentials' });
  const code = await api(`/api/session/${session}/password`, { client: 'js', userId: 'Citizen', password: user.password, remember: true });
  t.match(code, { status: 'code', key: /^[0-9]{4}$/ });
  const wrongCode = await api(`/api/session/${session}/code`, { client: 'js', code: '000000' === codeFor(user.cardNumber, code.key!) ? '111111' : '000000' });
  t.match(wrongCode, { status: 'code', error: 'wrong-code', key: code.key });
  const typedCode = codeFor(user.cardNumber, code.key!);
  const done = await api(`/api/session/${session}/code`, { client: 'js', code: typedCode });
  t.match(done, { status: 'done', command: 'changeResponseAndSubmit', targetOrigin: ORIGIN });
  const xml = decoded(done);
  t.match(xml, /^<\?xml version="1\.0" encoding="UTF-8" \?>\n<openoces:signature /);
  const verified = await verify(xml, built);
  t.equal(verified.signedProperties.challenge, built.challenge);
  t.equal(verified.identityAssuranceLevel, '2');
  t.ok(verified.rememberUseridToken, 'remember token issued when asked');
  t.match(xml, /TimeStamp<\/openoces:Name><openoces:Value Encoding="base64"/, 'TimeStamp encoded as sent');

  // The remembered user id comes back when the token is sent as REMEMBER_USERID.
  const again = await startJs({ REMEMBER_USERID: verified.rememberUseridToken! });
  t.equal(again.answer.userId, 'citizen');

  const everything = logLines.join('\n');
  t.notMatch(everything, user.password, 'no password in the log');
  t.notMatch(everything, typedCode, 'no code in the log');
  t.notMatch(everything, 'nope', 'no wrong password in the log');
});

t.test('CodeFile: key file + password, response with the REQUESTISSUER parameter', async (t) => {
  const built = buildCodeFileParameters({
    spCertDer,
    spKey,
    origin: ORIGIN,
    language: 'da',
    timestamp: clock.now(),
    requestIssuer: 'Kode SP',
    subjectDnFilter: '',
    environment: 'simulator',
  });
  const start = await api('/api/session', { client: 'codefile', parameters: built.json, messageOrigin: ORIGIN });
  t.match(start, { status: 'password', language: 'da' });
  const done = await api(`/api/session/${start.session}/password`, { client: 'codefile', userId: 'employee', password: 'Test1234' });
  t.match(done, { status: 'done', command: 'changeResponseAndSubmit', targetOrigin: ORIGIN });
  const xml = decoded(done);
  t.match(xml, 'Id="OpensignSignature"');
  t.notMatch(xml, 'TimeStamp');
  await verify(xml, built, 'codefile', 'Kode SP');
});

t.test('parameter errors are answered as base64 codes without a session', async (t) => {
  const built = jsParameters();
  const answer = await api('/api/session', { client: 'js', parameters: built.json, messageOrigin: 'https://evil.example' });
  t.same(answer, { status: 'done', command: 'changeResponseAndSubmit', content: Buffer.from('APP007').toString('base64') });
  const codefile = await api('/api/session', { client: 'codefile', parameters: '{', messageOrigin: ORIGIN });
  t.same(codefile, { status: 'done', command: 'logonError', content: Buffer.from('APP001').toString('base64') });
});

t.test('cancel: CAN002 for JS, logonCancel for CodeFile', async (t) => {
  const { session } = await startJs();
  t.same(await api(`/api/session/${session}/cancel`, { client: 'js' }), {
    status: 'done',
    command: 'changeResponseAndSubmit',
    content: 'Q0FOMDAy',
    targetOrigin: ORIGIN,
  });
  const built = buildCodeFileParameters({ spCertDer, spKey, origin: ORIGIN, language: 'en', timestamp: clock.now(), requestIssuer: 'K', subjectDnFilter: '', environment: 'simulator' });
  const start = await api('/api/session', { client: 'codefile', parameters: built.json, messageOrigin: ORIGIN });
  t.same(await api(`/api/session/${start.session}/cancel`, { client: 'codefile' }), { status: 'done', command: 'logonCancel', targetOrigin: ORIGIN });
});

t.test('3 wrong passwords → LOCK001 (and the user stays locked); 3 wrong codes → LOCK003', async (t) => {
  const { session } = await startJs();
  for (let i = 0; i < 2; i += 1) t.match(await api(`/api/session/${session}/password`, { client: 'js', userId: 'youth', password: 'x' }), { status: 'password' });
  t.equal(decoded(await api(`/api/session/${session}/password`, { client: 'js', userId: 'youth', password: 'x' })), 'LOCK001');
  const next = await startJs();
  t.equal(decoded(await api(`/api/session/${next.session}/password`, { client: 'js', userId: 'youth', password: 'Test1234' })), 'LOCK001');

  const user = TEST_USERS.find((candidate) => candidate.userId === 'owner')!;
  const codes = await startJs();
  const step = await api(`/api/session/${codes.session}/password`, { client: 'js', userId: 'owner', password: user.password });
  const wrong = codeFor(user.cardNumber, step.key!) === '123456' ? '654321' : '123456';
  for (let i = 0; i < 2; i += 1) t.match(await api(`/api/session/${codes.session}/code`, { client: 'js', code: wrong }), { status: 'code' });
  t.equal(decoded(await api(`/api/session/${codes.session}/code`, { client: 'js', code: wrong })), 'LOCK003');

  await fetch(`${server.url}/control`, { method: 'DELETE' });
  const after = await startJs();
  t.match(await api(`/api/session/${after.session}/password`, { client: 'js', userId: 'youth', password: 'Test1234' }), { status: 'code' }, 'reset unlocks');
});

t.test('error users, AUTH019 and SRV006', async (t) => {
  const a = await startJs();
  t.equal(decoded(await api(`/api/session/${a.session}/password`, { client: 'js', userId: 'error-AUTH001', password: '' })), 'AUTH001');
  const b = await startJs({ PREVENT_OTP_CARD: 'TRUE' });
  t.equal(decoded(await api(`/api/session/${b.session}/password`, { client: 'js', userId: 'citizen', password: 'Test1234' })), 'AUTH019');
  const c = await startJs();
  clock.advance(10 * 60 * 1000 + 1000);
  t.equal(decoded(await api(`/api/session/${c.session}/password`, { client: 'js', userId: 'citizen', password: 'Test1234' })), 'SRV006');
  t.equal(decoded(await api('/api/session/unknown/password', { client: 'js', userId: 'citizen', password: 'Test1234' })), 'SRV006');
});

t.test('fault users produce responses that nemid refuses with the matching code', async (t) => {
  const expected: Record<string, string[]> = {
    'no-challenge': ['NEMID_CHALLENGE_MISMATCH'],
    'wrong-challenge': ['NEMID_CHALLENGE_MISMATCH'],
    'wrong-issuer': ['NEMID_REQUEST_ISSUER_MISMATCH'],
    'action-sign': ['NEMID_ACTION_INVALID'],
    'duplicate-property': ['NEMID_RESPONSE_MALFORMED'],
    'second-object': ['NEMID_RESPONSE_MALFORMED'],
    'wrapped-reference': ['NEMID_RESPONSE_MALFORMED', 'NEMID_SIGNATURE_INVALID'],
    'bad-signature': ['NEMID_SIGNATURE_INVALID'],
    'untrusted-root': ['NEMID_CERT_UNTRUSTED'],
    'timestamp-mismatch': ['NEMID_TIMESTAMP_MISMATCH'],
  };
  for (const fault of FAULT_NAMES) {
    const { built, done } = await loginJs(`fault-${fault}`);
    const xml = decoded(done);
    if (fault === 'shuffled-keyinfo') {
      await verify(xml, built);
      t.pass('shuffled KeyInfo still verifies');
      continue;
    }
    const error = await verify(xml, built).then(
      () => null,
      (caught: unknown) => caught,
    );
    t.ok(isIdpError(error) && expected[fault]!.includes(error.code), `fault-${fault} → ${isIdpError(error) ? error.code : String(error)}`);
  }
});
