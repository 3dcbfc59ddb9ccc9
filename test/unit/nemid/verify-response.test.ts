import t from 'tap';
import { verifyNemidResponse, classifyClientResponse } from '../../../src/nemid/index.js';
import { codeOfAsync } from './codes.js';
import { ppResponse } from './pp-fixtures.js';
import { ppValidator, productionValidator } from './pp-validator.js';

// Every real PP response through the whole checklist with the real pki validator, trust store and CRLs.
const validator = ppValidator();
const AT = new Date('2021-05-13T13:00:00Z');

t.test('XMLDSigMessage-POCES.xml: steps 1–9 pass; identity, properties and replay digest', async (t) => {
  const verified = await verifyNemidResponse(ppResponse('XMLDSigMessage-POCES.xml'), {
    validator,
    at: AT,
    expected: { requestIssuer: 'Nets Customer Demo', timestamp: '2021-04-20 15:26:05+0200', client: 'js' },
  });
  t.equal(verified.type, 'POCES');
  t.equal(verified.identity.pid, '9208-2002-2-751708631151');
  t.equal(verified.identity.commonName, 'Tilde Nilsson');
  t.equal(verified.identity.certificateSerialHex.toUpperCase(), '5F9C3687');
  t.equal(verified.signedProperties.RequestIssuer, 'Nets Customer Demo');
  t.equal(verified.signedProperties.action, 'logon');
  t.equal(verified.identityAssuranceLevel, '1');
  t.equal(verified.certificateStatus.status, 'VALID');
  t.equal(verified.certificateStatus.revocation, 'GOOD');
  t.equal(verified.signatureValueDigest.length, 32);
  // Issue 16.7: the evidence is what was signed, rebuilt (test/unit/nemid/evidence.test.ts), not the received bytes.
  t.match(verified.evidenceXml, /<ds:Object [^>]*Id="ToBeSigned">/);
  t.equal(
    await codeOfAsync(() => verifyNemidResponse(ppResponse('XMLDSigMessage-POCES.xml'), { validator, at: AT, expected: { challenge: '0123456789abcdef0123456789abcdef' } })),
    'NEMID_CHALLENGE_MISMATCH',
    'step 10 fails: the response carries no challenge',
  );
});

t.test('XMLDSigMessage-POCES.base64 is the transport form of the same document', async (t) => {
  const classified = classifyClientResponse(ppResponse('XMLDSigMessage-POCES.base64').toString('latin1'));
  t.equal(classified.kind, 'document');
  if (classified.kind !== 'document') return;
  t.same(classified.xml, ppResponse('XMLDSigMessage-POCES.xml'));
  const verified = await verifyNemidResponse(classified.xml, { validator, at: AT, expected: {} });
  t.equal(verified.identity.pid, '9208-2002-2-751708631151');
});

t.test('XMLDSigMessage-POCES-encoding-base64.xml: base64 TimeStamp decoded, checked in either form', async (t) => {
  const verified = await verifyNemidResponse(ppResponse('XMLDSigMessage-POCES-encoding-base64.xml'), {
    validator,
    at: AT,
    expected: { requestIssuer: 'Nets Customer Demo', timestamp: 'MjAyMS0wNS0xMSAyMDoxMDozNyswMjAw' },
  });
  t.equal(verified.identity.pid, '9208-2002-2-751953802340');
  t.equal(verified.signedProperties.TimeStamp, '2021-05-11 20:10:37+0200');
  t.equal(
    await codeOfAsync(() => verifyNemidResponse(ppResponse('XMLDSigMessage-POCES-encoding-base64.xml'), { validator, at: AT, expected: { timestamp: 'MjAyMS0wNS0xMyAxMjowMDowMCswMDAw' } })),
    'NEMID_TIMESTAMP_MISMATCH',
  );
});

t.test('XMLDSigMessage-MOCES.xml (CodeFile): base64 action, no TimeStamp, leaf first', async (t) => {
  const verified = await verifyNemidResponse(ppResponse('XMLDSigMessage-MOCES.xml'), {
    validator,
    at: AT,
    expected: { requestIssuer: 'Rently API', timestamp: 'MjAyMS0wNS0xMyAxMjowMDowMCswMDAw', client: 'codefile' },
  });
  t.equal(verified.type, 'MOCES');
  t.equal(verified.identity.cvr, '30808460');
  t.equal(verified.identity.rid, '45490598');
  t.equal(verified.signedProperties.SIGNTEXT, 'OpenLogon 5/11/21 9:30 PM');
  t.equal(
    await codeOfAsync(() => verifyNemidResponse(ppResponse('XMLDSigMessage-MOCES.xml'), { validator, at: AT, expected: { timestamp: 'MjAyMS0wNS0xMyAxMjowMDowMCswMDAw', client: 'js' } })),
    'NEMID_TIMESTAMP_MISMATCH',
    'a JS transaction must have its TimeStamp',
  );
  t.equal(
    await codeOfAsync(() => verifyNemidResponse(ppResponse('XMLDSigMessage-MOCES.xml'), { validator, at: AT, expected: { requestIssuer: 'Rently' } })),
    'NEMID_REQUEST_ISSUER_MISMATCH',
  );
});

t.test('Nobly response: valid at its own date without revocation, with its challenge and issuer', async (t) => {
  const xml = ppResponse('XMLDSigMessage-POCES-with-challenge.xml');
  const at = new Date('2019-02-14T14:34:00Z');
  const verified = await verifyNemidResponse(xml, {
    validator,
    at,
    revocation: 'skip',
    expected: { challenge: '2993001065895448039', requestIssuer: 'Nobly', timestamp: 'MjAxOS0wMi0xNCAxNDozMzoxOCswMDAw', client: 'js' },
  });
  t.equal(verified.identity.pid, '9208-2002-2-153572258956');
  t.equal(verified.certificateStatus.revocation, 'NOT_CHECKED');
  for (const [expected, code] of [
    [{ challenge: '2993001065895448038' }, 'NEMID_CHALLENGE_MISMATCH'],
    [{ challenge: '' }, 'NEMID_CHALLENGE_MISMATCH'],
    [{ requestIssuer: 'nobly' }, 'NEMID_REQUEST_ISSUER_MISMATCH'],
    [{ requestIssuer: 'Nobly ' }, 'NEMID_REQUEST_ISSUER_MISMATCH'],
  ] as const) {
    t.equal(await codeOfAsync(() => verifyNemidResponse(xml, { validator, at, revocation: 'skip', expected })), code, JSON.stringify(expected));
  }
  t.equal(
    await codeOfAsync(() => verifyNemidResponse(xml, { validator, at: AT, expected: {} })),
    'NEMID_CERT_REVOKED',
    'listed in systemtest221.crl on 2021-05-13',
  );
  t.equal(
    await codeOfAsync(() => verifyNemidResponse(xml, { validator, at: new Date('2019-02-14T14:34:00Z'), expected: {} })),
    'NEMID_REVOCATION_UNAVAILABLE',
    'no CRL of that day: revocation fails closed unless explicitly skipped',
  );
});

t.test('XMLDSigMessage-MOCES-expired.xml: the carried leaf did not sign it', async (t) => {
  for (const at of [AT, new Date('2014-03-24T18:00:00Z')]) {
    t.equal(
      await codeOfAsync(() => verifyNemidResponse(ppResponse('XMLDSigMessage-MOCES-expired.xml'), { validator, at, expected: {} })),
      'NEMID_SIGNATURE_INVALID',
    );
  }
});

t.test('the production trust store rejects every PP response', async (t) => {
  const production = productionValidator();
  for (const file of ['XMLDSigMessage-POCES.xml', 'XMLDSigMessage-MOCES.xml', 'XMLDSigMessage-POCES-encoding-base64.xml']) {
    t.equal(await codeOfAsync(() => verifyNemidResponse(ppResponse(file), { validator: production, at: AT, expected: {} })), 'NEMID_CERT_UNTRUSTED', file);
  }
});
