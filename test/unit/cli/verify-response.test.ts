import t from 'tap';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { verifyResponseCommand } from '../../../src/cli/verify-response.js';

// The Must-show: every real PP response through `nemid-idp verify-response` with the PP trust store and the
// real CRLs of 13 May 2021, the Nobly one at its own date with revocation skipped, MOCES-expired refused.

const PP = (relative: string) => fileURLToPath(new URL(`../../fixtures/nemid-preproduction/${relative}`, import.meta.url));
const FIXTURE = (name: string) => fileURLToPath(new URL(`../../fixtures/nemid/${name}`, import.meta.url));
const CRLS = ['systemtest221.crl', 'systemtest34.crl', 'systemtest8.crl', 'ica05.crl', 'ica011.crl', 'ica02.crl'].flatMap((name) => ['--crl', PP(`crl/${name}`)]);
const PP_ARGS = ['--environment', 'preproduction', '--at', '2021-05-13T13:00:00Z', ...CRLS];

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await verifyResponseCommand(args, { stdout: (s) => out.push(s), stderr: (s) => err.push(s) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

for (const file of ['XMLDSigMessage-POCES.xml', 'XMLDSigMessage-POCES.base64', 'XMLDSigMessage-POCES-encoding-base64.xml', 'XMLDSigMessage-MOCES.xml']) {
  t.test(`${file} verifies in preproduction at 2021-05-13T13:00:00Z`, async (t) => {
    const result = await run([PP(`responses/${file}`), ...PP_ARGS, '--json']);
    t.equal(result.code, 0, result.stdout);
    const json = JSON.parse(result.stdout);
    t.equal(json.valid, true);
    t.equal(json.certificateStatus.status, 'VALID');
    t.equal(json.certificateStatus.revocation, 'GOOD');
    t.equal(json.properties.action, 'logon');
    t.equal(json.checked.challenge, 'NOT_CHECKED');
    t.match(json.identity.subjectSerialNumber, /^(PID:|CVR:)/);
  });
}

t.test('the Nobly response verifies at its own date with its challenge and issuer, revocation skipped', async (t) => {
  const args = [PP('responses/XMLDSigMessage-POCES-with-challenge.xml'), '--environment', 'preproduction', '--at', '2019-02-14T14:34:00Z', '--challenge', '2993001065895448039', '--request-issuer', 'Nobly', '--revocation', 'skip'];
  const text = await run(args);
  t.equal(text.code, 0, text.stdout);
  t.match(text.stdout, /VALID at 2019-02-14T14:34:00\.000Z/);
  t.match(text.stdout, /PID 9208-2002-2-153572258956/);
  t.match(text.stdout, /revocation NOT_CHECKED/);
  t.match(text.stdout, /challenge MATCH, RequestIssuer MATCH, TimeStamp NOT_CHECKED/);
  const json = JSON.parse((await run([...args, '--json'])).stdout);
  t.equal(json.certificateStatus.revocation, 'NOT_CHECKED');
  t.equal(json.properties.challenge, '2993001065895448039');
  const wrong = await run([...args.slice(0, 6), '2993001065895448030', '--request-issuer', 'Nobly', '--revocation', 'skip', '--json']);
  t.equal(wrong.code, 1);
  t.equal(JSON.parse(wrong.stdout).error.code, 'NEMID_CHALLENGE_MISMATCH');
  const revoked = await run([PP('responses/XMLDSigMessage-POCES-with-challenge.xml'), ...PP_ARGS, '--json']);
  t.equal(revoked.code, 1);
  t.equal(JSON.parse(revoked.stdout).error.code, 'NEMID_CERT_REVOKED');
});

t.test('XMLDSigMessage-MOCES-expired.xml fails: signature does not match the carried certificate', async (t) => {
  const result = await run([PP('responses/XMLDSigMessage-MOCES-expired.xml'), ...PP_ARGS, '--json']);
  t.equal(result.code, 1);
  t.equal(JSON.parse(result.stdout).error.code, 'NEMID_SIGNATURE_INVALID');
});

t.test('a response freshly signed with the genuine revoked key fails as revoked', async (t) => {
  const result = await run([FIXTURE('response.fresh-revoked-moces.xml'), ...PP_ARGS, '--json']);
  t.equal(result.code, 1);
  const error = JSON.parse(result.stdout).error;
  t.equal(error.code, 'NEMID_CERT_REVOKED');
  // Issue 11 item 5: the cause, not a note about some CA's CRL.
  const blocked = new X509Certificate(readFileSync(PP('certs/nemid-MOCES-employee-blocked.cert.pem')));
  t.match(error.message, `the user certificate is revoked: serial ${blocked.serialNumber.replace(/^0+/, '')} issued by CN=TRUST2408 Systemtest XXII CA`);
  t.match(error.message, /reason [a-zA-Z]+/);
  t.match(error.message, /revoked \d{4}-\d{2}-\d{2}T/);
  t.notMatch(error.message, /^certificate refused: ca /, 'the revoked leaf comes first');
});

t.test('production trust refuses PP responses; no CRL fails closed; usage errors exit 2', async (t) => {
  const production = await run([PP('responses/XMLDSigMessage-POCES.xml'), '--at', '2021-05-13T13:00:00Z', '--json']);
  t.equal(production.code, 1);
  t.equal(JSON.parse(production.stdout).error.code, 'NEMID_CERT_UNTRUSTED');
  const noCrl = await run([PP('responses/XMLDSigMessage-POCES.xml'), '--environment', 'preproduction', '--at', '2021-05-13T13:00:00Z', '--json']);
  t.equal(noCrl.code, 1);
  t.equal(JSON.parse(noCrl.stdout).error.code, 'NEMID_REVOCATION_UNAVAILABLE');
  t.equal((await run([])).code, 2);
  t.equal((await run([PP('responses/XMLDSigMessage-POCES.xml'), '--at', 'yesterday'])).code, 2);
  t.equal((await run([PP('responses/XMLDSigMessage-POCES.xml'), '--environment', 'staging'])).code, 2);
  t.equal((await run([PP('responses/XMLDSigMessage-POCES.xml'), '--revocation', 'maybe'])).code, 2);
  t.equal((await run(['--help'])).code, 0);
  const garbage = await run([FIXTURE('response-field.malformed-base64.txt'), ...PP_ARGS, '--json']);
  t.equal(garbage.code, 1);
  t.equal(JSON.parse(garbage.stdout).error.code, 'NEMID_RESPONSE_MALFORMED');
});

t.test('--trust-dir with both environments: each environment selects its own pinned root', async (t) => {
  const mixed = PP('trust');
  const pp = await run([PP('responses/XMLDSigMessage-MOCES.xml'), ...PP_ARGS, '--trust-dir', mixed, '--json']);
  t.equal(pp.code, 0, pp.stdout);
  t.equal(JSON.parse(pp.stdout).certificateStatus.status, 'VALID');
  const production = await run([PP('responses/XMLDSigMessage-MOCES.xml'), '--at', '2021-05-13T13:00:00Z', ...CRLS, '--trust-dir', mixed, '--json']);
  t.equal(production.code, 1);
  t.equal(JSON.parse(production.stdout).error.code, 'NEMID_CERT_UNTRUSTED', 'a PP certificate never passes in production');
  const explicitPin = await run([PP('responses/XMLDSigMessage-MOCES.xml'), ...PP_ARGS, '--trust-dir', mixed, '--root-sha256', '0e:2f:d1:fd:a3:6a:4b:f3:99:5e:28:61:97:04:d6:0e:33:82:c9:1e:44:a2:b4:58:ab:89:13:16:38:0b:1d:50', '--json']);
  t.equal(explicitPin.code, 0, 'the genuine PP root given explicitly with colons');
  const missing = await run([PP('responses/XMLDSigMessage-MOCES.xml'), ...PP_ARGS, '--trust-dir', mixed, '--root-sha256', 'AB'.repeat(32)]);
  t.equal(missing.code, 2, 'a pin with no root in the folder is a usage error');
  t.match(missing.stderr, /ABABAB/);
});
