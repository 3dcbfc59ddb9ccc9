// Signed + encrypted login responses per second, next to the machine's raw RSA-2048 signs per second measured in
// the same run: the ratio says how much of the budget goes to XML work rather than to the one signature each
// response needs (plus the RSA-OAEP key transport, which is a public-key operation and cheap).
import { createPrivateKey, sign } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { buildLoginResponse, loadSpRegistry, type SamlSubject } from '../src/saml/index.js';
import { IDP, idpSigning, privateSubject, VALID_REGISTRY_DIR } from '../test/unit/saml/fixtures.js';
import { FixedClock, samlId } from '../src/shared/index.js';

// The same IdP key, SP registration and subject the SAML unit tests use.
const subject: SamlSubject = { ...withoutCpr(privateSubject), certificateDerBase64: Buffer.alloc(1500, 7).toString('base64') };
const signing = idpSigning;

function withoutCpr({ cpr: _cpr, ...rest }: SamlSubject): SamlSubject {
  return rest;
}

function rate(label: string, seconds: number, fn: () => void): number {
  for (let i = 0; i < 20; i++) fn(); // warm-up
  const start = process.hrtime.bigint();
  let count = 0;
  while (Number(process.hrtime.bigint() - start) / 1e9 < seconds) {
    fn();
    count++;
  }
  const perSecond = count / (Number(process.hrtime.bigint() - start) / 1e9);
  console.log(`${label.padEnd(44)} ${perSecond.toFixed(1).padStart(9)} /s  (${count} in ${seconds} s)`);
  return perSecond;
}

export async function main(seconds = Number(process.env['BENCH_SECONDS'] ?? 3)): Promise<void> {
  const { registry, problems } = await loadSpRegistry({ dir: VALID_REGISTRY_DIR, environment: 'production', idp: IDP });
  if (problems.length > 0) throw new Error(problems.join('\n'));
  const sp = registry.all().find((candidate) => candidate.encryption);
  if (!sp) throw new Error('no SP with an encryption key in the fixture registry');
  const acs = sp.acsEndpoints.find((a) => a.binding.endsWith('HTTP-POST'))!;
  const clock = new FixedClock(new Date());
  const key = createPrivateKey(signing.key);
  const digest = Buffer.alloc(32, 1);

  console.log(`assertion benchmark: node ${process.version}, SP ${sp.entityId}, ${sp.encryption!.content} + ${sp.encryption!.keyTransport}`);
  const raw = rate('raw RSA-2048 PKCS#1 v1.5 SHA-256 signs', seconds, () => sign('sha256', digest, key));
  const responses = rate('signed + encrypted login responses', seconds, () =>
    buildLoginResponse({
      sp,
      acs: { url: acs.location, binding: acs.binding, index: acs.index },
      issuer: IDP.entityId,
      inResponseTo: samlId(),
      subject,
      nameId: { format: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent', value: '0c0e6a3f-0b8c-8d3e-9f6a-6c1d2e3f4a5b', nameQualifier: IDP.entityId, spNameQualifier: sp.entityId },
      authnInstant: clock.now(),
      sessionIndex: samlId(),
      authnContextClassRef: 'urn:oasis:names:tc:SAML:2.0:ac:classes:X509',
      signing,
      clock,
    }),
  );
  console.log(`ratio: ${(responses / raw).toFixed(3)} responses per raw RSA sign (1.0 would mean the XML work is free)`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
