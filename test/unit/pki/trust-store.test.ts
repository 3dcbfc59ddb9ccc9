import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isIdpError } from '../../../src/errors/index.js';
import { createHash } from 'node:crypto';
import { PINNED_ROOT_SHA256, certificatesFromFile, createTrustStore, loadTrustStore } from '../../../src/pki/index.js';

const fingerprintOf = (der: Buffer) => createHash('sha256').update(der).digest('hex').toUpperCase();
import { PP, TRUST_DIR } from './fixtures.js';

const fixture = (name: string) => certificatesFromFile(readFileSync(join(PP, 'trust', name)))[0]!;
const refusedWith = (fn: () => unknown) => {
  try {
    fn();
    return false;
  } catch (error) {
    return isIdpError(error, 'CONFIG_INVALID');
  }
};

t.test('the shipped stores load, with the pinned roots of nemid-protocol.md §6.1', async (t) => {
  const production = loadTrustStore('production', TRUST_DIR('production'));
  t.equal(production.roots[0]!.fingerprint256, PINNED_ROOT_SHA256.production);
  t.equal(production.roots[0]!.subject, 'CN=TRUST2408 OCES Primary CA,O=TRUST2408,C=DK');
  t.equal(production.roots[0]!.serialHex, '4B8E6003');
  t.same(production.issuingCas.map((c) => c.subject).sort(), [
    'CN=TRUST2408 OCES CA III,O=TRUST2408,C=DK',
    'CN=TRUST2408 OCES CA IV,O=TRUST2408,C=DK',
    'CN=TRUST2408 OCES CA V,O=TRUST2408,C=DK',
  ]);
  const pp = loadTrustStore('preproduction', TRUST_DIR('preproduction'));
  t.equal(pp.roots[0]!.fingerprint256, PINNED_ROOT_SHA256.preproduction);
  t.equal(pp.roots[0]!.serialHex, '4BEA6E94');
  t.equal(pp.issuingCas.length, 3);
});

t.test('PEM and DER copies of the fixture CAs are the same certificate', async (t) => {
  for (const stem of ['TRUST2408-OCES-CA-IV', 'TRUST2408-OCES-CA-V', 'TRUST2408-Systemtest-VIII-CA']) {
    t.ok(fixture(`${stem}.cert.pem`).equals(fixture(`${stem}.cert.der`)), stem);
  }
});

t.test('environments never mix and the pin is by fingerprint, not name', async (t) => {
  const ppRoot = fixture('TRUST2408-Systemtest-VII-Primary-CA.cert.pem');
  const prodRoot = fixture('TRUST2408-OCES-Primary-CA.cert.pem');
  const caV = fixture('TRUST2408-OCES-CA-V.cert.pem');
  const xxii = fixture('TRUST2408-Systemtest-XXII-CA.cert.pem');
  t.ok(refusedWith(() => createTrustStore('production', [ppRoot])), 'PP root in a production store');
  t.ok(refusedWith(() => createTrustStore('preproduction', [prodRoot])), 'production root in a PP store');
  t.ok(refusedWith(() => createTrustStore('production', [prodRoot, ppRoot])), 'two roots');
  t.ok(refusedWith(() => createTrustStore('production', [prodRoot, xxii])), 'a CA of the other environment');
  t.ok(refusedWith(() => createTrustStore('production', [caV])), 'no root at all');
  t.ok(refusedWith(() => createTrustStore('production', [prodRoot], { pinnedRootSha256: PINNED_ROOT_SHA256.preproduction })), 'pin override');
  t.ok(refusedWith(() => createTrustStore('simulator', [prodRoot])), 'simulator without a pin');
  t.ok(refusedWith(() => createTrustStore('simulator', [prodRoot], { pinnedRootSha256: PINNED_ROOT_SHA256.production })), 'simulator pinning a real root');
  // A forged root copying the real CA names does not match the pin.
  const forged = certificatesFromFile(readFileSync(join(PP, 'certs', 'self-signed-ca.cert.pem')))[0]!;
  t.ok(refusedWith(() => createTrustStore('preproduction', [forged])), 'forged root');
  t.ok(refusedWith(() => loadTrustStore('production', join(PP, 'no-such-dir'))), 'missing directory');
  t.ok(createTrustStore('production', [caV, prodRoot]), 'order in the directory does not matter');
});

const detailOf = (fn: () => unknown): Record<string, unknown> => {
  try {
    fn();
  } catch (error) {
    if (isIdpError(error, 'CONFIG_INVALID')) return (error.detail ?? {}) as Record<string, unknown>;
  }
  return {};
};

t.test('OCES_ROOT_SHA256: configured pins, rollover, and refusals naming both fingerprints', async (t) => {
  const ppRoot = fixture('TRUST2408-Systemtest-VII-Primary-CA.cert.pem');
  const prodRoot = fixture('TRUST2408-OCES-Primary-CA.cert.pem');
  const forged = certificatesFromFile(readFileSync(join(PP, 'certs', 'self-signed-ca.cert.pem')))[0]!;
  const forgedStore = createTrustStore('preproduction', [forged], { pinnedRootSha256: fingerprintOf(forged) });
  t.equal(forgedStore.roots.length, 1, 'a pinned non-genuine root is trusted in pre-production');
  t.equal(forgedStore.builtInPins, false);
  const colons = fingerprintOf(forged).match(/../g)!.join(':').toLowerCase();
  t.ok(createTrustStore('preproduction', [forged], { pinnedRootSha256: colons }), 'lower case with colons');
  const rollover = createTrustStore('preproduction', [ppRoot, forged], { pinnedRootSha256: [PINNED_ROOT_SHA256.preproduction, fingerprintOf(forged)] });
  t.same(rollover.roots.map((r) => r.fingerprint256), [PINNED_ROOT_SHA256.preproduction, fingerprintOf(forged)], 'two pinned roots');
  t.equal(rollover.builtInPins, false);
  t.equal(createTrustStore('preproduction', [ppRoot]).builtInPins, true, 'default pin is the genuine root');

  const unpinned = detailOf(() => createTrustStore('preproduction', [ppRoot, forged]));
  t.same(unpinned['unpinnedRoots'], [fingerprintOf(forged)], 'an unpinned root is refused by fingerprint');
  t.same(unpinned['pins'], [PINNED_ROOT_SHA256.preproduction]);
  const missing = detailOf(() => createTrustStore('preproduction', [ppRoot], { pinnedRootSha256: `${PINNED_ROOT_SHA256.preproduction},${fingerprintOf(forged)}` }));
  t.same(missing['missingPins'], [fingerprintOf(forged)], 'a pin without its root is refused');
  t.ok(refusedWith(() => createTrustStore('production', [ppRoot], { pinnedRootSha256: PINNED_ROOT_SHA256.preproduction })), 'the genuine PP root is never trusted in production');
  t.ok(refusedWith(() => createTrustStore('preproduction', [prodRoot], { pinnedRootSha256: PINNED_ROOT_SHA256.production })), 'nor the production root in PP');
  t.ok(refusedWith(() => createTrustStore('preproduction', [ppRoot], { pinnedRootSha256: 'abc' })), 'not a fingerprint');
});

t.test('select mode: a folder of both environments yields each environment its own pinned root and CAs', async (t) => {
  const production = loadTrustStore('production', join(PP, 'trust'), { mode: 'select' });
  t.same(production.roots.map((r) => r.fingerprint256), [PINNED_ROOT_SHA256.production]);
  t.ok(production.issuingCas.every((ca) => /OCES CA/.test(ca.subject)), 'only production CAs');
  const pp = loadTrustStore('preproduction', join(PP, 'trust'), { mode: 'select' });
  t.same(pp.roots.map((r) => r.fingerprint256), [PINNED_ROOT_SHA256.preproduction]);
  t.ok(pp.issuingCas.length > 0 && pp.issuingCas.every((ca) => /Systemtest/.test(ca.subject)), 'only pre-production CAs');
  t.ok(refusedWith(() => loadTrustStore('production', join(PP, 'trust'))), 'strict mode refuses the mixed folder');
});
