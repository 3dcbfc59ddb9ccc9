import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import t from 'tap';
import {
  buildCodeFileParameters,
  buildJsClientParameters,
  normalizeParameters,
  paramsDigest,
  signNormalized,
} from '../../../src/nemid/index.js';
import { FixedClock } from '../../../src/shared/index.js';
import { checkParameters, type ParameterCheckContext } from '../../../src/simulator/parameters/check-parameters.js';

// The parameter checks of nemid-protocol.md §10 item 2, one code at a time. The SP is Nets' real TU test VOCES
// (valid 2019-12-16 → 2022-12-16), so the clock stands in May 2021.

// Unit tests read fixture files only: the real pre-production certificates beside the repository.
const read = (name: string) => readFileSync(new URL(`../../fixtures/nemid-preproduction/certs/${name}`, import.meta.url));
const spCertDer = Buffer.from(new X509Certificate(read('sp-test.cert.pem')).raw);
const spKey = createPrivateKey(read('sp-test.key.pem'));
const employeeCertDer = Buffer.from(new X509Certificate(read('nemid-MOCES-employee-valid.cert.pem')).raw);
const employeeKey = createPrivateKey(read('nemid-MOCES-employee-valid.key.pem'));

const NOW = new Date('2021-05-13T12:00:00Z');
const ORIGIN = 'https://idp.example.dk';

function context(overrides: Partial<ParameterCheckContext> = {}): ParameterCheckContext {
  return {
    client: 'js',
    messageOrigin: ORIGIN,
    clock: new FixedClock(NOW),
    enrolledSps: [{ certificateDer: spCertDer, requestIssuer: 'Simulator SP' }],
    isRevoked: () => false,
    ...overrides,
  };
}

function jsParameters(timestamp = NOW): Record<string, string> {
  return { ...buildJsClientParameters({ spCertDer, spKey, origin: ORIGIN, language: 'en', timestamp }).parameters };
}

/** The parameters with a fresh digest and signature (by `key`) over everything else. */
function resign(parameters: Record<string, string>, key = spKey): Record<string, string> {
  const rest = Object.fromEntries(Object.entries(parameters).filter(([name]) => !/^(params_digest|digest_signature)$/i.test(name)));
  return { ...rest, PARAMS_DIGEST: paramsDigest(rest), DIGEST_SIGNATURE: signNormalized(normalizeParameters(rest), key) };
}

const codeOf = (content: string, ctx = context()) => {
  const result = checkParameters(content, ctx);
  return result.ok ? 'OK' : result.code;
};

t.test('parameters built by nemid pass and yield what the response needs', async (t) => {
  const built = buildJsClientParameters({ spCertDer, spKey, origin: ORIGIN, language: 'en', timestamp: NOW, challenge: '0123456789abcdef0123456789abcdef' });
  const result = checkParameters(built.json, context());
  t.ok(result.ok);
  if (!result.ok) return;
  t.equal(result.checked.origin, ORIGIN);
  t.equal(result.checked.language, 'en');
  t.same(result.checked.signProperties, [['challenge', '0123456789abcdef0123456789abcdef']]);
  t.same(result.checked.timestamp, { value: built.timestamp, encoding: 'base64' });
  t.equal(result.checked.requestIssuer, 'Simulator SP', 'JS: the enrolled SP name');
});

t.test('APP001: JSON, non-string values, duplicates ignoring case, bad values, digest', async (t) => {
  const good = jsParameters();
  t.equal(codeOf('not json'), 'APP001');
  t.equal(codeOf(JSON.stringify({ ...good, TIMESTAMP: 1620907200000 })), 'APP001', 'a number value');
  t.equal(codeOf(JSON.stringify({ ...good, clientflow: 'OCESLOGIN2' })), 'APP001', 'duplicate ignoring case');
  t.equal(codeOf(JSON.stringify(resign({ ...good, LANGUAGE: 'XX' }))), 'APP001', 'unknown language');
  t.equal(codeOf(JSON.stringify(resign({ ...good, TIMESTAMP: '1620907200000.0' }))), 'APP001', 'epoch with .0');
  t.equal(codeOf(JSON.stringify(resign({ ...good, ORIGIN: `${ORIGIN}/` }))), 'APP001', 'ORIGIN with a path');
  t.equal(codeOf(JSON.stringify({ ...good, LANGUAGE: 'DA' })), 'APP001', 'value changed after digesting');
});

t.test('APP007: origin mismatch, missing or unknown names', async (t) => {
  const good = jsParameters();
  t.equal(codeOf(JSON.stringify(good), context({ messageOrigin: 'https://evil.example' })), 'APP007');
  const { TIMESTAMP: _dropped, ...withoutTimestamp } = good;
  t.equal(codeOf(JSON.stringify(resign(withoutTimestamp))), 'APP007', 'TIMESTAMP missing');
  t.equal(codeOf(JSON.stringify(resign({ ...good, Paramsdigest: 'x' }))), 'APP007', 'deprecated name');
  t.equal(codeOf(JSON.stringify(resign({ ...good, 'opensign.foo': 'x' }))), 'APP007', 'unknown name');
});

t.test('APP008: sign text with a logon flow, or a signing flow', async (t) => {
  const good = jsParameters();
  t.equal(codeOf(JSON.stringify(resign({ ...good, SIGNTEXT: 'aGk=', SIGNTEXT_FORMAT: 'TEXT' }))), 'APP008');
  t.equal(codeOf(JSON.stringify(resign({ ...good, CLIENTFLOW: 'OCESSIGN2' }))), 'APP008');
});

t.test('JS names and values are case-insensitive', async (t) => {
  const good = jsParameters();
  const lower = Object.fromEntries(Object.entries(good).map(([name, value]) => [name.toLowerCase(), value]));
  t.equal(codeOf(JSON.stringify(resign({ ...lower, clientflow: 'ocesLogin2', language: 'en' }))), 'OK');
});

t.test('SRV001: signature not by SP_CERT', async (t) => {
  const good = jsParameters();
  t.equal(codeOf(JSON.stringify(resign(good, employeeKey))), 'SRV001');
  t.equal(codeOf(JSON.stringify(resign({ ...good, SP_CERT: 'MIIB' }))), 'SRV001', 'SP_CERT not a certificate');
});

t.test('SRV005: SP certificate not enrolled', async (t) => {
  t.equal(codeOf(JSON.stringify(jsParameters()), context({ enrolledSps: [] })), 'SRV005');
});

t.test('SRV010: enrolled certificate expired, revoked or not a VOCES', async (t) => {
  const later = new Date('2023-01-01T00:00:00Z');
  t.equal(codeOf(JSON.stringify(jsParameters(later)), context({ clock: new FixedClock(later) })), 'SRV010', 'expired');
  t.equal(codeOf(JSON.stringify(jsParameters()), context({ isRevoked: () => true })), 'SRV010', 'revoked');
  const moces = resign({ ...jsParameters(), SP_CERT: employeeCertDer.toString('base64') }, employeeKey);
  t.equal(
    codeOf(JSON.stringify(moces), context({ enrolledSps: [{ certificateDer: employeeCertDer, requestIssuer: 'x' }] })),
    'SRV010',
    'MOCES as SP certificate',
  );
});

t.test('SRV003: TIMESTAMP more than 180 s off, either way', async (t) => {
  t.equal(codeOf(JSON.stringify(jsParameters(new Date(NOW.getTime() - 180_000)))), 'OK', '180 s is inside');
  t.equal(codeOf(JSON.stringify(jsParameters(new Date(NOW.getTime() - 181_000)))), 'SRV003');
  t.equal(codeOf(JSON.stringify(jsParameters(new Date(NOW.getTime() + 181_000)))), 'SRV003');
});

t.test('SRV011: TRANSACTION_CONTEXT over 100 characters', async (t) => {
  const context100 = Buffer.from('x'.repeat(100)).toString('base64');
  const context101 = Buffer.from('x'.repeat(101)).toString('base64');
  t.equal(codeOf(JSON.stringify(resign({ ...jsParameters(), TRANSACTION_CONTEXT: context100 }))), 'OK');
  t.equal(codeOf(JSON.stringify(resign({ ...jsParameters(), TRANSACTION_CONTEXT: context101 }))), 'SRV011');
});

t.test('CodeFile: names case-sensitive, ORIGIN and REQUESTISSUER base64', async (t) => {
  const built = buildCodeFileParameters({
    spCertDer,
    spKey,
    origin: ORIGIN,
    language: 'da',
    timestamp: NOW,
    requestIssuer: 'Kode SP',
    subjectDnFilter: 'RID:',
    environment: 'simulator',
  });
  const ctx = context({ client: 'codefile' });
  const result = checkParameters(built.json, ctx);
  t.ok(result.ok);
  if (result.ok) {
    t.equal(result.checked.origin, ORIGIN);
    t.equal(result.checked.requestIssuer, 'Kode SP', 'CodeFile: the REQUESTISSUER parameter');
    t.equal(result.checked.subjectDnFilter, 'RID:');
  }
  const lower = Object.fromEntries(Object.entries(built.parameters).map(([name, value]) => [name === 'CLIENTFLOW' ? 'clientflow' : name, value]));
  t.equal(codeOf(JSON.stringify(resign(lower)), ctx), 'APP007', 'lower-case name is unknown');
  t.equal(codeOf(JSON.stringify(resign({ ...built.parameters, CLIENTFLOW: 'LOGIN' })), ctx), 'APP001', 'value case matters');
  t.equal(codeOf(JSON.stringify(built.parameters), context({ client: 'codefile', messageOrigin: 'https://other.example' })), 'APP007');
});
