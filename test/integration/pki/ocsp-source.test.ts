// OCSP against a local responder on 127.0.0.1 (node:http serving dev-pki's OCSP builder): good, revoked, unknown,
// bad signature, unavailable, caching, the crl+ocsp mode, and a cross-check of the builder with `openssl ocsp`.
import t from 'tap';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FixedClock } from '../../../src/shared/index.js';
import {
  createCertificateValidator,
  createCrlSource,
  createOcspSource,
  createRevocationSource,
  createTrustStore,
  generateDevPki,
  type DevPki,
  type PkiMetric,
  type RevocationMode,
} from '../../../src/pki/index.js';

const HOUR = 3600_000;
let responderNow = new Date('2026-03-01T10:00:00Z');
type Mode = 'ok' | 'unknown' | 'revoked' | 'bad-signature' | 'unavailable';
let mode: Mode = 'ok';
let ocspRequests = 0;
let server: Server;
let pki: DevPki;
let base: string;

t.before(async () => {
  server = createServer((request, response) => {
    if (request.url?.startsWith('/crl/')) {
      const list = request.url === '/crl/root.crl' ? 'root' : 'ca';
      return void response.writeHead(200).end(pki.buildCrl(list, { thisUpdate: new Date(responderNow.getTime() - HOUR) }));
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      ocspRequests++;
      if (request.method !== 'POST' || request.headers['content-type'] !== 'application/ocsp-request') return void response.writeHead(400).end();
      if (mode === 'unavailable') return void response.writeHead(503).end();
      const body = pki.ocspRespond(Buffer.concat(chunks), {
        now: responderNow,
        ...(mode === 'unknown' || mode === 'revoked' ? { status: mode } : {}),
      });
      if (mode === 'bad-signature') body[body.length - 400] = body[body.length - 400]! ^ 0x01;
      response.writeHead(200, { 'content-type': 'application/ocsp-response' }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  pki = await generateDevPki({ baseUrl: base, rootKeyBits: 2048, now: responderNow });
});
t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
t.beforeEach(() => {
  mode = 'ok';
  ocspRequests = 0;
  responderNow = new Date('2026-03-01T10:00:00Z');
});

function setup(revocationMode: RevocationMode) {
  const clock = new FixedClock(responderNow);
  const metrics: PkiMetric[] = [];
  const allowedHosts = ['127.0.0.1:*'];
  const revocation = createRevocationSource({
    mode: revocationMode,
    crl: createCrlSource({ allowedHosts, clock }),
    ocsp: createOcspSource({ allowedHosts, timeoutMs: 2000, onMetric: (m) => metrics.push(m) }),
  });
  const validator = createCertificateValidator({
    trustStore: createTrustStore('simulator', pki.trustCertificates(), { pinnedRootSha256: pki.rootFingerprint256 }),
    revocation,
    clock,
  });
  const status = async (name: string) => (await validator.validate(pki.user(name).certificateDer, [], {})).status;
  return { clock, metrics, status };
}

t.test('mode ocsp: good, revoked, unknown (= revoked), bad signature and no answer', async (t) => {
  const { status, metrics } = setup('ocsp');
  t.equal(await status('poces-valid'), 'VALID');
  t.equal(await status('poces-revoked'), 'REVOKED');
  t.equal(await status('moces-revoked'), 'REVOKED');
  mode = 'unknown';
  t.equal(await status('moces-valid'), 'REVOKED', 'unknown counts as revoked');
  mode = 'bad-signature';
  t.equal(await status('poces-youth'), 'REVOCATION_UNAVAILABLE');
  mode = 'unavailable';
  t.equal(await status('poces-pseudonym'), 'REVOCATION_UNAVAILABLE');
  const latencies = metrics.filter((m) => m.name === 'ocsp_request');
  t.ok(latencies.length >= 5 && latencies.every((m) => m.name === 'ocsp_request' && m.seconds >= 0), 'latency reported');
});

t.test('a good answer is cached until nextUpdate, at most 10 minutes', async (t) => {
  const { status, clock } = setup('ocsp');
  t.equal(await status('poces-valid'), 'VALID');
  t.equal(await status('poces-valid'), 'VALID');
  t.equal(ocspRequests, 1, 'second check from the cache');
  clock.advance(11 * 60_000);
  responderNow = clock.now();
  t.equal(await status('poces-valid'), 'VALID');
  t.equal(ocspRequests, 2, 'asked again after 10 minutes');
});

t.test('mode crl+ocsp: both must say good', async (t) => {
  const { status } = setup('crl+ocsp');
  t.equal(await status('poces-valid'), 'VALID');
  t.equal(await status('poces-revoked'), 'REVOKED', 'both say revoked');
  mode = 'revoked';
  t.equal(await status('moces-valid'), 'REVOKED', 'OCSP says revoked, CRL good');
  mode = 'unavailable';
  t.equal(await status('poces-youth'), 'REVOCATION_UNAVAILABLE', 'OCSP down');
});

t.test('openssl ocsp accepts the responses the builder produces', async (t) => {
  const probe = spawnSync('openssl', ['version'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    t.comment('openssl not installed: cross-check not run');
    return;
  }
  responderNow = new Date(); // openssl checks against the wall clock
  const dir = mkdtempSync(join(tmpdir(), 'ocsp-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'root.pem'), pki.root.certificatePem);
  writeFileSync(join(dir, 'ca.pem'), pki.issuingCa.certificatePem);
  for (const [name, expected] of [['poces-valid', ': good'], ['poces-revoked', ': revoked']] as const) {
    writeFileSync(join(dir, `${name}.pem`), pki.user(name).certificatePem);
    // Asynchronous: the responder runs in this process.
    const run = await new Promise<{ status: number; out: string }>((resolve) => {
      execFile(
        'openssl',
        ['ocsp', '-issuer', join(dir, 'ca.pem'), '-cert', join(dir, `${name}.pem`), '-url', `${base}/ocsp`, '-CAfile', join(dir, 'root.pem'), '-verify_other', join(dir, 'ca.pem')],
        (error, stdout, stderr) => resolve({ status: error ? 1 : 0, out: stdout + stderr }),
      );
    });
    t.equal(run.status, 0, `${name}: openssl ran`);
    t.match(run.out, 'Response verify OK', `${name}: signature and responder accepted by openssl`);
    t.match(run.out, expected, `${name}: status`);
  }
});

t.test('the OCSP client against an `openssl ocsp` responder: good, revoked, unknown', async (t) => {
  if (spawnSync('openssl', ['version']).status !== 0) {
    t.comment('openssl not installed: cross-check not run');
    return;
  }
  responderNow = new Date(); // openssl answers with the wall clock
  const dir = mkdtempSync(join(tmpdir(), 'ocsp-openssl-'));
  const index = ['poces-valid', 'poces-revoked'].map((name) => {
    const serial = pki.user(name).certificate.serialHex;
    return name === 'poces-valid'
      ? `V\t351231235959Z\t\t${serial}\tunknown\t/CN=${name}`
      : `R\t351231235959Z\t260101000000Z,keyCompromise\t${serial}\tunknown\t/CN=${name}`;
  });
  writeFileSync(join(dir, 'index.txt'), `${index.join('\n')}\n`);
  writeFileSync(join(dir, 'ca.pem'), pki.issuingCa.certificatePem);
  writeFileSync(join(dir, 'ocsp.pem'), pki.ocspResponder.certificatePem);
  writeFileSync(join(dir, 'ocsp.key'), pki.ocspResponder.privateKeyPem);
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const found = (probe.address() as AddressInfo).port;
      probe.close(() => resolve(found));
    });
  });
  const responder = spawn('openssl', ['ocsp', '-index', join(dir, 'index.txt'), '-port', String(port), '-rsigner', join(dir, 'ocsp.pem'), '-rkey', join(dir, 'ocsp.key'), '-CA', join(dir, 'ca.pem'), '-ndays', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => {
    responder.kill();
    rmSync(dir, { recursive: true, force: true });
  });
  // Ready once it says so (a probing connection without a request would be taken as a bad request).
  await new Promise<void>((resolve, reject) => {
    let said = '';
    const listen = (chunk: Buffer) => {
      said += chunk.toString();
      if (said.includes('waiting for OCSP client connections')) resolve();
    };
    responder.stdout.on('data', listen);
    responder.stderr.on('data', listen);
    responder.on('exit', () => reject(new Error(`openssl ocsp exited: ${said}`)));
    setTimeout(() => reject(new Error('openssl ocsp did not start')), 10_000);
  });
  const opensslBase = `http://127.0.0.1:${port}`;
  // The certificates name the node responder in their AIA; this shim sends the same request to openssl instead.
  const toOpenssl: typeof fetch = (input, init) => fetch(String(input).replace(base, opensslBase), init);
  const ocsp = createOcspSource({ allowedHosts: ['127.0.0.1:*'], fetchImpl: toOpenssl, timeoutMs: 5000 });
  const issuer = pki.issuingCa.certificate;
  const ask = (name: string) => ocsp.check({ certificate: pki.user(name).certificate, issuer, role: 'leaf', at: new Date() });
  t.match(await ask('poces-valid'), { status: 'GOOD', source: 'ocsp' });
  t.match(await ask('poces-revoked'), { status: 'REVOKED' });
  t.match(await ask('moces-valid'), { status: 'REVOKED', reason: 'OCSP unknown' }, 'not in the index: unknown counts as revoked');
});
