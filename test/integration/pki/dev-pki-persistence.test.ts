// dev-pki written to a directory and read back (the simulator generates once under .data/ and reuses it), and
// the `dev-pki` CLI command.
import t from 'tap';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { devPkiCommand } from '../../../src/cli/dev-pki.js';
import {
  createCertificateValidator,
  createStaticCrlSource,
  generateDevPki,
  loadDevPki,
  loadTrustStore,
  writeDevPki,
} from '../../../src/pki/index.js';

const NOW = new Date('2026-03-01T10:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'dev-pki-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

t.test('write, load, and validate through the simulator trust directory', async (t) => {
  const pki = await generateDevPki({ baseUrl: 'http://localhost:8081', rootKeyBits: 2048, now: NOW });
  writeDevPki(join(dir, 'a'), pki);
  t.equal(statSync(join(dir, 'a', 'root.key.pem')).mode & 0o777, 0o600, 'private keys are 0600');
  const loaded = loadDevPki(join(dir, 'a'));
  t.equal(loaded.rootFingerprint256, pki.rootFingerprint256);
  t.same([...loaded.users.keys()], [...pki.users.keys()]);
  t.same([...loaded.revocations.keys()], [...pki.revocations.keys()]);
  t.ok(loaded.user('moces-valid').certificateDer.equals(pki.user('moces-valid').certificateDer));
  const store = loadTrustStore('simulator', join(dir, 'a', 'trust'));
  t.equal(store.roots[0]!.fingerprint256, pki.rootFingerprint256);
  // The loaded PKI still signs: its CRL answers for the original certificates.
  const validator = createCertificateValidator({
    trustStore: store,
    revocation: createStaticCrlSource([loaded.buildCrl('ca', { thisUpdate: NOW }), loaded.buildCrl('root', { thisUpdate: NOW })]),
  });
  t.equal((await validator.validate(pki.user('poces-valid').certificateDer, [], { at: NOW })).status, 'VALID');
  t.equal((await validator.validate(pki.user('poces-revoked').certificateDer, [], { at: NOW })).status, 'REVOKED');
});

t.test('the dev-pki command writes a PKI and refuses to overwrite it without --force', async (t) => {
  const out = join(dir, 'cli');
  let stdout = '';
  let stderr = '';
  const io = { stdout: (s: string) => (stdout += s), stderr: (s: string) => (stderr += s) };
  t.equal(await devPkiCommand(['--out', out, '--base-url', 'http://127.0.0.1:9', '--root-bits', '2048'], io), 0);
  t.match(stdout, /root SHA-256 [0-9A-F]{64}/);
  t.equal(readFileSync(join(out, 'trust', 'pinned-root.sha256'), 'utf8').trim().length, 64);
  t.equal(await devPkiCommand(['--out', out], io), 2, 'refuses to overwrite');
  t.equal(await devPkiCommand(['--root-bits', '1024'], io), 2, 'weak root key');
  t.equal(await devPkiCommand(['--base-url', 'ftp://x'], io), 2, 'bad base URL');
  t.ok(stderr.length > 0);
});
