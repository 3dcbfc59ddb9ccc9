// The HTTP CRL source against a local CRL server on 127.0.0.1 serving a generated PKI's CRLs: fetch, coalescing,
// persistence, server down with fresh and stale caches, refusals, caps, refresh and status.
import t from 'tap';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FixedClock } from '../../../src/shared/index.js';
import {
  ISSUING_CA_NAME,
  buildAuthorities,
  buildCrl,
  createCertificateValidator,
  createCrlSource,
  encodeName,
  formatName,
  createTrustStore,
  generateDevPki,
  type CrlPersistence,
  type CrlSourceOptions,
  type DevPki,
  type PkiMetric,
} from '../../../src/pki/index.js';

const HOUR = 3600_000;
const NOW = new Date('2026-03-01T10:00:00Z');

type Mode = 'ok' | 'down' | 'tampered' | 'foreign' | 'huge' | 'hang' | 'stale';
let mode: Mode = 'ok';
const hits = new Map<string, number>();
let server: Server;
let pki: DevPki;
let impostor: DevPki;
let base: string;

t.before(async () => {
  server = createServer((request, response) => {
    const path = request.url ?? '';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (mode === 'down') return void response.writeHead(503).end();
    if (mode === 'hang') return; // never answers
    if (path.startsWith('/crl/partition-')) return void response.writeHead(200).end(partitionCrl(Number(path.slice(15, -4))));
    const list = path === '/crl/root.crl' ? 'root' : path === '/crl/ca1.crl' ? 'ca' : undefined;
    if (!list) return void response.writeHead(404).end();
    let body: Buffer;
    if (mode === 'huge') body = Buffer.alloc(2 * 1024 * 1024, 0x30);
    else if (mode === 'foreign') body = impostor.buildCrl(list, { thisUpdate: new Date(NOW.getTime() - HOUR) });
    else if (mode === 'stale') body = pki.buildCrl(list, { thisUpdate: new Date(NOW.getTime() - 13 * HOUR) });
    else body = pki.buildCrl(list, { thisUpdate: new Date(NOW.getTime() - HOUR) });
    if (mode === 'tampered') body[body.length - 3] = body[body.length - 3]! ^ 0x01;
    // Small delay so concurrent requests overlap.
    setTimeout(() => response.writeHead(200, { 'content-type': 'application/pkix-crl' }).end(body), 30);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The look-alike (same names, other keys) only signs CRLs: its authorities are enough.
  [pki, impostor] = await Promise.all([
    generateDevPki({ baseUrl: base, rootKeyBits: 2048, now: NOW }),
    buildAuthorities({ baseUrl: base, rootKeyBits: 2048, now: NOW }),
  ]);
});
t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
t.beforeEach(() => {
  mode = 'ok';
  hits.clear();
});

/** A partition CRL of the issuing CA listing every revoked user (IssuingDistributionPoint names CN=CRL<n>). */
function partitionCrl(n: number): Buffer {
  return buildCrl({
    issuer: pki.issuingCa.certificate.subjectDer,
    signingKey: pki.issuingCa.privateKey,
    authorityKeyId: Buffer.from(pki.issuingCa.certificate.subjectKeyIdHex!, 'hex'),
    thisUpdate: new Date(NOW.getTime() - HOUR),
    nextUpdate: new Date(NOW.getTime() + 11 * HOUR),
    crlNumber: 5,
    entries: [...pki.revocations.values()].map((r) => ({ serialHex: r.serialHex, revokedAt: r.revokedAt })),
    partition: encodeName([...ISSUING_CA_NAME, [{ oid: '2.5.4.3', value: `CRL${n}` }]]),
  });
}

class MemoryPersistence implements CrlPersistence {
  readonly rows = new Map<string, { der: Buffer; fetchedAt: Date; nextUpdate: Date }>();
  async get(url: string) {
    const row = this.rows.get(url);
    return row ? { der: row.der, fetchedAt: row.fetchedAt } : null;
  }
  async put(url: string, entry: { der: Buffer; nextUpdate: Date }) {
    this.rows.set(url, { der: entry.der, fetchedAt: new Date(), nextUpdate: entry.nextUpdate });
  }
}

function setup(overrides: Partial<CrlSourceOptions> = {}) {
  const clock = new FixedClock(NOW);
  const metrics: PkiMetric[] = [];
  const crl = createCrlSource({ allowedHosts: ['127.0.0.1:*'], clock, fetchTimeoutMs: 1000, onMetric: (m) => metrics.push(m), ...overrides });
  const validator = createCertificateValidator({
    trustStore: createTrustStore('simulator', pki.trustCertificates(), { pinnedRootSha256: pki.rootFingerprint256 }),
    revocation: crl,
    clock,
  });
  const status = async (name: string) => (await validator.validate(pki.user(name).certificateDer, [], {})).status;
  return { clock, crl, metrics, validator, status };
}

t.test('fetches the issuing-CA and root CRLs from the distribution points and answers', async (t) => {
  const { status, crl } = setup();
  t.equal(await status('poces-valid'), 'VALID');
  t.equal(await status('poces-revoked'), 'REVOKED');
  t.equal(await status('moces-revoked'), 'REVOKED');
  t.equal(hits.get('/crl/ca1.crl'), 1, 'the CA CRL fetched once and then served from memory');
  t.equal(hits.get('/crl/root.crl'), 1, 'the root CRL fetched once');
  const statusRows = crl.crlStatus();
  t.equal(statusRows.length, 2);
  t.match(statusRows.find((r) => r.url.endsWith('/crl/ca1.crl')), { entries: 2, stale: false, ageSeconds: 3600 });
});

t.test('concurrent requests for one CRL share one fetch', async (t) => {
  const { status } = setup();
  const results = await Promise.all(Array.from({ length: 8 }, () => status('poces-valid')));
  t.same(new Set(results), new Set(['VALID']));
  t.equal(hits.get('/crl/ca1.crl'), 1);
});

t.test('server down: a fresh cache keeps working, a stale one fails closed', async (t) => {
  const { status, clock, crl, metrics } = setup();
  t.equal(await status('poces-valid'), 'VALID');
  mode = 'down';
  clock.advance(10 * HOUR); // 11 h after thisUpdate: still before nextUpdate
  t.equal(await status('poces-valid'), 'VALID', 'fresh cache');
  t.equal(await status('poces-revoked'), 'REVOKED', 'fresh cache still knows the revoked one');
  clock.advance(2 * HOUR); // past nextUpdate
  t.equal(await status('poces-valid'), 'REVOCATION_UNAVAILABLE', 'stale cache');
  t.ok(crl.fetchFailures() > 0);
  t.ok(metrics.some((m) => m.name === 'crl_fetch_failure'));
  t.ok(crl.crlStatus().every((r) => r.stale), 'readiness sees the stale CRLs');
});

t.test('a configured grace period is the only exception, and it is counted', async (t) => {
  const { status, clock, metrics } = setup({ graceMs: 2 * HOUR });
  t.equal(await status('poces-valid'), 'VALID');
  mode = 'down';
  clock.advance(12 * HOUR); // 1 h past nextUpdate
  t.equal(await status('poces-valid'), 'VALID');
  t.ok(metrics.some((m) => m.name === 'crl_grace_used'));
  clock.advance(2 * HOUR); // 3 h past nextUpdate
  t.equal(await status('poces-valid'), 'REVOCATION_UNAVAILABLE');
});

t.test('persistence: a new instance with the server down answers from the shared cache', async (t) => {
  const persistence = new MemoryPersistence();
  t.equal(await setup({ persistence }).status('poces-valid'), 'VALID');
  t.equal(persistence.rows.size, 2, 'both CRLs persisted');
  mode = 'down';
  hits.clear();
  const second = setup({ persistence });
  t.equal(await second.status('poces-valid'), 'VALID');
  t.equal(await second.status('poces-revoked'), 'REVOKED');
  t.equal(hits.size, 0, 'no fetch');
  // A persisted CRL is re-verified: a tampered row is not used.
  // The refresh job of an instance takes a CRL another instance already refreshed from the shared cache.
  const third = setup({ persistence });
  t.equal(await third.status('poces-valid'), 'VALID');
  third.clock.advance(11 * HOUR);
  for (const list of ['ca', 'root'] as const) {
    const url = `${base}/crl/${list === 'ca' ? 'ca1' : 'root'}.crl`;
    await persistence.put(url, { der: pki.buildCrl(list, { thisUpdate: new Date(NOW.getTime() + 10 * HOUR) }), nextUpdate: new Date(NOW.getTime() + 22 * HOUR) });
  }
  t.same((await third.crl.refreshCrls({ dueWithinMs: 2 * HOUR })).map((r) => r.reason), ['refreshed by another instance', 'refreshed by another instance']);
  t.equal(hits.size, 0, 'no fetch');
  third.clock.advance(2 * HOUR); // past the first CRLs' nextUpdate: answered from the newer shared copy
  t.equal(await third.status('poces-valid'), 'VALID');
  const untampered = setup({ persistence });
  untampered.clock.advance(13 * HOUR);
  t.equal(await untampered.status('poces-valid'), 'VALID', 'control: the shared copies are current then');
  for (const row of persistence.rows.values()) row.der[row.der.length - 3] = row.der[row.der.length - 3]! ^ 0x01;
  const tampered = setup({ persistence });
  tampered.clock.advance(13 * HOUR);
  t.equal(await tampered.status('poces-valid'), 'REVOCATION_UNAVAILABLE', 'a tampered shared copy is not used');
});

t.test('refused: tampered signature, wrong issuer, stale CRL, oversized body, hanging server, host not allowed', async (t) => {
  const cases: Array<[Mode, Partial<CrlSourceOptions>]> = [
    ['tampered', {}],
    ['foreign', {}],
    ['stale', {}],
    ['huge', { maxBytes: 1024 * 1024 }],
    ['hang', { fetchTimeoutMs: 200 }],
  ];
  for (const [serverMode, options] of cases) {
    mode = serverMode;
    t.equal(await setup(options).status('poces-valid'), 'REVOCATION_UNAVAILABLE', serverMode);
  }
  mode = 'ok';
  hits.clear();
  t.equal(await setup({ allowedHosts: ['crl.*.trust2408.com'] }).status('poces-valid'), 'REVOCATION_UNAVAILABLE', 'not on the allow-list');
  t.equal(hits.size, 0, 'nothing fetched from a host off the list');
});

t.test('refreshCrls refetches what was used; a failed refresh keeps the old CRL', async (t) => {
  const { status, crl, clock } = setup();
  t.equal(await status('poces-valid'), 'VALID');
  clock.advance(HOUR);
  const refreshed = await crl.refreshCrls();
  t.same(refreshed.map((r) => r.ok), [true, true]);
  t.equal(hits.get('/crl/ca1.crl'), 2);
  hits.clear();
  const notDue = await crl.refreshCrls({ dueWithinMs: HOUR });
  t.same(notDue.map((r) => r.reason), ['not due', 'not due'], 'nothing due 10 h before nextUpdate');
  t.equal(hits.size, 0);
  clock.advance(10 * HOUR);
  t.same((await crl.refreshCrls({ dueWithinMs: 2 * HOUR })).map((r) => r.ok), [true, true], 'due: refetched');
  t.equal(hits.get('/crl/ca1.crl'), 1);
  mode = 'down';
  const failed = await crl.refreshCrls();
  t.same(failed.map((r) => r.ok), [false, false]);
  t.equal(await status('poces-valid'), 'VALID', 'still answered from the CRL held');
});

t.test('a configured partition location is used and must name its partition', async (t) => {
  const partitionOf = (name: string) => {
    const dn = pki.user(name).certificate.crlDistributionPoints[1]!.directoryNames[0]!;
    return { dn: formatName(dn), n: Number(/CRL(\d+)$/.exec(dn[dn.length - 1]![0]!.value)![1]) };
  };
  const valid = partitionOf('poces-valid');
  const revoked = partitionOf('poces-revoked');
  const right = setup({
    partitionUrls: { [valid.dn]: `${base}/crl/partition-${valid.n}.crl`, [revoked.dn]: `${base}/crl/partition-${revoked.n}.crl` },
  });
  t.equal(await right.status('poces-valid'), 'VALID');
  t.equal(await right.status('poces-revoked'), 'REVOKED');
  t.ok(hits.get(`/crl/partition-${valid.n}.crl`), 'the partition was fetched');
  // A partition CRL naming another partition, or the full CRL (no IssuingDistributionPoint), is refused.
  const other = (valid.n % 16) + 1;
  t.equal(await setup({ partitionUrls: { [valid.dn]: `${base}/crl/partition-${other}.crl` } }).status('poces-valid'), 'REVOCATION_UNAVAILABLE');
  t.equal(await setup({ partitionUrls: { [valid.dn]: `${base}/crl/ca1.crl` } }).status('poces-valid'), 'REVOCATION_UNAVAILABLE');
});
