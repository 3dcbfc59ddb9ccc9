import t from 'tap';
import { createPublicKey, verify, constants } from 'node:crypto';
import {
  buildCodeFileParameters,
  buildJsClientParameters,
  compareParameterNames,
  createChallenge,
  digestNormalized,
  formatTimestamp,
  normalizeParameters,
  paramsDigest,
  signNormalized,
} from '../../../src/nemid/index.js';
import { codeOf } from './codes.js';
import { ppCertDer, ppKey } from './pp-fixtures.js';

const spKey = ppKey('sp-test');
const spCertDer = ppCertDer('sp-test');

t.test('§2.3 raw vector: digest of N', async (t) => {
  const parameters = { CLIENTFLOW: 'ocesLogin2', LANGUAGE: 'DA', ORIGIN: 'https://nemid.dk', SP_CERT: 'cert', TIMESTAMP: '1000.0' };
  const n = normalizeParameters(parameters);
  t.equal(n, 'CLIENTFLOWocesLogin2LANGUAGEDAORIGINhttps://nemid.dkSP_CERTcertTIMESTAMP1000.0');
  t.equal(digestNormalized(n), '5xhSpQNbt1pxNVASMrdg1irRp7uWR/JkZ5wT4c4IHd0=');
  t.equal(paramsDigest(parameters), '5xhSpQNbt1pxNVASMrdg1irRp7uWR/JkZ5wT4c4IHd0=');
});

t.test('§2.3 sort-order vector: Java CASE_INSENSITIVE_ORDER, never upper-case ordinal', async (t) => {
  // Insertion order deliberately scrambled: the normaliser must sort.
  const parameters = {
    TIMESTAMP: 'MjAyMS0wNC0yMCAxNToyNjowNSswMjAw',
    signtext_format: 'HTML',
    SP_CERT: 'MIIB',
    signtext: 'PGI+aGk8L2I+',
    SIGN_PROPERTIES: 'challenge=123',
    REMEMBER_USERID_INITIAL_STATUS: 'false',
    REMEMBER_USERID: '',
    ORIGIN: 'https://sp.example.dk',
    CLIENTFLOW: 'OCESSIGN2',
    PARAMS_DIGEST: 'excluded',
    digest_signature: 'excluded too',
  };
  const n = normalizeParameters(parameters);
  t.equal(
    n,
    'CLIENTFLOWOCESSIGN2ORIGINhttps://sp.example.dkREMEMBER_USERIDREMEMBER_USERID_INITIAL_STATUSfalse' +
      'SIGN_PROPERTIESchallenge=123signtextPGI+aGk8L2I+signtext_formatHTMLSP_CERTMIIBTIMESTAMPMjAyMS0wNC0yMCAxNToyNjowNSswMjAw',
  );
  t.equal(paramsDigest(parameters), 'sCXOOKyUYebLF5R3hwk7+tKazEHcTextn/iSaXPqUgk=');
  t.not(paramsDigest(parameters), 'sG80eKdn9J4Qegnt+zlwJcK6et63OokPrGuXoK8ho04=');
});

t.test('sort-order edge cases', async (t) => {
  t.ok(compareParameterNames('SIGN_PROPERTIES', 'signtext') < 0, '_ sorts before letters');
  t.ok(compareParameterNames('REMEMBER_USERID', 'REMEMBER_USERID_INITIAL_STATUS') < 0, 'a proper prefix first');
  t.equal(compareParameterNames('Origin', 'ORIGIN'), 0, 'case is ignored');
  t.ok(compareParameterNames('SP_CERT', 'SIGNTEXT') > 0, 'P after I');
  t.ok(compareParameterNames('A', 'b') < 0 && compareParameterNames('a', 'B') < 0, 'not an ordinal upper/lower split');
  // Names keep their case in N even though sorting ignored it.
  t.equal(normalizeParameters({ b: '2', A: '1', C: '3' }), 'A1b2C3');
});

t.test('§2.3 login vector with the TU VOCES key: digest and deterministic signature', async (t) => {
  const parameters = {
    CLIENTFLOW: 'OCESLOGIN2',
    LANGUAGE: 'DA',
    ORIGIN: 'https://idp.example.dk',
    REMEMBER_USERID: '',
    REMEMBER_USERID_INITIAL_STATUS: 'FALSE',
    SIGN_PROPERTIES: 'challenge=0123456789abcdef0123456789abcdef',
    SP_CERT: 'MIIB',
    TIMESTAMP: 'MjAyMS0wNS0xMyAxMjowMDowMCswMDAw',
  };
  const n = normalizeParameters(parameters);
  t.equal(Buffer.byteLength(n, 'utf8'), 217);
  t.equal(paramsDigest(parameters), 'SQGxuWRgAzb5uP3v/3/KIJFPS2NiQkIhsy+kyUpjHDc=');
  t.equal(
    signNormalized(n, spKey),
    'Ptwg5XiB/1Qs3xM7YBOojnDfYhIcNjodPYK+N9Jc/knL3wb3ad4rTG3Y0VUO7/pEPd25fD1hSm0hWJhJrzN/0TZCSOfhPe/dTtpIWTxc9ZwCIf5tUm135GrJ3xZdeoC1z9wiWb3hHyfzyuV0ThGxvKQRqjtLxUOIS+BtszDsuqSJoI2vR+SlYek41UHdh5ZzD7EZgcmJtxp4sfQmCvmvcHbZwRtEW6yoDlm3Ep18XJqO3oqWbr2DaFUmJHbAfyeg6RQYWXiSsB720i7Sm56A+Fg5TKuGFM5/MYbadZTd2d8zDwy/DrMB4zpkq5c0mtdvc98NI7y4UeV96ecbwD/0eQ==',
  );

  const withRealCert = { ...parameters, SP_CERT: spCertDer.toString('base64') };
  t.equal(withRealCert.SP_CERT.length, 2132);
  t.equal(Buffer.byteLength(normalizeParameters(withRealCert), 'utf8'), 2345);
  t.equal(paramsDigest(withRealCert), 'a5mdNPn2Uv29eeaQageN55HGSjNlVMDGR5x4e/xL4cQ=');
});

t.test('buildJsClientParameters reproduces the login vector and signs N with the VOCES key', async (t) => {
  const built = buildJsClientParameters({
    spCertDer,
    spKey,
    origin: 'https://idp.example.dk',
    language: 'da',
    rememberUseridToken: '',
    challenge: '0123456789abcdef0123456789abcdef',
    timestamp: new Date('2021-05-13T12:00:00Z'),
  });
  t.equal(built.timestamp, 'MjAyMS0wNS0xMyAxMjowMDowMCswMDAw');
  t.equal(built.challenge, '0123456789abcdef0123456789abcdef');
  t.equal(built.parameters.PARAMS_DIGEST, 'a5mdNPn2Uv29eeaQageN55HGSjNlVMDGR5x4e/xL4cQ=');
  const parsed = JSON.parse(built.json) as Record<string, unknown>;
  t.ok(Object.values(parsed).every((value) => typeof value === 'string'), 'every JSON value is a string');
  t.same(Object.keys(parsed).sort(), [
    'CLIENTFLOW', 'DIGEST_SIGNATURE', 'LANGUAGE', 'ORIGIN', 'PARAMS_DIGEST', 'REMEMBER_USERID',
    'REMEMBER_USERID_INITIAL_STATUS', 'SIGN_PROPERTIES', 'SP_CERT', 'TIMESTAMP',
  ]);
  const signature = Buffer.from(built.parameters.DIGEST_SIGNATURE ?? '', 'base64');
  t.equal(signature.length, 256);
  const n = Buffer.from(normalizeParameters(built.parameters), 'utf8');
  t.ok(verify('sha256', n, { key: createPublicKey(spKey), padding: constants.RSA_PKCS1_PADDING }, signature));
  t.equal(built.parameters.LANGUAGE, 'DA');
  t.equal(buildJsClientParameters({ spCertDer, spKey, origin: 'https://a.dk', language: 'en', timestamp: new Date() }).parameters.LANGUAGE, 'EN');
});

t.test('JS builder: fresh challenge, remember token, refusals', async (t) => {
  const base = { spCertDer, spKey, origin: 'https://idp.example.dk', language: 'da' as const, timestamp: new Date('2021-05-13T12:00:00Z') };
  const a = buildJsClientParameters(base);
  const b = buildJsClientParameters(base);
  t.match(a.challenge, /^[0-9a-f]{32}$/);
  t.not(a.challenge, b.challenge, 'a new challenge per start');
  t.equal(a.parameters.SIGN_PROPERTIES, `challenge=${a.challenge}`);
  t.match(createChallenge(), /^[0-9a-f]{32}$/);
  t.equal(buildJsClientParameters({ ...base, rememberUseridToken: 'dG9rZW4=' }).parameters.REMEMBER_USERID, 'dG9rZW4=');
  t.equal(buildJsClientParameters({ ...base, rememberUseridToken: 'not base64!' }).parameters.REMEMBER_USERID, '');
  for (const origin of ['https://idp.example.dk/', 'https://idp.example.dk:443', 'https://idp.example.dk/login', 'ftp://x.dk', 'IDP', 'https://IDP.example.dk']) {
    t.equal(codeOf(() => buildJsClientParameters({ ...base, origin })), 'NEMID_PARAMETERS_INVALID', origin);
  }
  t.equal(codeOf(() => buildJsClientParameters({ ...base, challenge: 'a=b;c' })), 'NEMID_PARAMETERS_INVALID');
  t.equal(codeOf(() => buildJsClientParameters({ ...base, spCertDer: Buffer.from('-----BEGIN CERTIFICATE-----') })), 'NEMID_PARAMETERS_INVALID');
});

t.test('TIMESTAMP is base64 of the UTC form', async (t) => {
  t.equal(Buffer.from(formatTimestamp(new Date('2021-04-20T13:26:05.999Z')), 'base64').toString(), '2021-04-20 13:26:05+0000');
  t.equal(codeOf(() => formatTimestamp(new Date('nonsense'))), 'NEMID_PARAMETERS_INVALID');
});

t.test('buildCodeFileParameters: case-sensitive names, base64 values, filters inside ADDITIONAL_PARAMS', async (t) => {
  const built = buildCodeFileParameters({
    spCertDer,
    spKey,
    origin: 'https://idp.example.dk',
    language: 'en',
    challenge: '0123456789abcdef0123456789abcdef',
    timestamp: new Date('2021-05-13T12:00:00Z'),
    requestIssuer: 'Nets Customer Demo',
    subjectDnFilter: 'RID:',
    environment: 'preproduction',
  });
  const p = built.parameters;
  t.equal(p.CLIENTFLOW, 'login');
  t.equal(p.LANGUAGE, 'en');
  t.equal(p.TIMESTAMP, 'MjAyMS0wNS0xMyAxMjowMDowMCswMDAw');
  t.equal(Buffer.from(p.REQUESTISSUER ?? '', 'base64').toString(), 'Nets Customer Demo');
  t.equal(Buffer.from(p.ORIGIN ?? '', 'base64').toString(), 'https://idp.example.dk');
  t.equal(p.SIGN_PROPERTIES, 'challenge=0123456789abcdef0123456789abcdef');
  t.equal(Buffer.from(p.ADDITIONAL_PARAMS ?? '', 'base64').toString(), 'subjectdnfilter=UklEOg==;issuerdnfilter=VFJVU1QyNDA4IFN5c3RlbXRlc3Q=');
  t.equal(p.PARAMS_DIGEST, paramsDigest(p));
  const n = Buffer.from(normalizeParameters(p), 'utf8');
  t.ok(verify('sha256', n, { key: createPublicKey(spKey), padding: constants.RSA_PKCS1_PADDING }, Buffer.from(p.DIGEST_SIGNATURE ?? '', 'base64')));

  const production = buildCodeFileParameters({
    spCertDer, spKey, origin: 'https://idp.example.dk', language: 'da', timestamp: new Date(), requestIssuer: 'X',
    subjectDnFilter: '', environment: 'production',
  });
  t.equal(Buffer.from(production.parameters.ADDITIONAL_PARAMS ?? '', 'base64').toString(), 'issuerdnfilter=VFJVU1QyNDA4IE9DRVM=');
  const personal = buildCodeFileParameters({
    spCertDer, spKey, origin: 'https://idp.example.dk', language: 'da', timestamp: new Date(), requestIssuer: 'X',
    subjectDnFilter: 'PID:', environment: 'production',
  });
  t.match(Buffer.from(personal.parameters.ADDITIONAL_PARAMS ?? '', 'base64').toString(), /^subjectdnfilter=UElEOg==;/);
  t.equal(
    codeOf(() => buildCodeFileParameters({ spCertDer, spKey, origin: 'https://a.dk', language: 'da', timestamp: new Date(), requestIssuer: '', subjectDnFilter: '', environment: 'production' })),
    'NEMID_PARAMETERS_INVALID',
  );
});
