import t from 'tap';
import { join } from 'node:path';
import { checkCertificateCommand } from '../../../src/cli/check-certificate.js';
import { PP, TRUST_DIR } from './fixtures.js';

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await checkCertificateCommand(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr, json: () => JSON.parse(stdout) as Record<string, unknown> };
}

const cert = (name: string) => join(PP, 'certs', name);
const crls = ['systemtest221.crl', 'systemtest34.crl', 'systemtest8.crl'].flatMap((name) => ['--crl', join(PP, 'crl', name)]);
const pp = ['--environment', 'preproduction', '--trust-dir', TRUST_DIR('preproduction'), '--at', '2021-05-13T13:00:00Z'];

t.test('VALID exits 0; --json has status, type and identifiers; the CA step without a root CRL is NOT_CHECKED', async (t) => {
  const result = await run([cert('nemid-MOCES-employee-valid.cert.pem'), ...pp, ...crls, '--json']);
  t.equal(result.code, 0);
  const json = result.json();
  t.match(json, { status: 'VALID', type: 'MOCES', cvr: '30808460', rid: '45490598', subjectSerialNumber: 'CVR:30808460-RID:45490598', revocation: 'GOOD' });
  t.same((json.chain as Array<{ revocation: string }>).map((c) => c.revocation), ['GOOD', 'NOT_CHECKED', 'NOT_CHECKED']);
});

t.test('the text output names the status, type, identifiers and chain', async (t) => {
  const result = await run([cert('nemid-POCES-personal-valid.cert.der'), ...pp, ...crls]);
  t.equal(result.code, 0);
  t.match(result.stdout, /^status: VALID$/m);
  t.match(result.stdout, /^type: POCES$/m);
  t.match(result.stdout, /^pid: 9208-2002-2-175183276275$/m);
  t.match(result.stdout, /^chain:$/m);
});

t.test('every other status exits 1', async (t) => {
  const cases: Array<[string[], string]> = [
    [[cert('nemid-MOCES-employee-blocked.cert.pem'), ...pp, ...crls], 'REVOKED'],
    [[cert('nemid-VOCES-business-expired.cert.pem'), ...pp, ...crls], 'EXPIRED'],
    [[cert('nemid-MOCES-employee-valid.cert.pem'), ...pp], 'REVOCATION_UNAVAILABLE'],
    [[cert('nemid-MOCES-employee-valid.cert.pem'), ...pp, '--crl', join(PP, 'crl', 'systemtest34.crl')], 'REVOCATION_UNAVAILABLE'],
    [[cert('nemid-MOCES-employee-valid.cert.pem'), '--environment', 'production', '--trust-dir', TRUST_DIR('production'), '--at', '2021-05-13T13:00:00Z', ...crls], 'UNTRUSTED'],
    [[cert('self-signed-user.cert.pem'), ...pp.slice(0, 4), '--at', '2021-01-01T00:00:00Z', '--chain', cert('self-signed-intermediate.cert.pem'), '--chain', cert('self-signed-ca.cert.pem'), ...crls], 'UNTRUSTED'],
    [[cert('nemid-MOCES-employee-valid.cert.pem'), ...pp.slice(0, 4), '--at', '2019-01-01T00:00:00Z', '--revocation', 'skip'], 'NOT_YET_VALID'],
  ];
  for (const [args, status] of cases) {
    const result = await run([...args, '--json']);
    t.equal(result.code, 1, status);
    t.equal(result.json().status, status);
  }
});

t.test('--revocation skip reports NOT_CHECKED and needs no CRL', async (t) => {
  const result = await run([cert('nemid-MOCES-employee-blocked.cert.pem'), ...pp, '--revocation', 'skip', '--json']);
  t.equal(result.code, 0);
  t.match(result.json(), { status: 'VALID', revocation: 'NOT_CHECKED' });
});

t.test('usage and input errors exit 2', async (t) => {
  for (const args of [[], ['--bogus'], [cert('sp-test.cert.pem'), '--environment', 'staging'], [cert('sp-test.cert.pem'), '--at', 'yesterday'], [join(PP, 'no-such.pem')], [cert('sp-test.cert.pem'), '--crl']]) {
    const result = await run(args);
    t.equal(result.code, 2, args.join(' ') || '(no arguments)');
    t.ok(result.stderr.length > 0);
  }
});

t.test('--trust-dir holding production and pre-production certificates selects the environment\'s own root', async (t) => {
  const mixed = join(PP, 'trust');
  const args = (environment: string) => [cert('nemid-MOCES-employee-valid.cert.pem'), '--environment', environment, '--trust-dir', mixed, '--at', '2021-05-13T13:00:00Z', ...crls, '--json'];
  const pp = await run(args('preproduction'));
  t.equal(pp.code, 0, pp.stdout);
  t.equal(pp.json().status, 'VALID');
  const production = await run(args('production'));
  t.equal(production.code, 1);
  t.equal(production.json().status, 'UNTRUSTED');
  const foreignPin = await run([...args('production'), '--root-sha256', '0E2FD1FDA36A4BF3995E28619704D60E3382C91E44A2B458AB891316380B1D50']);
  t.equal(foreignPin.code, 2, 'the genuine PP root cannot be pinned in production');
  t.match(foreignPin.stderr, /cannot be pinned/);
});
